// Tables with a mapping file: a matrix CSV (rows and columns naming parties,
// cells holding values) becomes observations, and links where the values
// are large enough, each carrying the file, row and column as its locator.
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "ingest/common.h"
#include "ingest/ingest.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

// One CSV record: RFC 4180 quoting, fields may hold commas and newlines.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text,
                                                       const std::string& file) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  int line = 1, open_line = 0, open_column = 0;  // where the open quote began
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') {
          ++line;
          line_start = i + 1;
        }
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) {
        SourcePlace p{file, line, static_cast<int>(i - line_start) + 1, ""};
        return Status::Invalid("a quote inside an unquoted field", p);
      }
      quoted = was_quoted = true;
      open_line = line;
      open_column = static_cast<int>(i - line_start) + 1;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(field));
      field.clear();
      was_quoted = false;
      rows.emplace_back();
      ++line;
      line_start = i + 1;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) {
    SourcePlace p{file, open_line, open_column, ""};
    return Status::Invalid("a quoted field opened here is never closed", p);
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// A label names a node: the mapping's own names, the store's index, or a
// new node of the mapping's new_nodes type; "" when none of these.
class Labels {
 public:
  Labels(const json& m, const StoreView& view, Batch* b)
      : names_(m.value("names", json::object())),
        new_type_(m.value("new_nodes", json::object()).value("type", "")),
        view_(view),
        b_(b) {}

  std::string Resolve(const std::string& label) {
    auto it = resolved_.find(label);
    if (it != resolved_.end()) return it->second;
    std::string slug;
    if (names_.contains(label)) {
      slug = names_[label].get<std::string>();
    } else {
      std::vector<NodeId> ids;
      (void)view_.ForEachName(NormalizeName(label) + std::string(1, '\0'),
                              [&](const std::string&, NodeId id) {
                                ids.push_back(id);
                                return ids.size() < 2;
                              });
      if (ids.size() == 1)
        if (Result<NodeRecord> n = view_.NodeById(ids[0]); n.ok()) slug = n->slug;
    }
    if (slug.empty() && !new_type_.empty()) {
      slug = Slugify(label);
      if (!declared_.count(slug) && !view_.NodeBySlug(slug).ok()) {
        declared_.insert(slug);
        NodeDraft d;
        d.slug = slug;
        d.type = new_type_;
        d.name = label;
        d.place = b_->source_place;
        d.where.place = b_->source_place;
        b_->nodes.push_back(std::move(d));
      }
    }
    resolved_[label] = slug;
    return slug;
  }

 private:
  json names_;
  std::string new_type_;
  const StoreView& view_;
  Batch* b_;
  std::unordered_map<std::string, std::string> resolved_;
  std::unordered_set<std::string> declared_;
};

// A number in a cell; empty, "-", "n/a" and "^" (bp's "less than 0.05") are 0.
Status ValueAt(const std::vector<std::string>& row, size_t c, const std::string& column,
               const std::string& file, int line, double* v) {
  std::string cell = c < row.size() ? Trim(row[c]) : "";
  if (cell.empty() || cell == "-" || cell == "n/a" || cell == "^") {
    *v = 0;
    return Status::Ok();
  }
  char* end = nullptr;
  *v = std::strtod(cell.c_str(), &end);
  if (end == cell.c_str() || *end != 0 || !std::isfinite(*v))
    return Status::Invalid("'" + cell + "' is not a number (column '" + column + "')",
                           SourcePlace{file, line, static_cast<int>(c) + 1, ""});
  return Status::Ok();
}

// What every value becomes: the evidence quoting it, its observation, and
// the link when the mapping asks for one and the value is large enough.
struct ValueRules {
  std::string metric, unit, period;
  std::string section;       // the file's name, each evidence record's locator section
  std::string type, domain;  // from the row, when the table has such columns
  bool observations = false, edges = false;
  // The mapping's "observation" and "edge" objects (empty when absent); the
  // mapping outlives the read. Pointers, as the rules are copied per row.
  const json* ob = nullptr;
  const json* ed = nullptr;
  std::string edge_type, edge_domain;  // the mapping's, unless a column gives them
  bool share_strength = false;         // edge strength = share of the party's total
  double min_value = 0;
  int credibility = 2;
};

void AddValue(const ValueRules& r, const std::string& file, int line, size_t column,
              const std::string& column_name, const std::string& key, const std::string& quote,
              const std::string& subject, const std::string& object, const std::string& src,
              const std::string& dst, const std::string& src_name, double v, double total,
              const std::string& total_of, const std::string& period, Batch* b) {
  EvidenceDraft e;
  e.key = key;
  e.quote = quote;
  e.paraphrase = true;
  e.locator.section = r.section;
  e.locator.paragraph = line;
  e.locator.page = "column " + std::to_string(column + 1) + " (" + column_name + ")";
  e.credibility = r.credibility;
  e.modality = Modality::kObserved;
  e.valid_from = period;
  e.valid_to = period;
  e.place = SourcePlace{file, line, static_cast<int>(column) + 1, ""};
  if (r.observations) {
    ObservationDraft o;
    o.subject = subject;
    o.object = object;
    o.metric = r.metric;
    o.unit = r.unit;
    o.period = period;
    o.low = o.high = v;
    o.evidence = e;
    o.place = e.place;
    o.where.place = e.place;
    b->observations.push_back(std::move(o));
  }
  if (r.edges && v >= r.min_value) {
    EdgeDraft d;
    d.type = r.type.empty() ? r.edge_type : r.type;
    d.src = src;
    d.dst = dst;
    d.domain = r.domain.empty() ? r.edge_domain : r.domain;
    d.place = e.place;
    d.where.place = e.place;
    if (r.share_strength && total > 0) {
      e.strength = std::min(1.0, v / total);
      e.basis = src_name + " supplies " + Number(100 * v / total) + "% of " + total_of +
                "'s total (" + Number(total) + (r.unit.empty() ? "" : " " + r.unit) + ")";
    }
    d.evidence.push_back(std::move(e));
    b->edges.push_back(std::move(d));
  }
}

Status EdgeTypeMissing(SourcePlace mplace, bool rows) {
  mplace.pointer = "/edge/type";
  return Status::Invalid(std::string("the mapping's edge needs a \"type\"") +
                             (rows ? " (or rows.type naming a column)" : ""),
                         mplace);
}

// A whole number from the mapping, checked: a value past `hi` (4000000000
// for a header row) is refused as itself, not read as its wrapped form.
Result<int> MappingInt(const json& v, const std::string& pointer, long lo, long hi,
                       SourcePlace mplace) {
  mplace.pointer = pointer;
  if (!v.is_number_integer())
    return Status::Invalid("the mapping's " + pointer + " must be a whole number", mplace);
  long long x =
      v.is_number_unsigned()
          ? static_cast<long long>(std::min<uint64_t>(v.get<uint64_t>(), uint64_t{1} << 62))
          : v.get<long long>();
  if (x < lo || x > hi)
    return Status::Invalid("the mapping's " + pointer + " is " + std::to_string(x) +
                               "; it must be " + std::to_string(lo) + " to " + std::to_string(hi),
                           mplace);
  return static_cast<int>(x);
}

// A matrix: row labels down one column, column labels across header rows,
// values in the cells.
Status ReadMatrix(const std::vector<std::vector<std::string>>& rows, const std::string& file,
                  const json& m, const SourcePlace& mplace, ValueRules vr, Labels& labels,
                  Batch* b) {
  const json& mx = m["matrix"];
  // A header may run over several rows ("Russian " above "Federation"):
  // header_rows joins them cell by cell.
  std::vector<int> header_rows;
  constexpr long kMaxRow = 100'000'000;
  if (mx.contains("header_rows")) {
    if (!mx["header_rows"].is_array())
      return Status::Invalid("the mapping's header_rows is a list of row numbers", mplace);
    for (size_t k = 0; k < mx["header_rows"].size(); ++k) {
      Result<int> h = MappingInt(mx["header_rows"][k], "/matrix/header_rows/" + std::to_string(k),
                                 1, kMaxRow, mplace);
      if (!h.ok()) return h.status();
      header_rows.push_back(h.value());
    }
  } else {
    if (!mx.contains("header_row"))
      return Status::Invalid("the mapping's matrix needs a header_row", mplace);
    Result<int> h = MappingInt(mx["header_row"], "/matrix/header_row", 1, kMaxRow, mplace);
    if (!h.ok()) return h.status();
    header_rows = {h.value()};
  }
  if (header_rows.empty()) return Status::Invalid("the mapping's header_rows is empty", mplace);
  for (int h : header_rows)
    if (h < 1 || h > static_cast<int>(rows.size()))
      return Status::Invalid("header row " + std::to_string(h) + " is past the end of the table",
                             SourcePlace{file, static_cast<int>(rows.size()), 1, ""});
  int header_row = header_rows.back();
  int label_col = 1;
  if (mx.contains("row_label_column")) {
    Result<int> c =
        MappingInt(mx["row_label_column"], "/matrix/row_label_column", 1, 100000, mplace);
    if (!c.ok()) return c.status();
    label_col = c.value();
  }
  std::vector<std::string> header;
  for (int h : header_rows) {
    const std::vector<std::string>& part = rows[h - 1];
    if (header.size() < part.size()) header.resize(part.size());
    for (size_t c = 0; c < part.size(); ++c) {
      std::string cell = Trim(part[c]);
      if (!cell.empty()) header[c] = header[c].empty() ? cell : header[c] + " " + cell;
    }
  }
  std::set<std::string> skip;
  for (const auto& l : mx.value("skip_labels", json::array())) skip.insert(l.get<std::string>());
  std::vector<std::string> prefixes;
  for (const auto& p : mx.value("skip_prefixes", json::array()))
    prefixes.push_back(p.get<std::string>());
  std::set<std::string> only;
  for (const auto& r : mx.value("only_rows", json::array())) only.insert(r.get<std::string>());
  vr.unit = mx.value("unit", "");
  vr.period = mx.at("period").get<std::string>();
  if (!ParseDate(vr.period).ok())
    return Status::Invalid("the mapping's period: " + ParseDate(vr.period).status().message(),
                           mplace);
  std::string total_col = mx.value("total_column", "");
  auto skipped = [&](const std::string& label) {
    if (label.empty() || skip.count(label)) return true;
    for (const auto& p : prefixes)
      if (label.rfind(p, 0) == 0) return true;
    return false;
  };
  int total_index = -1;
  for (size_t c = 0; c < header.size(); ++c)
    if (header[c] == total_col) total_index = static_cast<int>(c);
  if (vr.edges && vr.edge_type.empty()) return EdgeTypeMissing(mplace, false);
  bool row_subject = vr.ob->value("subject", "row") == "row";
  bool col_object = vr.ob->value("object", "column") == "column";
  bool col_src = vr.ed->value("src", "column") == "column";
  bool row_dst = vr.ed->value("dst", "row") == "row";
  for (size_t r = static_cast<size_t>(header_row); r < rows.size(); ++r) {
    const auto& row = rows[r];
    int line = static_cast<int>(r) + 1;
    if (row.size() <= static_cast<size_t>(label_col - 1)) continue;
    std::string label = Trim(row[label_col - 1]);
    if (skipped(label) || (!only.empty() && !only.count(label))) continue;
    if (row.size() > header.size())
      return Status::Invalid("row has " + std::to_string(row.size()) + " fields, the header " +
                                 std::to_string(header.size()),
                             SourcePlace{file, line, 1, ""});
    double total = 0;
    if (total_index >= 0)
      SINEW_RETURN_IF_ERROR(
          ValueAt(row, static_cast<size_t>(total_index), total_col, file, line, &total));
    std::string row_slug = labels.Resolve(label);
    if (row_slug.empty()) continue;
    for (size_t c = 0; c < row.size(); ++c) {
      if (static_cast<int>(c) == label_col - 1 || static_cast<int>(c) == total_index) continue;
      const std::string& col = header[c];
      if (skipped(col)) continue;
      double v = 0;
      SINEW_RETURN_IF_ERROR(ValueAt(row, c, col, file, line, &v));
      if (v == 0) continue;
      std::string col_slug = labels.Resolve(col);
      if (col_slug.empty() || col_slug == row_slug) continue;
      std::string quote = label + " from " + col + ": " + Number(v) +
                          (vr.unit.empty() ? "" : " " + vr.unit) + " (" + vr.period + ")";
      AddValue(vr, file, line, c, col, "cell:" + label + "|" + col, quote,
               row_subject ? row_slug : col_slug, col_object ? col_slug : row_slug,
               col_src ? col_slug : row_slug, row_dst ? row_slug : col_slug, col_src ? col : label,
               v, total, label, vr.period, b);
    }
  }
  return Status::Ok();
}

// An edge list: one link (or value) per row, in named columns.
Status ReadRows(const std::vector<std::vector<std::string>>& rows, const std::string& file,
                const json& m, const SourcePlace& mplace, ValueRules vr, Labels& labels, Batch* b) {
  const json& rm = m["rows"];
  int header_row = 1;
  if (rm.contains("header_row")) {
    Result<int> h = MappingInt(rm["header_row"], "/rows/header_row", 1, 100'000'000, mplace);
    if (!h.ok()) return h.status();
    header_row = h.value();
  }
  if (header_row < 1 || header_row > static_cast<int>(rows.size()))
    return Status::Invalid("header row " + std::to_string(header_row) + " is past the end",
                           SourcePlace{file, static_cast<int>(rows.size()), 1, ""});
  const std::vector<std::string>& header = rows[header_row - 1];
  // Columns named by the mapping, found in the header.
  auto column = [&](const char* field, bool required) -> Result<int> {
    std::string name = rm.value(field, "");
    if (name.empty()) {
      if (!required) return -1;
      SourcePlace p = mplace;
      p.pointer = std::string("/rows/") + field;
      return Status::Invalid(std::string("the mapping's rows need \"") + field + "\"", p);
    }
    for (size_t c = 0; c < header.size(); ++c)
      if (Trim(header[c]) == name) return static_cast<int>(c);
    return Status::Invalid("no column '" + name + "' in the header (for rows." + field + ")",
                           SourcePlace{file, header_row, 1, ""});
  };
  Result<int> src_col = column("src", true), dst_col = column("dst", true);
  Result<int> value_col = column("value", false), period_col = column("period", false);
  Result<int> unit_col = column("unit", false);
  Result<int> type_col = column("type", false), domain_col = column("domain", false);
  for (const Result<int>* c :
       {&src_col, &dst_col, &value_col, &period_col, &unit_col, &type_col, &domain_col})
    if (!c->ok()) return c->status();
  if (vr.edges && *type_col < 0 && vr.edge_type.empty()) return EdgeTypeMissing(mplace, true);
  vr.unit = rm.value("unit_value", "");
  std::string fixed_period = rm.value("period_value", "");
  if (*period_col < 0 && fixed_period.empty())
    return Status::Invalid("the mapping's rows need \"period\" (a column) or \"period_value\"",
                           mplace);
  if (vr.observations && *value_col < 0)
    return Status::Invalid("observations need a \"value\" column", mplace);
  std::set<std::string> only;
  for (const auto& r : rm.value("only", json::array())) only.insert(r.get<std::string>());
  std::string only_column = rm.value("only_column", "dst");
  // Shares of each party's total, per period, for share_of_total strength.
  std::map<std::pair<std::string, std::string>, double> totals;
  bool shares = vr.share_strength && *value_col >= 0;
  bool total_by_dst = vr.ed->value("share_of", "dst") == "dst";
  bool dst_subject = vr.ob->value("subject", "dst") == "dst";
  auto period_of = [&](const std::vector<std::string>& row) {
    return *period_col >= 0 && static_cast<size_t>(*period_col) < row.size()
               ? Trim(row[*period_col])
               : fixed_period;
  };
  if (shares)
    for (size_t r = static_cast<size_t>(header_row); r < rows.size(); ++r) {
      const auto& row = rows[r];
      double v = 0;
      if (!ValueAt(row, *value_col, rm.value("value", ""), file, static_cast<int>(r) + 1, &v).ok())
        continue;  // reported in the main pass
      size_t party = static_cast<size_t>(total_by_dst ? *dst_col : *src_col);
      if (party < row.size()) totals[{Trim(row[party]), period_of(row)}] += v;
    }
  std::unordered_map<std::string, int> seen;
  for (size_t r = static_cast<size_t>(header_row); r < rows.size(); ++r) {
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
    std::string from = cell(*src_col), to = cell(*dst_col);
    if (from.empty() || to.empty())
      return Status::Invalid("row names no " + std::string(from.empty() ? "src" : "dst"),
                             SourcePlace{file, line, (from.empty() ? *src_col : *dst_col) + 1, ""});
    if (!only.empty() && !only.count(only_column == "src" ? from : to)) continue;
    std::string period = period_of(row);
    if (!ParseDate(period).ok())
      return Status::Invalid("bad period '" + period + "': " + ParseDate(period).status().message(),
                             SourcePlace{file, line, *period_col + 1, ""});
    double v = 1;
    if (*value_col >= 0) {
      SINEW_RETURN_IF_ERROR(ValueAt(row, *value_col, rm.value("value", ""), file, line, &v));
      if (v == 0) continue;
    }
    ValueRules here = vr;
    if (*unit_col >= 0) here.unit = cell(*unit_col);
    if (*type_col >= 0) here.type = cell(*type_col);
    if (*domain_col >= 0) here.domain = cell(*domain_col);
    std::string src = labels.Resolve(from), dst = labels.Resolve(to);
    if (src.empty() || dst.empty())
      return Status::Invalid("'" + (src.empty() ? from : to) +
                                 "' names no node: add it to the mapping's names, or set "
                                 "new_nodes",
                             SourcePlace{file, line, (src.empty() ? *src_col : *dst_col) + 1, ""});
    if (src == dst) continue;
    std::string what =
        *value_col >= 0 ? ": " + Number(v) + (here.unit.empty() ? "" : " " + here.unit) : "";
    std::string quote = from + " to " + to + what + " (" + period + ")";
    std::string party = total_by_dst ? to : from;
    // The same pair and period again (two contracts, say): a key of its own.
    std::string key = "row:" + from + "|" + to + "|" + period;
    if (*type_col >= 0 || *domain_col >= 0) key += "|" + here.type + "|" + here.domain;
    if (int n = ++seen[key]; n > 1) key += "#" + std::to_string(n);
    double total = shares ? totals[{party, period}] : 0;
    AddValue(here, file, line, static_cast<size_t>(std::max(*value_col, *dst_col)),
             rm.value("value", rm.value("dst", "")), key, quote, dst_subject ? dst : src,
             dst_subject ? src : dst, src, dst, from, v, total, party, period, b);
  }
  return Status::Ok();
}

}  // namespace

