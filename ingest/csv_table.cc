// Tables with a mapping file: a matrix CSV (rows and columns naming parties,
// cells holding values) becomes observations, and links where the values
// are large enough, each carrying the file, row and column as its locator.
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "ingest/text.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

// One CSV record: RFC 4180 quoting, fields may hold commas and newlines.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text,
                                                       const std::string& file) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  int line = 1;
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
    SourcePlace p{file, line, 1, ""};
    return Status::Invalid("a quoted field is never closed", p);
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
  } catch (const json::parse_error& e) {
    return Status::Invalid(std::string("the mapping is not valid JSON: ") + e.what(), mplace);
  }
  auto need = [&](const json& j, const char* key, const char* where) -> Status {
    if (j.contains(key)) return Status::Ok();
    SourcePlace p = mplace;
    p.pointer = std::string(where) + "/" + key;
    return Status::Invalid(std::string("the mapping needs \"") + key + "\"", p);
  };
  for (const char* k : {"source", "matrix", "observation"}) SINEW_RETURN_IF_ERROR(need(m, k, ""));
  if (m.value("format", "") != "sinew-csv-mapping/1")
    return Status::Invalid("the mapping's \"format\" must be \"sinew-csv-mapping/1\"", mplace);
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
    const json& mx = m["matrix"];
    int header_row = mx.at("header_row").get<int>();
    int label_col = mx.value("row_label_column", 1);
    if (header_row < 1 || header_row > static_cast<int>(rows->size()))
      return Status::Invalid(
          "header_row " + std::to_string(header_row) + " is past the end of the table",
          SourcePlace{file, static_cast<int>(rows->size()), 1, ""});
    const std::vector<std::string>& header = (*rows)[header_row - 1];
    std::set<std::string> skip;
    for (const auto& l : mx.value("skip_labels", json::array())) skip.insert(l.get<std::string>());
    std::vector<std::string> prefixes;
    for (const auto& p : mx.value("skip_prefixes", json::array()))
      prefixes.push_back(p.get<std::string>());
    std::set<std::string> only;
    for (const auto& r : mx.value("only_rows", json::array())) only.insert(r.get<std::string>());
    std::string unit = mx.value("unit", "");
    std::string period = mx.at("period").get<std::string>();
    if (!ParseDate(period).ok())
      return Status::Invalid("the mapping's period: " + ParseDate(period).status().message(),
                             mplace);
    std::string total_col = mx.value("total_column", "");
    const json& ob = m["observation"];
    std::string metric = ob.at("metric").get<std::string>();
    bool edges_wanted = m.contains("edge");
    json ed = edges_wanted ? m["edge"] : json::object();
    double min_value = ed.value("min_value", 0.0);
    int credibility = m.value("credibility", 2);
    json names = m.value("names", json::object());
    std::string new_type = m.value("new_nodes", json::object()).value("type", "");
    auto skipped = [&](const std::string& label) {
      if (label.empty() || skip.count(label)) return true;
      for (const auto& p : prefixes)
        if (label.rfind(p, 0) == 0) return true;
      return false;
    };
    // A label names a node: the mapping's own names, the store's index, or a new node.
    std::map<std::string, std::string> resolved;
    auto resolve = [&](const std::string& label) -> std::string {
      auto it = resolved.find(label);
      if (it != resolved.end()) return it->second;
      std::string slug;
      if (names.contains(label)) {
        slug = names[label].get<std::string>();
      } else {
        std::vector<NodeId> ids;
        (void)view.ForEachName(NormalizeName(label) + std::string(1, '\0'),
                               [&](const std::string&, NodeId id) {
                                 ids.push_back(id);
                                 return true;
                               });
        if (ids.size() == 1) {
          if (Result<NodeRecord> n = view.NodeById(ids[0]); n.ok()) slug = n->slug;
        }
      }
      if (slug.empty() && !new_type.empty()) {
        slug = Slugify(label);
        bool declared = false;
        for (const auto& n : b.nodes) declared = declared || n.slug == slug;
        if (!declared && !view.NodeBySlug(slug).ok()) {
          NodeDraft d;
          d.slug = slug;
          d.type = new_type;
          d.name = label;
          d.place = b.source_place;
          d.where.place = b.source_place;
          b.nodes.push_back(std::move(d));
        }
      }
      resolved[label] = slug;
      return slug;
    };
    int total_index = -1;
    for (size_t c = 0; c < header.size(); ++c)
      if (Trim(header[c]) == total_col) total_index = static_cast<int>(c);
    for (size_t r = static_cast<size_t>(header_row); r < rows->size(); ++r) {
      const auto& row = (*rows)[r];
      int line = static_cast<int>(r) + 1;
      if (row.size() <= static_cast<size_t>(label_col - 1)) continue;
      std::string label = Trim(row[label_col - 1]);
      if (skipped(label) || (!only.empty() && !only.count(label))) continue;
      if (row.size() > header.size())
        return Status::Invalid("row has " + std::to_string(row.size()) + " fields, the header " +
                                   std::to_string(header.size()),
                               SourcePlace{file, line, 1, ""});
      auto value_at = [&](size_t c, double* v) -> Status {
        std::string cell = Trim(row[c]);
        if (cell.empty() || cell == "-" || cell == "n/a" || cell == "^") {
          *v = 0;
          return Status::Ok();
        }
        char* end = nullptr;
        *v = std::strtod(cell.c_str(), &end);
        if (end == cell.c_str() || *end != 0 || !std::isfinite(*v))
          return Status::Invalid(
              "'" + cell + "' is not a number (column '" + Trim(header[c]) + "')",
              SourcePlace{file, line, static_cast<int>(c) + 1, ""});
        return Status::Ok();
      };
      double total = 0;
      if (total_index >= 0 && static_cast<size_t>(total_index) < row.size())
        SINEW_RETURN_IF_ERROR(value_at(static_cast<size_t>(total_index), &total));
      std::string row_slug = resolve(label);
      if (row_slug.empty()) continue;
      for (size_t c = 0; c < row.size() && c < header.size(); ++c) {
        if (static_cast<int>(c) == label_col - 1 || static_cast<int>(c) == total_index) continue;
        std::string col = Trim(header[c]);
        if (skipped(col)) continue;
        double v = 0;
        SINEW_RETURN_IF_ERROR(value_at(c, &v));
        if (v == 0) continue;
        std::string col_slug = resolve(col);
        if (col_slug.empty() || col_slug == row_slug) continue;
        EvidenceDraft e;
        e.key = "cell:" + label + "|" + col;
        e.quote = label + " from " + col + ": " + Number(v) + (unit.empty() ? "" : " " + unit) +
                  " (" + period + ")";
        e.paraphrase = true;
        e.locator.section = std::filesystem::path(file).filename().string();
        e.locator.paragraph = line;
        e.locator.page = "column " + std::to_string(c + 1) + " (" + col + ")";
        e.credibility = credibility;
        e.modality = Modality::kObserved;
        e.valid_from = period;
        e.valid_to = period;
        e.place = SourcePlace{file, line, static_cast<int>(c) + 1, ""};
        ObservationDraft o;
        o.subject = ob.value("subject", "row") == "row" ? row_slug : col_slug;
        o.object = ob.value("object", "column") == "column" ? col_slug : row_slug;
        o.metric = metric;
        o.unit = unit;
        o.period = period;
        o.low = o.high = v;
        o.evidence = e;
        o.place = e.place;
        o.where.place = e.place;
        b.observations.push_back(o);
        if (edges_wanted && v >= min_value) {
          EdgeDraft d;
          d.type = ed.at("type").get<std::string>();
          d.src = ed.value("src", "column") == "column" ? col_slug : row_slug;
          d.dst = ed.value("dst", "row") == "row" ? row_slug : col_slug;
          d.domain = ed.value("domain", "");
          d.place = e.place;
          d.where.place = e.place;
          EvidenceDraft ee = e;
          if (ed.value("strength", "") == "share_of_total" && total > 0) {
            ee.strength = std::min(1.0, v / total);
            ee.basis = col + " supplies " + Number(100 * v / total) + "% of " + label +
                       "'s total (" + Number(total) + (unit.empty() ? "" : " " + unit) + ")";
          }
          d.evidence.push_back(ee);
          b.edges.push_back(std::move(d));
        }
      }
    }
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("the mapping: ") + e.what(), mplace);
  }
  if (b.observations.empty())
    return Status::Invalid("the mapping selected no values from this table", mplace);
  return b;
}

}  // namespace sinew::ingest
