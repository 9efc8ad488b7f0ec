// Tables with a mapping file: a matrix CSV (rows and columns naming parties,
// cells holding values) becomes observations, and links where the values
// are large enough, each carrying the file, row and column as its locator.
// The edge-list shape is csv_rows.cc's.
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "ingest/common.h"
#include "ingest/csv_mapping.h"
#include "ingest/ingest.h"

namespace sinew::ingest {
namespace csv {

using nlohmann::json;

Result<Table> ParseCsv(std::string_view text, const std::string& file) {
  // DOS's end-of-file byte, which OFAC's sdn.csv still ends with.
  if (!text.empty() && text.back() == '\x1a') text.remove_suffix(1);
  Table rows(1);
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

Labels::Labels(const json& m, const StoreView& view, Batch* b)
    : names_(m.value("names", json::object())),
      new_type_(m.value("new_nodes", json::object()).value("type", "")),
      view_(view),
      b_(b) {}

Status Labels::Check(const SourcePlace& mplace) const {
  SourcePlace p = mplace;
  p.pointer = "/names";
  if (!names_.is_object())
    return Status::Invalid("the mapping's names map each label to a slug", p);
  for (const auto& [label, v] : names_.items()) {
    p.pointer = "/names/" + label;
    if (v.is_string() && !v.get<std::string>().empty()) continue;
    if (!v.is_object() || !v.contains("slug") || !v["slug"].is_string() ||
        v["slug"].get<std::string>().empty() || !v.contains("type") || !v["type"].is_string() ||
        (v.contains("name") && !v["name"].is_string()))
      return Status::Invalid(
          "a name maps to a slug, or to {\"slug\", \"type\", \"name\"} to create the node", p);
  }
  return Status::Ok();
}

void Labels::Declare(const std::string& slug, const std::string& type, const std::string& name) {
  if (declared_.count(slug) || view_.NodeBySlug(slug).ok()) return;
  declared_.insert(slug);
  NodeDraft d;
  d.slug = slug;
  d.type = type;
  d.name = name;
  d.place = b_->source_place;
  d.where.place = b_->source_place;
  b_->nodes.push_back(std::move(d));
}

std::string Labels::Resolve(const std::string& label, const std::string& type) {
  std::string new_type = type.empty() ? new_type_ : type;
  std::string cache = label + std::string(1, '\0') + type;
  auto it = resolved_.find(cache);
  if (it != resolved_.end()) return it->second;
  std::string slug;
  if (names_.contains(label)) {
    const json& v = names_[label];
    if (v.is_string()) {
      slug = v.get<std::string>();
    } else {
      slug = v["slug"].get<std::string>();
      Declare(slug, v["type"].get<std::string>(), v.value("name", label));
    }
  } else {
    // Every node of that name; with a type, those of the type.
    std::vector<NodeRecord> found;
    (void)view_.ForEachName(NormalizeName(label) + std::string(1, '\0'),
                            [&](const std::string&, NodeId id) {
                              if (Result<NodeRecord> n = view_.NodeById(id); n.ok())
                                if (type.empty() || n->type == type) found.push_back(*n);
                              return found.size() < 2;
                            });
    if (found.size() == 1) slug = found[0].slug;
  }
  if (slug.empty() && !new_type.empty()) {
    slug = Slugify(label);
    // A slug the store holds for another type is not this label's node.
    if (Result<NodeRecord> n = view_.NodeBySlug(slug); n.ok() && n->type != new_type)
      slug = Slugify(label + " " + new_type);
    Declare(slug, new_type, label);
  }
  resolved_[cache] = slug;
  return slug;
}

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

void AddValue(const ValueRules& r, const Value& x, Batch* b) {
  EvidenceDraft e;
  e.key = x.key;
  e.quote = x.quote;
  e.paraphrase = true;
  e.locator.section = r.section;
  e.locator.paragraph = x.line;
  e.locator.page = x.page;
  e.credibility = r.credibility;
  e.modality = Modality::kObserved;
  e.valid_from = x.period;
  e.valid_to = x.period;
  e.place = SourcePlace{x.file, x.line, static_cast<int>(x.column) + 1, ""};
  if (r.observations) {
    ObservationDraft o;
    o.subject = x.subject;
    o.object = x.object;
    o.metric = r.metric;
    o.unit = r.unit;
    o.period = x.period;
    o.low = o.high = x.v;
    o.evidence = e;
    o.place = e.place;
    o.where.place = e.place;
    b->observations.push_back(std::move(o));
  }
  if (r.edges && x.v >= r.min_value) {
    EdgeDraft d;
    d.type = r.type.empty() ? r.edge_type : r.type;
    d.src = x.src;
    d.dst = x.dst;
    d.domain = r.domain.empty() ? r.edge_domain : r.domain;
    d.place = e.place;
    d.where.place = e.place;
    if (r.share_strength && x.total > 0) {
      e.strength = std::min(1.0, x.v / x.total);
      e.basis = x.src_name + " supplies " + Number(100 * x.v / x.total) + "% of " + x.total_of +
                "'s total (" + Number(x.total) + (r.unit.empty() ? "" : " " + r.unit) + ")";
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

}  // namespace csv

namespace {

using nlohmann::json;
using namespace csv;

// A matrix: row labels down one column, column labels across header rows,
// values in the cells.
Status ReadMatrix(const Table& rows, const std::string& file, const json& m,
                  const SourcePlace& mplace, ValueRules vr, Labels& labels, Batch* b) {
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
      Value x;
      x.file = file;
      x.line = line;
      x.column = c;
      x.page = "column " + std::to_string(c + 1) + " (" + col + ")";
      x.key = "cell:" + label + "|" + col;
      x.quote = quote;
      x.subject = row_subject ? row_slug : col_slug;
      x.object = col_object ? col_slug : row_slug;
      x.src = col_src ? col_slug : row_slug;
      x.dst = row_dst ? row_slug : col_slug;
      x.src_name = col_src ? col : label;
      x.v = v;
      x.total = total;
      x.total_of = label;
      x.period = vr.period;
      AddValue(vr, x, b);
    }
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
  Result<Table> rows = ParseCsv(bytes, file);
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
    SINEW_RETURN_IF_ERROR(labels.Check(mplace));
    Status read = m.contains("rows") ? ReadRows(std::move(*rows), file, m, mplace, vr, labels, &b)
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
