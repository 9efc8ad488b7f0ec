// The JSON Lines export (format sinew-jsonl/1) read back: one batch per
// exported source, so that every claim returns to the source that made it.
// A first pass declares each new source's nodes, so that a source may link
// nodes another source in the file names (docs/formats.md#jsonl).
#include <map>

#include "ingest/common.h"
#include "ingest/ingest.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

class LinesReader {
 public:
  LinesReader(const std::string& file, const StoreView& view) : file_(file), view_(view) {}

  Result<std::vector<Batch>> Read(std::string_view bytes);

 private:
  SourcePlace Place(const std::string& pointer = "") const {
    return SourcePlace{file_, line_, 1, pointer};
  }
  Status Error(const std::string& msg, const std::string& pointer = "") const {
    return Status::Invalid(msg, Place(pointer));
  }
  Status Source(const json& j);
  Status Node(const json& j);
  Status Edge(const json& j);
  Status Observation(const json& j);
  Result<EvidenceDraft> Evidence(const json& j, const std::string& pointer);
  Result<size_t> SourceIndex(const json& j, const std::string& pointer);

  std::string file_;
  const StoreView& view_;
  int line_ = 0;
  std::vector<Batch> full_, first_;             // per source: everything; its nodes only
  std::map<std::string, size_t> sources_;       // slug -> index
  std::map<std::string, NodeDraft> unclaimed_;  // nodes whose claims stayed above clearance
};

// A string field, or "" when absent or null; a type error names the field.
// Thrown by Text for a field that is not a string: the line's error names it.
struct NotText {
  std::string key;
};

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (!it->is_string()) throw NotText{key};
  return it->get<std::string>();
}

Status LinesReader::Source(const json& j) {
  Batch b;
  b.file = file_;
  b.source_place = Place();
  if (Status s = SourceFromJson(j, "source_kind", &b.source); !s.ok()) return Error(s.message());
  const std::string& slug = b.source.slug;
  if (sources_.count(slug)) return Error("source '" + slug + "' appears twice", "/id");
  b.content_hash = Text(j, "content_hash");
  b.force = true;
  Batch first = b;
  first.content_hash.clear();
  sources_[slug] = full_.size();
  full_.push_back(std::move(b));
  first_.push_back(std::move(first));
  return Status::Ok();
}

Result<size_t> LinesReader::SourceIndex(const json& j, const std::string& pointer) {
  std::string slug = Text(j, "source");
  auto it = sources_.find(slug);
  if (it == sources_.end())
    return Error("source '" + slug + "' has no source line before this one", pointer + "/source");
  return it->second;
}

Status LinesReader::Node(const json& j) {
  NodeDraft d;
  d.slug = Text(j, "id");
  d.type = Text(j, "type");
  if (d.slug.empty() || d.type.empty()) return Error("a node line needs \"id\" and \"type\"");
  d.place = Place();
  d.where.place = d.place;
  const json claims = j.value("claims", json::array());
  if (claims.empty()) {
    // Every source naming it is above the export's clearance: the node is
    // declared by the first source whose evidence uses it.
    d.name = Text(j, "name");
    d.aliases = j.value("aliases", std::vector<std::string>{});
    unclaimed_[d.slug] = d;
    return Status::Ok();
  }
  // Evidence on the node goes with the claim of the source that gave it.
  std::map<size_t, std::vector<EvidenceDraft>> evidence;
  const json node_ev = j.value("evidence", json::array());
  for (size_t k = 0; k < node_ev.size(); ++k) {
    std::string ptr = "/evidence/" + std::to_string(k);
    Result<size_t> src = SourceIndex(node_ev[k], ptr);
    if (!src.ok()) return src.status();
    Result<EvidenceDraft> e = Evidence(node_ev[k], ptr);
    if (!e.ok()) return e.status();
    evidence[*src].push_back(std::move(e).value());
  }
  for (size_t k = 0; k < claims.size(); ++k) {
    const json& c = claims[k];
    std::string ptr = "/claims/" + std::to_string(k);
    Result<size_t> src = SourceIndex(c, ptr);
    if (!src.ok()) return src.status();
    NodeDraft n = d;
    n.name = Text(c, "name");
    n.aliases = c.value("aliases", std::vector<std::string>{});
    n.props = c.value("props", json::object());
    n.proposed = c.value("proposed", false);
    if (c.contains("marking")) {  // above the source's: the claim was marked itself
      if (!c["marking"].is_string()) return Error("a claim's marking is text", ptr + "/marking");
      Result<Marking> m = ParseMarking(c["marking"].get<std::string>());
      if (!m.ok()) return Error(m.status().message(), ptr + "/marking");
      n.marking = m.value();
    }
    first_[*src].nodes.push_back(n);
    n.evidence = std::move(evidence[*src]);
    evidence.erase(*src);
    full_[*src].nodes.push_back(std::move(n));
  }
  if (!evidence.empty())
    return Error("node evidence from a source that makes no claim on the node", "/evidence");
  return Status::Ok();
}