Result<Batch> ReadCsvTable(std::string_view bytes, const std::string& file,
                           std::string_view mapping_text, const std::string& mapping_file,
                           const StoreView& view) {
  SINEW_RETURN_IF_ERROR(CheckText(bytes, file));
  SourcePlace mplace;
  mplace.file = mapping_file;
  json m;
  try {
    m = json::parse(mapping_text);
  } catch (const json::exception& e) {
    return JsonSyntaxError(e, mapping_text, mplace, "the mapping is not valid JSON");
  }
  if (!m.is_object() || m.value("format", "") != "sinew-csv-mapping/1")
    return Status::Invalid("the mapping's \"format\" must be \"sinew-csv-mapping/1\"", mplace);
  auto need = [&](const char* key) -> Status {
    if (m.contains(key)) return Status::Ok();
    SourcePlace p = mplace;
    p.pointer = std::string("/") + key;
    return Status::Invalid(std::string("the mapping needs \"") + key + "\"", p);
  };
  SINEW_RETURN_IF_ERROR(need("source"));
  if (!m.contains("rows")) {
    SINEW_RETURN_IF_ERROR(need("matrix"));
    SINEW_RETURN_IF_ERROR(need("observation"));
  }
  Result<std::vector<std::vector<std::string>>> rows = ParseCsv(bytes, file);
  if (!rows.ok()) return rows.status();
  Batch b;
  b.file = file;
  b.content_hash = ContentHash(std::string(bytes) + std::string(mapping_text));
  b.source_place.file = file;
  try {
    const json& s = m["source"];
    b.source.slug = s.at("id").get<std::string>();
    b.source.title = s.at("title").get<std::string>();
    b.source.publisher = s.value("publisher", "");
    b.source.published = s.value("published", "");
    b.source.kind = s.value("kind", "dataset");
    b.source.url = s.value("url", "");
    b.source.reliability = s.value("reliability", "");
    if (s.contains("marking")) {
      Result<Marking> mk = ParseMarking(s["marking"].get<std::string>());
      if (!mk.ok()) return Status::Invalid(mk.status().message(), mplace);
      b.source.marking = mk.value();
    }
    static const json kNone = json::object();
    ValueRules vr;
    vr.section = std::filesystem::path(file).filename().string();
    vr.observations = m.contains("observation");
    vr.ob = vr.observations ? &m["observation"] : &kNone;
    if (vr.observations) vr.metric = vr.ob->at("metric").get<std::string>();
    vr.edges = m.contains("edge");
    vr.ed = vr.edges ? &m["edge"] : &kNone;
    vr.edge_type = vr.ed->value("type", "");
    vr.edge_domain = vr.ed->value("domain", "");
    vr.share_strength = vr.ed->value("strength", "") == "share_of_total";
    vr.min_value = vr.ed->value("min_value", 0.0);
    vr.credibility = m.value("credibility", 2);
    Labels labels(m, view, &b);
    Status read = m.contains("rows") ? ReadRows(*rows, file, m, mplace, vr, labels, &b)
                                     : ReadMatrix(*rows, file, m, mplace, vr, labels, &b);
    if (!read.ok()) return read;
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("the mapping: ") + e.what(), mplace);
  }
  if (b.observations.empty() && b.edges.empty())
    return Status::Invalid("the mapping selected no values from this table", mplace);
  return b;
}

}  // namespace sinew::ingest
