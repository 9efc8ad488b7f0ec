// A sinew STIX export split back into the sources it named, and the public
// entry points of the STIX reader (ingest.h).
#include <algorithm>
#include <filesystem>

#include "ingest/stix_reader.h"

namespace sinew::ingest {

using stix::Mapped;
using stix::StixReader;
using stix::Str;
using json = nlohmann::json;

std::vector<Batch> StixReader::Split(Batch whole) const {
  std::vector<Batch> single;
  // The sources, in report order, and what each report lists.
  std::vector<const json*> reports;
  std::map<std::string, size_t> index;  // source slug -> position
  for (const json* o : objects_)
    if (Str(*o, "type") == "report" && o->contains("x_sinew_source") &&
        (*o)["x_sinew_source"].is_object() && !Str((*o)["x_sinew_source"], "id").empty()) {
      index.emplace(Str((*o)["x_sinew_source"], "id"), reports.size());
      reports.push_back(o);
    }
  std::map<std::string, size_t> origin;     // relationship id -> source position
  std::map<std::string, std::string> keys;  // relationship id -> the claim's key in its source
  for (const json* o : objects_) {
    if (Str(*o, "type") != "relationship" && Str(*o, "type") != "x-sinew-observation") continue;
    auto x = o->find("x_sinew_evidence");
    if (x == o->end() || !x->is_object()) continue;
    if (auto it = index.find(Str(*x, "source")); it != index.end())
      origin[Str(*o, "id")] = it->second;
    if (!Str(*x, "key").empty()) keys[Str(*o, "id")] = Str(*x, "key");
  }
  for (const auto& e : whole.edges)
    for (const auto& ev : e.evidence)
      if (!origin.count(ev.key)) reports.clear();  // not all from a sinew export: keep one source
  for (const auto& o : whole.observations)
    if (!origin.count(o.evidence.key)) reports.clear();
  if (reports.empty()) {
    single.push_back(std::move(whole));
    return single;
  }
  std::vector<Batch> first(reports.size()), full(reports.size());
  for (size_t k = 0; k < reports.size(); ++k) {
    const json& x = (*reports[k])["x_sinew_source"];
    Batch& b = full[k];
    b.file = whole.file;
    b.source_place = whole.source_place;
    if (!SourceFromJson(x, "kind", &b.source).ok()) {  // not as sinew writes it: one source
      single.push_back(std::move(whole));
      return single;
    }
    b.force = true;
    first[k] = b;
  }
  // Nodes go to the sources whose reports list them; a node no report lists
  // goes to the first source whose evidence uses it.
  std::map<std::string, std::vector<size_t>> listed;  // STIX id -> sources
  for (size_t k = 0; k < reports.size(); ++k)
    if (auto refs = reports[k]->find("object_refs"); refs != reports[k]->end() && refs->is_array())
      for (const auto& r : *refs)
        if (r.is_string()) listed[r].push_back(k);
  std::map<std::string, const NodeDraft*> by_slug;
  for (const auto& d : whole.nodes) by_slug[d.slug] = &d;
  std::set<std::pair<size_t, std::string>> declared;
  auto declare = [&](size_t k, const NodeDraft& d) {
    if (!declared.insert({k, d.slug}).second) return;
    first[k].nodes.push_back(d);
    full[k].nodes.push_back(d);
  };
  for (const auto& d : whole.nodes)
    for (size_t k : listed[d.props.value("stix_id", "")]) declare(k, d);
  for (auto& e : whole.edges) {
    std::map<size_t, EdgeDraft> parts;
    for (auto& ev : e.evidence) {
      size_t k = origin.at(ev.key);
      auto [it, fresh] = parts.try_emplace(k);
      if (fresh) {
        it->second = e;
        it->second.evidence.clear();
      }
      if (auto key = keys.find(ev.key); key != keys.end()) ev.key = key->second;
      it->second.evidence.push_back(std::move(ev));
    }
    for (auto& [k, d] : parts) {
      for (const std::string& end : {d.src, d.dst})
        if (auto n = by_slug.find(end);
            n != by_slug.end() && listed[n->second->props.value("stix_id", "")].empty())
          declare(k, *n->second);
      full[k].edges.push_back(std::move(d));
    }
  }
  for (auto& o : whole.observations) {
    size_t k = origin.at(o.evidence.key);
    if (auto key = keys.find(o.evidence.key); key != keys.end()) o.evidence.key = key->second;
    for (const std::string* end : {&o.subject, &o.object})
      if (auto n = by_slug.find(*end);
          n != by_slug.end() && listed[n->second->props.value("stix_id", "")].empty())
        declare(k, *n->second);
    full[k].observations.push_back(std::move(o));
  }
  std::vector<Batch> out = KeepNewSources(std::move(first), std::move(full), view_);
  if (!out.empty()) {
    out.back().notes.insert(out.back().notes.begin(), whole.notes.begin(), whole.notes.end());
    out.back().counts = whole.counts;
  }
  return out;
}

bool LooksLikeStix(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 4096);
  auto has = [&](std::string_view key, std::string_view value) {
    for (size_t at = head.find(key); at != std::string_view::npos; at = head.find(key, at + 1)) {
      size_t p = at + key.size();
      while (p < head.size() && (head[p] == ' ' || head[p] == ':' || head[p] == '\n' ||
                                 head[p] == '\r' || head[p] == '\t'))
        ++p;
      if (value.empty() || head.substr(p, value.size()) == value) return true;
    }
    return false;
  };
  return has("\"type\"", "\"bundle\"") || has("\"spec_version\"", "\"2.");
}

Result<Batch> ReadStix(std::string_view bytes, const std::string& file,
                       std::string_view mapping_text, const std::string& mapping_file,
                       const StoreView& view) {
  Result<std::vector<Batch>> all = ReadStixSources(bytes, file, mapping_text, mapping_file, view,
                                                   /*split=*/false);
  if (!all.ok()) return all.status();
  return std::move(all->front());
}

Result<std::vector<Batch>> ReadStixSources(std::string_view bytes, const std::string& file,
                                           std::string_view mapping_text,
                                           const std::string& mapping_file, const StoreView& view,
                                           bool split) {
  json mapping;
  try {
    mapping = json::parse(mapping_text);
  } catch (const json::exception& e) {
    SourcePlace p;
    p.file = mapping_file;
    return JsonSyntaxError(e, mapping_text, p, "the mapping is not valid JSON");
  }
  Result<PositionedJson> doc = PositionedJson::Parse(bytes, file, 256);
  if (!doc.ok()) return doc.status();
  StixReader reader(doc.value(), file, mapping, mapping_file, view);
  try {
    Result<Batch> b = reader.Read();
    if (!b.ok()) return b.status();
    b->content_hash = ContentHash(std::string(bytes) + std::string(mapping_text));
    if (!split) return std::vector<Batch>{std::move(b).value()};
    return reader.Split(std::move(b).value());
  } catch (const json::exception& e) {
    SourcePlace p;
    p.file = mapping_file;
    return Status::Invalid(std::string("the mapping: ") + e.what(), p);
  }
}

}  // namespace sinew::ingest