Result<EvidenceDraft> LinesReader::Evidence(const json& j, const std::string& pointer) {
  EvidenceDraft e;
  e.place = Place(pointer);
  e.key = Text(j, "key");
  e.quote = Text(j, "quote");
  e.paraphrase = j.value("paraphrase", false);
  e.basis = Text(j, "basis");
  e.analyst = Text(j, "analyst");
  const json loc = j.value("locator_parts", json::object());
  e.locator.section = Text(loc, "section");
  e.locator.paragraph = loc.value("paragraph", 0);
  e.locator.page = Text(loc, "page");
  e.locator.start = loc.value("start", int64_t{-1});
  e.locator.end = loc.value("end", int64_t{-1});
  e.valid_from = Text(j, "valid_from");
  e.valid_to = Text(j, "valid_to");
  e.reliability = Text(j, "reliability");
  e.credibility = j.value("credibility", 0);
  if (j.contains("strength") && !j["strength"].is_null()) e.strength = j["strength"].get<double>();
  if (j.contains("replaceability") && !j["replaceability"].is_null())
    e.replaceability = j["replaceability"].get<double>();
  Result<Stance> stance = ParseStance(j.value("stance", "supports"));
  if (!stance.ok()) return Error(stance.status().message(), pointer + "/stance");
  e.stance = stance.value();
  Result<Modality> mod = ParseModality(j.value("modality", "assessed"));
  if (!mod.ok()) return Error(mod.status().message(), pointer + "/modality");
  e.modality = mod.value();
  Result<EvidenceStatus> st = ParseEvidenceStatus(j.value("status", "accepted"));
  if (!st.ok()) return Error(st.status().message(), pointer + "/status");
  e.status = st.value();
  if (!j.contains("marking") || !j["marking"].is_string())
    return Error("the evidence record has no marking (an export writes one on every record)",
                 pointer + "/marking");
  Result<Marking> mk = ParseMarking(j["marking"].get<std::string>());
  if (!mk.ok()) return Error(mk.status().message(), pointer + "/marking");
  e.marking = mk.value();
  return e;
}

