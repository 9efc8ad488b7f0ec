// Tables with a mapping, the edge-list shape: one record per row (a deal, a
// designation, a flow), in named columns. Each row becomes a link and a
// figure, or, with "aggregate", rows are summed or counted into one figure
// per pair and period whose quote lists the rows it was made from.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "ingest/common.h"
#include "ingest/csv_mapping.h"
#include "ingest/ingest.h"

namespace sinew::ingest::csv {
namespace {

using nlohmann::json;

// A row the mapping keeps, read and checked.
struct Kept {
  int line = 0;
  std::string from, to, period, unit, type, domain, key, text;  // text: the row's quote
  double v = 0;
  bool counted = true;  // false: the row counts towards totals only
};

// The mapping's quote template: literal text and {Column} fields.
struct Template {
  std::vector<std::pair<std::string, int>> parts;  // (literal, -1) or ("", column)

  // At most 64 KiB (a quote's limit), however many fields the template names.
  std::string Fill(const std::vector<std::string>& row) const {
    constexpr size_t kMax = 64 * 1024;
    std::string out;
    for (const auto& [text, c] : parts) {
      out += c < 0 ? text : static_cast<size_t>(c) < row.size() ? Trim(row[c]) : "";
      if (out.size() > kMax) {
        out.resize(kMax);
        out += "…";
        break;
      }
    }
    return out;
  }
};

// Each column's number by its trimmed name (the first, when two share one).
using Columns = std::unordered_map<std::string, int>;

Result<Template> ParseTemplate(const std::string& t, const Columns& header, SourcePlace mplace) {
  mplace.pointer = "/rows/quote";
  Template out;
  size_t i = 0;
  while (i < t.size()) {
    size_t open = t.find('{', i);
    if (open == std::string::npos) {
      out.parts.push_back({t.substr(i), -1});
      break;
    }
    if (open > i) out.parts.push_back({t.substr(i, open - i), -1});
    size_t close = t.find('}', open);
    if (close == std::string::npos)
      return Status::Invalid("the quote template has a '{' that is never closed", mplace);
    std::string name = t.substr(open + 1, close - open - 1);
    auto found = header.find(name);
    int column = found == header.end() ? -1 : found->second;
    if (column < 0)
      return Status::Invalid("the quote template names '" + name + "', which is no column", mplace);
    out.parts.push_back({"", column});
    i = close + 1;
  }
  return out;
}

// {"Column": ["value", ...]} from the mapping, by column number.
Result<std::map<int, std::set<std::string>>> RowFilter(const json& rm, const char* field,
                                                       const Columns& header, SourcePlace mplace) {
  std::map<int, std::set<std::string>> out;
  if (!rm.contains(field)) return out;
  mplace.pointer = std::string("/rows/") + field;
  const json& f = rm[field];
  if (!f.is_object())
    return Status::Invalid(
        "the mapping's " + std::string(field) + " maps a column to the values it selects", mplace);
  for (const auto& [name, values] : f.items()) {
    auto found = header.find(name);
    int column = found == header.end() ? -1 : found->second;
    SourcePlace p = mplace;
    p.pointer += "/" + name;
    if (column < 0) return Status::Invalid("'" + name + "' is no column of the table", p);
    if (!values.is_array()) return Status::Invalid("a list of values", p);
    for (const auto& v : values) {
      if (!v.is_string()) return Status::Invalid("a list of values (strings)", p);
      out[column].insert(v.get<std::string>());
    }
  }
  return out;
}

bool Matches(const std::map<int, std::set<std::string>>& filter,
             const std::vector<std::string>& row) {
  for (const auto& [c, values] : filter)
    if (!values.count(static_cast<size_t>(c) < row.size() ? Trim(row[c]) : "")) return false;
  return true;
}

bool AnyMatch(const std::map<int, std::set<std::string>>& filter,
              const std::vector<std::string>& row) {
  for (const auto& [c, values] : filter)
    if (values.count(static_cast<size_t>(c) < row.size() ? Trim(row[c]) : "")) return true;
  return false;
}

// "4 rows: lines 2, 7, 9"; at most 8 lines named.
std::string LinesOf(const std::vector<const Kept*>& group) {
  std::string out = std::to_string(group.size()) + (group.size() == 1 ? " row" : " rows") +
                    (group.size() == 1 ? ": line " : ": lines ");
  for (size_t k = 0; k < group.size() && k < 8; ++k)
    out += (k ? ", " : "") + std::to_string(group[k]->line);
  if (group.size() > 8) out += ", …";
  return out;
}

}  // namespace

Status ReadRows(Table&& rows, const std::string& file, const json& m, const SourcePlace& mplace,
                ValueRules vr, Labels& labels, Batch* b) {
  const json& rm = m["rows"];
  constexpr long kMaxRow = 100'000'000;
  int header_row = 1;
  if (rm.contains("header_row")) {
    Result<int> h = MappingInt(rm["header_row"], "/rows/header_row", 0, kMaxRow, mplace);
    if (!h.ok()) return h.status();
    header_row = h.value();
  }
  // A table without a header row (OFAC's sdn.csv) names its columns in the
  // mapping.
  std::vector<std::string> header;
  if (header_row == 0) {
    SourcePlace p = mplace;
    p.pointer = "/rows/columns";
    if (!rm.contains("columns") || !rm["columns"].is_array() || rm["columns"].empty())
      return Status::Invalid("header_row 0 (no header) needs \"columns\": the column names", p);
    for (const auto& c : rm["columns"]) {
      if (!c.is_string()) return Status::Invalid("column names are strings", p);
      header.push_back(c.get<std::string>());
    }
  } else {
    if (header_row > static_cast<int>(rows.size()))
      return Status::Invalid("header row " + std::to_string(header_row) + " is past the end",
                             SourcePlace{file, static_cast<int>(rows.size()), 1, ""});
    header = rows[header_row - 1];
  }
  Columns by_name;
  for (size_t c = 0; c < header.size(); ++c)
    by_name.try_emplace(Trim(header[c]), static_cast<int>(c));
  // Columns named by the mapping, found in the header.
  auto column = [&](const char* field, bool required) -> Result<int> {
    std::string name = rm.value(field, "");
    if (name.empty()) {
      if (!required) return -1;
      SourcePlace p = mplace;
      p.pointer = std::string("/rows/") + field;
      return Status::Invalid(std::string("the mapping's rows need \"") + field + "\"", p);
    }
    if (auto found = by_name.find(name); found != by_name.end()) return found->second;
    return Status::Invalid("no column '" + name + "' in the header (for rows." + field + ")",
                           SourcePlace{file, std::max(header_row, 1), 1, ""});
  };
  Result<int> src_col = column("src", true), dst_col = column("dst", true);
  Result<int> value_col = column("value", false), period_col = column("period", false);
  Result<int> unit_col = column("unit", false), key_col = column("key", false);
  Result<int> type_col = column("type", false), domain_col = column("domain", false);
  for (const Result<int>* c :
       {&src_col, &dst_col, &value_col, &period_col, &unit_col, &key_col, &type_col, &domain_col})
    if (!c->ok()) return c->status();
  if (vr.edges && *type_col < 0 && vr.edge_type.empty()) return EdgeTypeMissing(mplace, true);
  vr.unit = rm.value("unit_value", "");
  std::string fixed_period = rm.value("period_value", "");
  if (*period_col < 0 && fixed_period.empty())
    return Status::Invalid("the mapping's rows need \"period\" (a column) or \"period_value\"",
                           mplace);
  std::string aggregate = rm.value("aggregate", "");
  if (!aggregate.empty() && aggregate != "sum" && aggregate != "count") {
    SourcePlace p = mplace;
    p.pointer = "/rows/aggregate";
    return Status::Invalid("aggregate is \"sum\" or \"count\", not '" + aggregate + "'", p);
  }
  bool counting = aggregate == "count";
  if ((vr.observations || aggregate == "sum") && *value_col < 0 && !counting)
    return Status::Invalid(
        "observations and sums need a \"value\" column (or \"aggregate\": \"count\")", mplace);
  std::set<std::string> only, skip_names;
  for (const auto& r : rm.value("only", json::array())) only.insert(r.get<std::string>());
  for (const auto& r : rm.value("skip_names", json::array()))
    skip_names.insert(r.get<std::string>());
  std::string only_column = rm.value("only_column", "dst");
  Result<std::map<int, std::set<std::string>>> only_rows =
      RowFilter(rm, "only_rows", by_name, mplace);
  if (!only_rows.ok()) return only_rows.status();
  Result<std::map<int, std::set<std::string>>> skip_rows =
      RowFilter(rm, "skip_rows", by_name, mplace);
  if (!skip_rows.ok()) return skip_rows.status();
  Template quote;
  bool templated = rm.contains("quote");
  if (templated) {
    Result<Template> t = ParseTemplate(rm.value("quote", ""), by_name, mplace);
    if (!t.ok()) return t.status();
    quote = std::move(t).value();
  }
  std::string src_type = rm.value("src_type", ""), dst_type = rm.value("dst_type", "");
  bool total_by_dst = vr.ed->value("share_of", "dst") == "dst";
  bool dst_subject = vr.ob->value("subject", "dst") == "dst";

  // Pass 1: the rows the mapping keeps, checked; totals over the period
  // count rows whose other party is skipped by name, and no others left out.
  std::vector<Kept> kept;
  std::map<std::string, int> left_out;
  std::unordered_map<std::string, int> key_line;
  size_t first = header_row == 0 ? 0 : static_cast<size_t>(header_row);
  for (size_t r = first; r < rows.size(); ++r) {
    const auto& row = rows[r];
    int line = static_cast<int>(r) + 1;
    if (row.size() == 1 && Trim(row[0]).empty()) continue;
    if (row.size() > header.size())
      return Status::Invalid("row has " + std::to_string(row.size()) + " fields, the header " +
                                 std::to_string(header.size()),
                             SourcePlace{file, line, 1, ""});
    auto cell = [&](int c) {
      return c >= 0 && static_cast<size_t>(c) < row.size() ? Trim(row[c]) : "";
    };
    if (!Matches(*only_rows, row)) {
      ++left_out["not selected by only_rows"];
      continue;
    }
    if (AnyMatch(*skip_rows, row)) {
      ++left_out["skipped by skip_rows"];
      continue;
    }
    if (*key_col >= 0) {
      std::string key = cell(*key_col);
      if (key.empty())
        return Status::Invalid("the key column '" + rm.value("key", "") + "' is empty",
                               SourcePlace{file, line, *key_col + 1, ""});
      auto [at, fresh] = key_line.emplace(key, line);
      if (!fresh)
        return Status::Invalid("key '" + key + "' is already on line " + std::to_string(at->second),
                               SourcePlace{file, line, *key_col + 1, ""});
    }
    Kept k;
    k.line = line;
    k.key = *key_col >= 0 ? cell(*key_col) : "";
    k.from = cell(*src_col);
    k.to = cell(*dst_col);
    bool skipped = skip_names.count(k.from) || skip_names.count(k.to);
    if (!skipped && (k.from.empty() || k.to.empty()))
      return Status::Invalid(
          "row names no " + std::string(k.from.empty() ? "src" : "dst"),
          SourcePlace{file, line, (k.from.empty() ? *src_col : *dst_col) + 1, ""});
    k.period = *period_col >= 0 ? cell(*period_col) : fixed_period;
    if (auto d = ParseDate(k.period); !d.ok())
      return Status::Invalid("bad period '" + k.period + "': " + d.status().message(),
                             SourcePlace{file, line, *period_col + 1, ""});
    k.v = 1;
    if (*value_col >= 0 && !counting) {
      SINEW_RETURN_IF_ERROR(ValueAt(row, *value_col, rm.value("value", ""), file, line, &k.v));
      if (k.v == 0) {
        ++left_out["value 0"];
        continue;
      }
    }
    k.unit = *unit_col >= 0 ? cell(*unit_col) : vr.unit;
    k.type = *type_col >= 0 ? cell(*type_col) : "";
    k.domain = *domain_col >= 0 ? cell(*domain_col) : "";
    k.text = templated ? quote.Fill(row) : "";
    if (skipped) {
      k.counted = false;
      ++left_out["a party in skip_names"];
    } else if (!only.empty() && !only.count(only_column == "src" ? k.from : k.to)) {
      k.counted = false;
      ++left_out["not in only"];
    }
    kept.push_back(std::move(k));
  }
  for (const auto& [why, n] : left_out)
    b->notes.push_back(std::to_string(n) + (n == 1 ? " row " : " rows ") + why);
  // What pass 2 needs is in `kept`: the table goes (at 10^6 rows, 0.2 GiB
  // held through the reading).
  Table().swap(rows);
  // Totals by (party, period), which only a strength given as a share needs.
  std::map<std::pair<std::string, std::string>, double> totals;
  if (vr.share_strength)
    for (const Kept& k : kept) {
      const std::string& party = total_by_dst ? k.to : k.from;
      if (!party.empty() && !skip_names.count(party)) totals[{party, k.period}] += k.v;
    }

  // Pass 2: records, one per row or one per group.
  auto resolve = [&](const Kept& k, Value* x) -> Status {
    x->src = labels.Resolve(k.from, src_type);
    x->dst = labels.Resolve(k.to, dst_type);
    if (x->src.empty() || x->dst.empty()) {
      bool s = x->src.empty();
      return Status::Invalid("'" + (s ? k.from : k.to) +
                                 "' names no node: add it to the mapping's names, or set "
                                 "new_nodes (or rows." +
                                 (s ? "src" : "dst") + "_type)",
                             SourcePlace{file, k.line, (s ? *src_col : *dst_col) + 1, ""});
    }
    x->subject = dst_subject ? x->dst : x->src;
    x->object = dst_subject ? x->src : x->dst;
    x->src_name = k.from;
    x->total_of = total_by_dst ? k.to : k.from;
    x->total = vr.share_strength ? totals[{x->total_of, k.period}] : 0;
    x->period = k.period;
    x->file = file;
    x->line = k.line;
    x->column = static_cast<size_t>(std::max(*value_col, *dst_col));
    x->column_name = rm.value("value", rm.value("dst", ""));
    return Status::Ok();
  };
  auto with_unit = [](double v, const std::string& unit) {
    return Number(v) + (unit.empty() ? "" : " " + unit);
  };
  if (aggregate.empty()) {
    std::unordered_map<std::string, int> seen;
    for (Kept& row : kept) {
      const Kept k = std::move(row);  // each row goes once it is a draft
      if (!k.counted) continue;
      Value x;
      SINEW_RETURN_IF_ERROR(resolve(k, &x));
      if (x.src == x.dst) continue;
      ValueRules here = vr;
      here.unit = k.unit;
      here.type = k.type;
      here.domain = k.domain;
      std::string what = *value_col >= 0 ? ": " + with_unit(k.v, k.unit) : "";
      x.quote = templated ? k.text : k.from + " to " + k.to + what + " (" + k.period + ")";
      x.page = "column " + std::to_string(x.column + 1) + " (" + x.column_name + ")";
      if (*key_col >= 0) {
        x.key = "row:" + k.key;
      } else {
        // The same pair and period again (two contracts, say): a key of its own.
        x.key = "row:" + k.from + "|" + k.to + "|" + k.period;
        if (*type_col >= 0 || *domain_col >= 0) x.key += "|" + k.type + "|" + k.domain;
        if (int n = ++seen[x.key]; n > 1) x.key += "#" + std::to_string(n);
      }
      x.v = k.v;
      AddValue(here, x, b);
    }
    return Status::Ok();
  }
  // Groups by pair, period, edge type, domain and unit, in the table's order.
  // Parties are grouped by the node they name ("Russia" and "RUSSIA" are one
  // figure); a count's unit is the mapping's, whatever a unit column says.
  std::map<std::string, std::vector<const Kept*>> groups;
  std::vector<std::string> order;
  for (const Kept& k : kept) {
    if (!k.counted) continue;
    std::string from = labels.Resolve(k.from, src_type), to = labels.Resolve(k.to, dst_type);
    std::string g = (from.empty() ? "?" + k.from : from) + '\0' + (to.empty() ? "?" + k.to : to) +
                    '\0' + k.period + '\0' + k.type + '\0' + k.domain + '\0' +
                    (counting ? "" : k.unit);
    auto [at, fresh] = groups.try_emplace(g);
    if (fresh) order.push_back(g);
    at->second.push_back(&k);
  }
  constexpr size_t kQuoteBudget = 16 * 1024;  // the rows a quote lists, in bytes
  std::unordered_map<std::string, int> group_keys;
  for (const std::string& g : order) {
    const std::vector<const Kept*>& group = groups[g];
    const Kept& k = *group.front();
    Value x;
    SINEW_RETURN_IF_ERROR(resolve(k, &x));
    if (x.src == x.dst) continue;
    ValueRules here = vr;
    here.unit = counting ? rm.value("unit_value", "rows") : k.unit;
    here.type = k.type;
    here.domain = k.domain;
    for (const Kept* r : group) x.v += r->v;
    if (!std::isfinite(x.v))
      return Status::Invalid(
          "the sum of " + std::to_string(group.size()) + " rows is too large for a number",
          SourcePlace{file, k.line, *value_col + 1, ""});
    // "A to B" when the rows make links; a figure alone says "A, B".
    x.quote = k.from + (vr.edges ? " to " : ", ") + k.to + " (" + k.period +
              "): " + with_unit(x.v, here.unit) + (counting ? ", count of " : ", sum of ") +
              std::to_string(group.size()) + (group.size() == 1 ? " row" : " rows");
    if (templated) {
      x.quote += ": ";
      size_t listed = 0;
      for (const Kept* r : group) {
        if (x.quote.size() + r->text.size() > kQuoteBudget) break;
        x.quote += (listed++ ? "; " : "") + r->text;
      }
      if (listed < group.size())
        x.quote += "; and " + std::to_string(group.size() - listed) + " more";
    }
    x.page = LinesOf(group);
    x.key = aggregate + ":" + k.from + "|" + k.to + "|" + k.period;
    if (*type_col >= 0 || *domain_col >= 0) x.key += "|" + k.type + "|" + k.domain;
    if (*unit_col >= 0 && !counting) x.key += "|" + k.unit;
    // Labels holding '|' could make two groups' keys one: the second is numbered.
    if (int n = ++group_keys[x.key]; n > 1) x.key += "#" + std::to_string(n);
    AddValue(here, x, b);
  }
  return Status::Ok();
}

}  // namespace sinew::ingest::csv