Status LinesReader::Edge(const json& j) {
  const json evidence = j.value("evidence", json::array());
  if (evidence.empty()) return Error("an edge line needs its evidence", "/evidence");
  // The edge, once per source that gives evidence for it.
  std::map<size_t, EdgeDraft> by_source;
  for (size_t k = 0; k < evidence.size(); ++k) {
    std::string ptr = "/evidence/" + std::to_string(k);
    Result<size_t> src = SourceIndex(evidence[k], ptr);
    if (!src.ok()) return src.status();
    Result<EvidenceDraft> e = Evidence(evidence[k], ptr);
    if (!e.ok()) return e.status();
    auto [it, fresh] = by_source.try_emplace(*src);
    if (fresh) {
      EdgeDraft& d = it->second;
      d.src = Text(j, "src");
      d.dst = Text(j, "dst");
      d.type = Text(j, "type");
      d.domain = Text(j, "domain");
      d.place = Place();
      d.where.place = d.place;
      for (const std::string& end : {d.src, d.dst})
        if (auto u = unclaimed_.find(end); u != unclaimed_.end()) {
          full_[*src].nodes.push_back(u->second);
          first_[*src].nodes.push_back(u->second);
          unclaimed_.erase(u);
        }
    }
    it->second.evidence.push_back(std::move(e).value());
  }
  for (auto& [src, d] : by_source) full_[src].edges.push_back(std::move(d));
  return Status::Ok();
}

Status LinesReader::Observation(const json& j) {
  const json evidence = j.value("evidence", json::array());
  if (evidence.size() != 1) return Error("an observation line needs one evidence record");
  Result<size_t> src = SourceIndex(evidence[0], "/evidence/0");
  if (!src.ok()) return src.status();
  Result<EvidenceDraft> e = Evidence(evidence[0], "/evidence/0");
  if (!e.ok()) return e.status();
  ObservationDraft o;
  o.subject = Text(j, "subject");
  o.object = Text(j, "object");
  o.metric = Text(j, "metric");
  o.unit = Text(j, "unit");
  o.period = Text(j, "period");
  const json& v = j.at("value");
  if (v.is_object()) {
    o.low = v.at("low").get<double>();
    o.high = v.at("high").get<double>();
  } else {
    o.low = o.high = v.get<double>();
  }
  o.evidence = std::move(e).value();
  o.place = Place();
  o.where.place = o.place;
  full_[*src].observations.push_back(std::move(o));
  return Status::Ok();
}

Result<std::vector<Batch>> LinesReader::Read(std::string_view bytes) {
  bool header = false;
  size_t at = 0;
  while (at < bytes.size()) {
    size_t end = bytes.find('\n', at);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view text = bytes.substr(at, end - at);
    at = end + 1;
    ++line_;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j;
    try {
      j = json::parse(text);
    } catch (const json::exception& e) {
      SourcePlace p = Place();
      p.column = 1;
      return JsonSyntaxError(e, text, p, "not JSON");
    }
    if (!j.is_object()) return Error("each line is a JSON object");
    try {
      std::string kind = Text(j, "kind");
      if (!header) {
        std::string format = Text(j, "format");
        if (kind == "export" && format.rfind("sinew-jsonl/", 0) == 0 && format != "sinew-jsonl/1")
          return Error("format " + format +
                       " is not one this sinew reads (sinew-jsonl/1); upgrade sinew to read it");
        if (kind != "export" || format != "sinew-jsonl/1")
          return Error(
              "the first line must be the export header {\"kind\": \"export\", \"format\": "
              "\"sinew-jsonl/1\"}");
        header = true;
        continue;
      }
      Status s =
          kind == "source" ? Source(j)
          : kind == "node" ? Node(j)
          : kind == "edge" ? Edge(j)
          : kind == "observation"
              ? Observation(j)
              : Error("unknown kind '" + kind + "': lines are source, node, edge or observation",
                      "/kind");
      if (!s.ok()) return s;
    } catch (const json::exception& e) {
      return Error(std::string("a field has the wrong type: ") + e.what());
    } catch (const NotText& e) {
      return Error("\"" + e.key + "\" must be a string");
    }
  }
  if (!header) return Error("empty: no export header");
  if (full_.empty()) return Error("the export holds no sources");
  return KeepNewSources(std::move(first_), std::move(full_), view_);
}

}  // namespace

Result<std::vector<Batch>> ReadJsonLines(std::string_view bytes, const std::string& file,
                                         const StoreView& view) {
  LinesReader reader(file, view);
  return reader.Read(bytes);
}

}  // namespace sinew::ingest
