// STIX 2.1 bundles (or single objects) through a type mapping
// (corpus/mappings/stix.json, docs/formats.md#stix): domain objects become
// nodes, relationships become edges whose evidence keeps the producer, the
// object id, the cited references, the confidence as an Admiralty grade and
// the TLP marking. What is left out is counted and said, never fatal.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "ingest/ingest.h"
#include "ingest/positioned_json.h"
#include "ingest/text.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

// The identifiers TLP levels are published under (STIX 2.1 section 7.2.1.4
// for TLP 1.0; the OASIS TLP 2.0 extension for the rest).
const std::map<std::string, Marking>& WellKnownTlp() {
  static const std::map<std::string, Marking> kTlp = {
      {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Marking::kClear},
      {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Marking::kGreen},
      {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Marking::kAmber},
      {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Marking::kRed},
      {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Marking::kClear},
      {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Marking::kGreen},
      {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Marking::kAmber},
      {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Marking::kAmberStrict},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Marking::kRed},
  };
  return kTlp;
}

// A TLP word ("white", "amber+strict", "TLP:GREEN") as a level.
std::optional<Marking> TlpWord(std::string w) {
  for (char& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (w.rfind("TLP:", 0) != 0) w = "TLP:" + w;
  if (w == "TLP:WHITE") return Marking::kClear;
  Result<Marking> m = ParseMarking(w);
  if (m.ok()) return m.value();
  return std::nullopt;
}

// STIX 2.1 Appendix A, "Admiralty Credibility": 80-100 is 1 (confirmed)
// down to 0-19 is 5 (improbable); no confidence is 6 (cannot be judged).
int CredibilityOf(const json& o) {
  auto it = o.find("confidence");
  if (it == o.end() || !it->is_number()) return 6;
  double c = it->get<double>();
  if (c >= 80) return 1;
  if (c >= 60) return 2;
  if (c >= 40) return 3;
  if (c >= 20) return 4;
  return 5;
}

std::string Str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "2016-12-17T00:00:00Z" -> "2016-12-17".
std::string DateOf(const std::string& ts) { return ts.size() >= 10 ? ts.substr(0, 10) : ts; }

// A line for the notes: "count what (first ids...)".
struct Tally {
  std::map<std::string, std::vector<std::string>> items;  // reason -> examples
  std::map<std::string, int> counts;
  void Add(const std::string& reason, const std::string& example) {
    ++counts[reason];
    auto& v = items[reason];
    if (v.size() < 3) v.push_back(example);
  }
};

// The qualifiers a sinew export wrote beside a relationship (x_sinew_evidence)
// replace what STIX's own fields could say of them.
void OwnQualifiers(const json& x, EvidenceDraft* e) {
  if (!Str(x, "reliability").empty()) e->reliability = Str(x, "reliability");
  if (auto it = x.find("credibility"); it != x.end() && it->is_number_integer())
    e->credibility = it->get<int>();
  if (Result<Modality> m = ParseModality(Str(x, "modality")); m.ok()) e->modality = m.value();
  if (Result<EvidenceStatus> st = ParseEvidenceStatus(Str(x, "status")); st.ok())
    e->status = st.value();
  if (auto it = x.find("paraphrase"); it != x.end() && it->is_boolean()) e->paraphrase = *it;
  e->valid_from = Str(x, "valid_from");
  e->valid_to = Str(x, "valid_to");
  for (auto [key, field] :
       {std::pair{"strength", &e->strength}, std::pair{"replaceability", &e->replaceability}})
    if (auto it = x.find(key); it != x.end() && it->is_number()) *field = it->get<double>();
  e->basis = Str(x, "basis");
  // Where in its original source the claim sits (the STIX id stays the key).
  if (!Str(x, "locator").empty()) {
    Locator at;
    at.section = Str(x, "locator");
    e->locator = at;
  }
  if (!Str(x, "analyst").empty()) e->analyst = Str(x, "analyst");
}

struct Mapped {
  size_t index = 0;  // into objects
  std::string type, name, slug;
  bool revoked = false;
};

class StixReader {
 public:
  StixReader(const PositionedJson& doc, const std::string& file, const json& mapping,
             const std::string& mapping_file, const StoreView& view)
      : doc_(doc), file_(file), m_(mapping), mfile_(mapping_file), view_(view) {}

  Result<Batch> Read();
  // The batch split back into the sources a sinew export named (reports
  // with x_sinew_source), when every relationship says which it came from;
  // else the batch alone.
  std::vector<Batch> Split(Batch whole) const;

 private:
  Status Collect();
  Status Mapping();
  void Markings();
  // Each object's TLP level (object_marking_refs and granular markings, the
  // strictest wins); a malformed marking is an error, never unmarked.
  Status Levels();
  Result<Marking> MarkingOf(const json& o, const std::string& ptr);
  Result<std::string> NodeTypeOf(const json& o);
  void Nodes();
  Status AssignSlugs();
  Status Relationships();
  void Source();
  std::string Follow(std::string id) const;
  SourcePlace At(size_t i) const { return doc_.At(pointers_[i]); }
  Status MappingError(const std::string& msg, const std::string& ptr = "") const {
    SourcePlace p;
    p.file = mfile_;
    p.pointer = ptr;
    return Status::Invalid(msg, p);
  }

  const PositionedJson& doc_;
  std::string file_;
  const json& m_;
  std::string mfile_;
  const StoreView& view_;

  Batch b_;
  Tally left_;                               // what was left out, by reason
  std::vector<const json*> objects_;         // latest version of each id
  std::vector<std::string> pointers_;        // their JSON pointers
  std::map<std::string, size_t> by_id_;      // id -> index into objects_
  std::map<std::string, Marking> markings_;  // marking-definition id -> TLP
  std::set<std::string> statements_;         // non-TLP marking definitions
  std::map<std::string, std::string> revoked_by_;
  std::set<std::string> creators_, referenced_;
  std::map<std::string, Mapped> mapped_;  // id -> node
  std::map<std::string, std::vector<std::string>> extra_aliases_;
  std::map<std::string, std::string> stored_slugs_;  // stix id -> slug already in the store
  Marking unmarked_ = Marking::kClear, unknown_marking_ = Marking::kRed;
  Marking highest_ = Marking::kClear;
  std::vector<Marking> levels_;  // by index into objects_
  Modality modality_ = Modality::kObserved;
  std::string default_domain_;
  int relationships_ = 0, versions_ = 0;
};

Status StixReader::Collect() {
  const json& root = doc_.root();
  if (!root.is_object())
    return Status::Invalid("a STIX file holds a JSON object (a bundle or one object)", doc_.At(""));
  std::vector<std::pair<const json*, std::string>> all;
  if (Str(root, "type") == "bundle") {
    auto it = root.find("objects");
    if (it == root.end() || !it->is_array())
      return Status::Invalid("the bundle has no \"objects\" array", doc_.At(""));
    for (size_t i = 0; i < it->size(); ++i)
      all.emplace_back(&(*it)[i], "/objects/" + std::to_string(i));
  } else {
    all.emplace_back(&root, "");
  }
  for (auto& [o, ptr] : all) {
    if (!o->is_object())
      return Status::Invalid("a STIX object must be a JSON object", doc_.At(ptr));
    std::string type = Str(*o, "type"), id = Str(*o, "id");
    if (type.empty()) return Status::Invalid("the object has no \"type\"", doc_.At(ptr));
    if (id.empty()) return Status::Invalid("the " + type + " has no \"id\"", doc_.At(ptr));
    if (id.rfind(type + "--", 0) != 0 || id.size() <= type.size() + 2)
      return Status::Invalid("id '" + id + "' does not start with its type '" + type + "--'",
                             doc_.At(ptr + "/id"));
    if (auto c = o->find("confidence");
        c != o->end() &&
        (!c->is_number_integer() || c->get<int64_t>() < 0 || c->get<int64_t>() > 100))
      return Status::Invalid("confidence " + c->dump() + " is not a whole number from 0 to 100",
                             doc_.At(ptr + "/confidence"));
    if (type == "relationship") {
      ++relationships_;
      for (const char* k : {"relationship_type", "source_ref", "target_ref"})
        if (Str(*o, k).empty())
          return Status::Invalid(std::string("the relationship has no \"") + k + "\"",
                                 doc_.At(ptr));
    }
    // Several versions of one object: the latest `modified` wins.
    auto [it, fresh] = by_id_.emplace(id, objects_.size());
    if (!fresh) {
      ++versions_;
      if (Str(*o, "modified") > Str(*objects_[it->second], "modified")) {
        objects_[it->second] = o;
        pointers_[it->second] = ptr;
      }
      continue;
    }
    objects_.push_back(o);
    pointers_.push_back(ptr);
  }
  if (objects_.empty()) return Status::Invalid("the bundle holds no objects", doc_.At(""));
  b_.counts["objects"] = static_cast<int>(all.size());
  b_.counts["relationships"] = relationships_;
  return Status::Ok();
}

Status StixReader::Mapping() {
  if (!m_.is_object() || m_.value("format", "") != "sinew-stix-mapping/1")
    return MappingError("the mapping's \"format\" must be \"sinew-stix-mapping/1\"", "/format");
  for (const char* k : {"objects", "relationships"})
    if (!m_.contains(k) || !m_[k].is_object())
      return MappingError(std::string("the mapping needs an object \"") + k + "\"",
                          std::string("/") + k);
  auto level = [&](const char* key, Marking* out) -> Status {
    if (!m_.contains(key)) return Status::Ok();
    std::optional<Marking> mk = m_[key].is_string() ? TlpWord(m_[key]) : std::nullopt;
    if (!mk) return MappingError("not a TLP level", std::string("/") + key);
    *out = *mk;
    return Status::Ok();
  };
  SINEW_RETURN_IF_ERROR(level("unmarked", &unmarked_));
  SINEW_RETURN_IF_ERROR(level("unknown_marking", &unknown_marking_));
  Result<Modality> mod = ParseModality(m_.value("modality", "observed"));
  if (!mod.ok()) return MappingError(mod.status().message(), "/modality");
  modality_ = mod.value();
  default_domain_ = m_.value("default_domain", "security");
  const Schema& schema = view_.schema();
  if (schema.DomainCode(default_domain_) == 0)
    return MappingError("unknown domain '" + default_domain_ + "'", "/default_domain");
  for (const auto& [stix, rule] : m_["objects"].items()) {
    std::string ptr = "/objects/" + stix;
    if (!rule.is_object()) return MappingError("each object rule is a JSON object", ptr);
    if (rule.contains("skip")) continue;
    std::vector<std::string> types = {rule.value("type", "")};
    for (const auto& r : rule.value("rules", json::array())) types.push_back(r.value("type", ""));
    for (const std::string& t : types)
      if (!schema.HasNodeType(t))
        return MappingError("node type '" + t + "' is not in the store's schema", ptr);
  }
  for (const auto& [stix, rule] : m_["relationships"].items()) {
    std::string ptr = "/relationships/" + stix;
    if (!rule.is_object()) return MappingError("each relationship rule is a JSON object", ptr);
    if (rule.contains("skip")) continue;
    if (!schema.FindEdgeType(rule.value("type", "")))
      return MappingError("edge type '" + rule.value("type", "") + "' is not in the store's schema",
                          ptr);
    if (rule.contains("domain") && schema.DomainCode(rule.value("domain", "")) == 0)
      return MappingError("unknown domain '" + rule.value("domain", "") + "'", ptr);
  }
  return Status::Ok();
}

void StixReader::Markings() {
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json& o = *objects_[i];
    if (Str(o, "type") != "marking-definition") continue;
    std::string id = Str(o, "id");
    std::optional<Marking> level;
    if (auto k = WellKnownTlp().find(id); k != WellKnownTlp().end()) level = k->second;
    const json def = o.value("definition", json::object());
    if (!level && Str(o, "definition_type") == "tlp" && def.is_object())
      level = TlpWord(Str(def, "tlp"));
    if (!level && o.contains("extensions") && o["extensions"].is_object())
      for (const auto& [k, ext] : o["extensions"].items())
        if (ext.is_object() && ext.contains("tlp_2_0")) level = TlpWord(Str(ext, "tlp_2_0"));
    if (!level && Str(o, "name").rfind("TLP:", 0) == 0) level = TlpWord(Str(o, "name"));
    if (level)
      markings_[id] = *level;
    else
      statements_.insert(id);  // a copyright or handling statement, not a TLP level
  }
}

Result<Marking> StixReader::MarkingOf(const json& o, const std::string& ptr) {
  std::vector<std::string> refs;
  auto bad = [&](const std::string& where, const std::string& what) {
    return Status::Invalid("malformed marking: " + what, doc_.At(ptr + where));
  };
  if (auto it = o.find("object_marking_refs"); it != o.end()) {
    if (!it->is_array())
      return bad("/object_marking_refs", "object_marking_refs must be a list of identifiers");
    for (size_t k = 0; k < it->size(); ++k) {
      const json& r = (*it)[k];
      if (!r.is_string() || r.get<std::string>().rfind("marking-definition--", 0) != 0)
        return bad("/object_marking_refs/" + std::to_string(k),
                   "each object_marking_refs entry is a marking-definition identifier");
      refs.push_back(r);
    }
  }
  // Markings on parts of an object are applied to the whole of it.
  if (auto g = o.find("granular_markings"); g != o.end()) {
    if (!g->is_array()) return bad("/granular_markings", "granular_markings must be a list");
    for (size_t k = 0; k < g->size(); ++k) {
      const json& gm = (*g)[k];
      std::string at = "/granular_markings/" + std::to_string(k);
      if (!gm.is_object()) return bad(at, "each granular marking is an object");
      if (gm.contains("lang") && !gm.contains("marking_ref")) continue;  // a language, no level
      if (!gm.contains("marking_ref") || !gm["marking_ref"].is_string() ||
          gm["marking_ref"].get<std::string>().rfind("marking-definition--", 0) != 0)
        return bad(at + "/marking_ref", "marking_ref is a marking-definition identifier");
      refs.push_back(gm["marking_ref"]);
    }
  }
  std::optional<Marking> out;
  for (const std::string& r : refs) {
    Marking m;
    if (auto k = WellKnownTlp().find(r); k != WellKnownTlp().end()) {
      m = k->second;
    } else if (auto k2 = markings_.find(r); k2 != markings_.end()) {
      m = k2->second;
    } else if (statements_.count(r)) {
      continue;
    } else {
      left_.Add("marking definitions neither in the bundle nor a TLP level (read as " +
                    std::string(MarkingName(unknown_marking_)) + ")",
                ptr.empty() ? r : r + " at " + ptr);
      m = unknown_marking_;
    }
    out = out ? std::max(*out, m) : m;
  }
  Marking level = out.value_or(unmarked_);
  highest_ = std::max(highest_, level);
  return level;
}

Status StixReader::Levels() {
  levels_.resize(objects_.size());
  for (size_t i = 0; i < objects_.size(); ++i) {
    Result<Marking> m = MarkingOf(*objects_[i], pointers_[i]);
    if (!m.ok()) return m.status();
    levels_[i] = m.value();
  }
  return Status::Ok();
}

Result<std::string> StixReader::NodeTypeOf(const json& o) {
  const json& rule = m_["objects"][Str(o, "type")];
  for (const auto& r : rule.value("rules", json::array())) {
    if (r.contains("field")) {
      auto it = o.find(r.value("field", ""));
      if (it != o.end() && it->is_string() && *it == r.value("equals", ""))
        return r.value("type", "");
    } else if (r.contains("has") && o.contains(r.value("has", ""))) {
      return r.value("type", "");
    }
  }
  return rule.value("type", "");
}

std::string StixReader::Follow(std::string id) const {
  for (int hops = 0; hops < 32; ++hops) {
    auto it = revoked_by_.find(id);
    if (it == revoked_by_.end()) return id;
    id = it->second;
  }
  return id;
}

void StixReader::Nodes() {
  // Who made what: identities named only as creators are the source's
  // producers, not nodes of the graph.
  for (const json* o : objects_) {
    if (auto c = Str(*o, "created_by_ref"); !c.empty()) creators_.insert(c);
    if (Str(*o, "type") == "relationship") {
      referenced_.insert(Str(*o, "source_ref"));
      referenced_.insert(Str(*o, "target_ref"));
      if (Str(*o, "relationship_type") == "revoked-by" && !o->value("revoked", false))
        revoked_by_[Str(*o, "source_ref")] = Str(*o, "target_ref");
    }
  }
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json& o = *objects_[i];
    std::string type = Str(o, "type"), id = Str(o, "id");
    if (type == "relationship") continue;
    if (type == "bundle") {
      left_.Add("bundles nested inside the bundle", id);
      continue;
    }
    // Objects sinew exported say what they were; the store's schema decides.
    std::string own = Str(o, "x_sinew_type");
    if (!own.empty() && view_.schema().HasNodeType(own) && !o.value("revoked", false)) {
      Mapped n;
      n.index = i;
      n.type = own;
      n.name = Str(o, "name").empty() ? id : Str(o, "name");
      mapped_[id] = n;
      continue;
    }
    if (!m_["objects"].contains(type)) {
      left_.Add(type.rfind("x-", 0) == 0
                    ? "objects of custom type " + type + " (not in the mapping)"
                    : "objects of type " + type + " (not in the mapping)",
                id);
      continue;
    }
    const json& rule = m_["objects"][type];
    if (rule.contains("skip")) {
      left_.Add(type + ": " + rule.value("skip", ""), id);
      continue;
    }
    if (o.value("x_mitre_deprecated", false)) {
      left_.Add("deprecated objects (x_mitre_deprecated)", id);
      continue;
    }
    if (type == "identity" && creators_.count(id) && !referenced_.count(id)) {
      left_.Add("identities that only appear as a producer (read into the source)", id);
      continue;
    }
    Mapped n;
    n.index = i;
    n.type = NodeTypeOf(o).value();
    n.name = Str(o, "name");
    if (n.name.empty()) n.name = Str(o, "value");
    if (n.name.empty()) n.name = id;
    n.revoked = o.value("revoked", false);
    mapped_[id] = n;
  }
  // A revoked object lives on as a name of the one that replaced it.
  for (auto it = mapped_.begin(); it != mapped_.end();) {
    if (!it->second.revoked) {
      ++it;
      continue;
    }
    std::string to = Follow(it->first);
    if (to != it->first && mapped_.count(to) && !mapped_[to].revoked) {
      extra_aliases_[to].push_back(it->second.name);
      left_.Add("revoked objects (their names kept as aliases of the replacement)", it->first);
    } else {
      left_.Add("revoked objects with no replacement in the bundle", it->first);
    }
    it = mapped_.erase(it);
  }
}

Status StixReader::AssignSlugs() {
  // Objects an earlier import brought in keep their node.
  SINEW_RETURN_IF_ERROR(view_.ForEachNode([&](const NodeRecord& n) {
    if (n.props.is_object())
      if (auto it = n.props.find("stix_id"); it != n.props.end() && it->is_string())
        stored_slugs_[*it] = n.slug;
    return true;
  }));
  std::set<std::string> taken;
  for (auto& [id, n] : mapped_) {
    if (auto it = stored_slugs_.find(id); it != stored_slugs_.end()) {
      n.slug = it->second;
      taken.insert(n.slug);
      continue;
    }
    std::string own = Str(*objects_[n.index], "x_sinew_slug");
    bool valid = !own.empty();
    for (char c : own)  // the store's slug alphabet
      valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                        c == '.' || c == ':');
    if (valid && !taken.count(own)) {
      Result<NodeRecord> r = view_.NodeBySlug(own);
      if (!r.ok() || r->type == n.type) {
        n.slug = own;
        taken.insert(own);
        continue;
      }
    }
    // A node the store already knows by this exact name and type is this one
    // (OpenCTI's "China" is the corpus's china).
    std::vector<NodeId> ids;
    SINEW_RETURN_IF_ERROR(view_.ForEachName(NormalizeName(n.name) + std::string(1, '\0'),
                                            [&](const std::string&, NodeId nid) {
                                              ids.push_back(nid);
                                              return true;
                                            }));
    for (NodeId nid : ids) {
      Result<NodeRecord> r = view_.NodeById(nid);
      if (r.ok() && r->type == n.type && !taken.count(r->slug) &&
          (!r->props.is_object() || !r->props.contains("stix_id"))) {
        n.slug = r->slug;
        break;
      }
    }
    if (n.slug.empty()) {
      std::string stix_type = Str(*objects_[n.index], "type");
      // A marked object's slug is not made from its name: the slug shows
      // wherever the node does (through a less marked link, say), the name
      // only at the object's level.
      std::string base = levels_[n.index] > Marking::kClear
                             ? Slugify(stix_type) + "-" + FingerprintHex(id).substr(0, 10)
                             : Slugify(n.name);
      auto free = [&](const std::string& s) {
        return !taken.count(s) && !view_.NodeBySlug(s).ok();
      };
      std::string slug = base;
      if (!free(slug)) slug = base + "-" + Slugify(stix_type);
      for (int k = 2; !free(slug); ++k)
        slug = base + "-" + Slugify(stix_type) + "-" + std::to_string(k);
      n.slug = slug;
    }
    taken.insert(n.slug);
  }
  // Declare the nodes in bundle order, so errors and reports read in order.
  std::vector<const Mapped*> order;
  for (const auto& [id, n] : mapped_) order.push_back(&n);
  std::sort(order.begin(), order.end(),
            [](const Mapped* a, const Mapped* b) { return a->index < b->index; });
  for (const Mapped* n : order) {
    const json& o = *objects_[n->index];
    std::string id = Str(o, "id");
    NodeDraft d;
    d.slug = n->slug;
    d.type = n->type;
    d.name = n->name;
    d.place = At(n->index);
    d.where.place = d.place;
    std::set<std::string> seen = {n->name};
    auto alias = [&](const std::string& a) {
      if (!a.empty() && seen.insert(a).second) d.aliases.push_back(a);
    };
    for (const char* k : {"aliases", "x_mitre_aliases", "x_opencti_aliases", "x_sinew_aliases"})
      if (auto it = o.find(k); it != o.end() && it->is_array())
        for (const auto& a : *it)
          if (a.is_string()) alias(a);
    for (const auto& a : extra_aliases_[id]) alias(a);
    // What sinew exported comes back as it was; other producers' fields are
    // read into props.
    bool own_props = false;
    if (auto it = o.find("x_sinew_props"); it != o.end() && it->is_object()) {
      d.props = *it;
      own_props = true;
    }
    d.props["stix_id"] = id;
    d.props["stix_type"] = Str(o, "type");
    d.marking = levels_[n->index];
    if (own_props) {
      b_.nodes.push_back(std::move(d));
      continue;
    }
    for (const char* k : {"description", "pattern", "first_seen", "last_seen", "published",
                          "identity_class", "country", "region", "x_mitre_version"})
      if (auto it = o.find(k); it != o.end() && it->is_string() && !it->get<std::string>().empty())
        d.props[k] = *it;
    if (auto it = o.find("external_references"); it != o.end() && it->is_array())
      for (const auto& r : *it) {
        if (!r.is_object()) continue;
        std::string ext = Str(r, "external_id");
        // The catalogue id (T0800, G0034, CVE-2021-44228) is a name analysts type.
        if (!ext.empty() && d.props.find("external_id") == d.props.end()) {
          d.props["external_id"] = ext;
          if (!Str(r, "url").empty()) d.props["url"] = Str(r, "url");
          alias(ext);
        }
      }
    if (auto it = o.find("kill_chain_phases"); it != o.end() && it->is_array()) {
      json phases = json::array();
      for (const auto& p : *it)
        if (p.is_object()) phases.push_back(Str(p, "phase_name"));
      d.props["kill_chain_phases"] = phases;
    }
    b_.nodes.push_back(std::move(d));
  }
  b_.counts["nodes"] = static_cast<int>(b_.nodes.size());
  return Status::Ok();
}

Status StixReader::Relationships() {
  const Schema& schema = view_.schema();
  std::map<std::string, std::string> names;  // identity id -> name
  for (const json* o : objects_)
    if (Str(*o, "type") == "identity") names[Str(*o, "id")] = Str(*o, "name");
  std::map<std::string, std::string> slug_types;  // slug -> node type, this bundle's first
  for (const auto& [sid, n] : mapped_) slug_types[n.slug] = n.type;
  // Edges keyed by (src, type, dst, domain), in first-seen order.
  std::map<std::tuple<std::string, std::string, std::string, std::string>, size_t> edge_index;
  int evidence = 0;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json& o = *objects_[i];
    if (Str(o, "type") != "relationship") continue;
    std::string id = Str(o, "id"), rtype = Str(o, "relationship_type");
    if (rtype == "revoked-by") {
      left_.Add("revoked-by relationships (followed, not imported)", id);
      continue;
    }
    if (o.value("revoked", false) || o.value("x_mitre_deprecated", false)) {
      left_.Add("revoked or deprecated relationships", id);
      continue;
    }
    // A relationship sinew exported names its edge type and domain itself.
    const json* x = nullptr;
    if (auto it = o.find("x_sinew_evidence");
        it != o.end() && it->is_object() && schema.FindEdgeType(Str(*it, "type")) &&
        (Str(*it, "domain").empty() || schema.DomainCode(Str(*it, "domain")) != 0))
      x = &*it;
    json own_rule;
    const json* rule_ptr = nullptr;
    if (x != nullptr) {
      own_rule = {{"type", Str(*x, "type")}, {"domain", Str(*x, "domain")}};
      rule_ptr = &own_rule;
    } else {
      const json& rules = m_["relationships"];
      if (!rules.contains(rtype)) {
        left_.Add("relationships of type " + rtype + " (not in the mapping)", id);
        continue;
      }
      rule_ptr = &rules[rtype];
      if (rule_ptr->contains("skip")) {
        left_.Add(rtype + ": " + rule_ptr->value("skip", ""), id);
        continue;
      }
    }
    const json& rule = *rule_ptr;
    // Each end: the object itself, or what replaced it; in this bundle or
    // brought in by an earlier import.
    auto end = [&](const std::string& ref) -> std::string {
      std::string to = Follow(ref);
      if (auto it = mapped_.find(to); it != mapped_.end()) return it->second.slug;
      if (auto it = stored_slugs_.find(to); it != stored_slugs_.end()) return it->second;
      if (by_id_.count(to))
        left_.Add("relationships ending at an object left out above", id + " -> " + to);
      else
        left_.Add("dangling references (neither in the bundle nor in the store)", id + " -> " + to);
      return "";
    };
    std::string src = end(Str(o, "source_ref"));
    if (src.empty()) continue;
    std::string dst = end(Str(o, "target_ref"));
    if (dst.empty()) continue;
    if (rule.value("reverse", false)) std::swap(src, dst);
    if (src == dst) {
      left_.Add("relationships from an object to itself", id);
      continue;
    }
    std::string etype = rule.value("type", "");
    const EdgeTypeInfo* info = schema.FindEdgeType(etype);
    auto type_of = [&](const std::string& slug) -> std::string {
      if (auto it = slug_types.find(slug); it != slug_types.end()) return it->second;
      Result<NodeRecord> r = view_.NodeBySlug(slug);
      return slug_types[slug] = r.ok() ? r->type : "";
    };
    std::string st = type_of(src), dt = type_of(dst);
    if (!schema.CheckEndpoints(*info, st, dt).ok()) {
      left_.Add("relationships the schema does not allow (" + st + " " + etype + " " + dt + ")",
                id);
      continue;
    }
    std::string domain = rule.value("domain", default_domain_);
    EvidenceDraft e;
    e.key = id;
    e.place = At(i);
    std::string desc = Str(o, "description");
    Marking quote_level = Marking::kClear;
    if (!desc.empty()) {
      e.quote = desc;
    } else {
      auto name_of = [&](const std::string& ref) {
        auto it = by_id_.find(Follow(ref));
        return it == by_id_.end() ? ref : Str(*objects_[it->second], "name");
      };
      e.quote = name_of(Str(o, "source_ref")) + " " + rtype + " " + name_of(Str(o, "target_ref"));
      e.paraphrase = true;
      // The quote names both ends: it is as marked as they are.
      for (const char* ref : {"source_ref", "target_ref"})
        if (auto it = by_id_.find(Follow(Str(o, ref))); it != by_id_.end())
          quote_level = std::max(quote_level, levels_[it->second]);
    }
    e.locator.section = id;
    std::vector<std::string> cites;
    if (auto it = o.find("external_references"); it != o.end() && it->is_array())
      for (const auto& r : *it)
        if (r.is_object()) {
          std::string c = Str(r, "source_name");
          if (!Str(r, "external_id").empty()) c += " " + Str(r, "external_id");
          if (!c.empty()) cites.push_back(c);
        }
    for (size_t k = 0; k < cites.size(); ++k)
      e.locator.section += (k == 0 ? " citing " : "; ") + cites[k];
    e.credibility = CredibilityOf(o);
    e.modality = modality_;
    e.marking = std::max(levels_[i], quote_level);
    e.analyst = names.count(Str(o, "created_by_ref")) ? names[Str(o, "created_by_ref")] : "";
    e.valid_from = DateOf(Str(o, "start_time"));
    e.valid_to = DateOf(Str(o, "stop_time"));
    if (!e.valid_from.empty() && !ParseDate(e.valid_from).ok()) e.valid_from.clear();
    if (!e.valid_to.empty() && !ParseDate(e.valid_to).ok()) e.valid_to.clear();
    if (x != nullptr) OwnQualifiers(*x, &e);
    auto key = std::make_tuple(src, etype, dst, domain);
    if (!info->directed && std::get<2>(key) < std::get<0>(key))
      std::swap(std::get<0>(key), std::get<2>(key));
    auto [it, fresh] = edge_index.emplace(key, b_.edges.size());
    if (fresh) {
      EdgeDraft d;
      d.src = src;
      d.dst = dst;
      d.type = etype;
      d.domain = domain;
      d.place = e.place;
      d.where.place = e.place;
      b_.edges.push_back(std::move(d));
    }
    b_.edges[it->second].evidence.push_back(std::move(e));
    ++evidence;
  }
  b_.counts["edges"] = static_cast<int>(b_.edges.size());
  b_.counts["evidence"] = evidence;
  return Status::Ok();
}

void StixReader::Source() {
  namespace fs = std::filesystem;
  SourceRecord& s = b_.source;
  std::string stem = fs::path(file_).stem().string();
  s.slug = "stix-" + Slugify(stem);
  s.kind = m_.value("source", json::object()).value("kind", "dataset");
  s.reliability = m_.value("source", json::object()).value("reliability", "");
  s.title = "STIX bundle " + fs::path(file_).filename().string();
  const json* report = nullptr;
  int reports = 0;
  std::string latest;
  std::map<std::string, int> made;  // creator -> objects
  std::map<std::string, std::string> names;
  // The source's marking is the floor of every record it yields: the lowest
  // level among the objects that become nodes and links (a bundle all
  // AMBER is an AMBER source), raised to the level of the object its title
  // comes from (a RED report makes RED claims).
  std::optional<Marking> floor;
  for (const auto& [id, n] : mapped_) floor = std::min(floor.value_or(levels_[n.index]), levels_[n.index]);
  Marking title_level = Marking::kClear;
  size_t report_index = 0;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json* o = objects_[i];
    std::string type = Str(*o, "type");
    if (type == "identity") names[Str(*o, "id")] = Str(*o, "name");
    if (type == "relationship") floor = std::min(floor.value_or(levels_[i]), levels_[i]);
    if (type == "report") {
      report = o;
      report_index = i;
      ++reports;
    }
    if (type == "x-mitre-collection" && !Str(*o, "name").empty()) {
      s.title = Str(*o, "name") +
                (Str(*o, "x_mitre_version").empty() ? "" : " v" + Str(*o, "x_mitre_version"));
      title_level = levels_[i];
    }
    latest = std::max(latest, Str(*o, "modified"));
    if (auto c = Str(*o, "created_by_ref"); !c.empty()) ++made[c];
  }
  if (reports == 1) {
    title_level = levels_[report_index];
    s.title = Str(*report, "name");
    s.kind = "report";
    if (!Str(*report, "published").empty()) latest = Str(*report, "published");
    if (!Str(*report, "description").empty()) s.props["summary"] = Str(*report, "description");
  }
  s.marking = std::max(floor.value_or(unmarked_), title_level);
  // Producers are named only when their identity is no more marked than the
  // source: a hidden identity's name would show wherever the source does.
  std::vector<std::pair<int, std::string>> by_count;
  for (const auto& [id, n] : made) {
    auto at = by_id_.find(id);
    if (at != by_id_.end() && levels_[at->second] > s.marking) continue;
    by_count.emplace_back(-n, names.count(id) ? names[id] : id);
  }
  std::sort(by_count.begin(), by_count.end());
  for (const auto& [n, name] : by_count) s.authors.push_back(name);
  if (!s.authors.empty()) s.publisher = s.authors.front();
  s.published = DateOf(latest);
  if (!s.published.empty() && !ParseDate(s.published).ok()) s.published.clear();
  // What the bundle cites, once each: the references behind its claims.
  json cites = json::array();
  std::set<std::string> seen;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json* o = objects_[i];
    if (Str(*o, "type") != "relationship" && Str(*o, "type") != "report") continue;
    if (levels_[i] > s.marking) continue;  // cited by what the source's readers may not see
    if (auto it = o->find("external_references"); it != o->end() && it->is_array())
      for (const auto& r : *it) {
        if (!r.is_object()) continue;
        std::string key = Str(r, "source_name") + "|" + Str(r, "url") + "|" + Str(r, "external_id");
        if (!seen.insert(key).second) continue;
        json c = json::object();
        for (const char* k : {"source_name", "description", "url", "external_id"})
          if (!Str(r, k).empty()) c[k] = Str(r, k);
        cites.push_back(c);
        if (o == report && s.url.empty() && !Str(r, "url").empty()) s.url = Str(r, "url");
      }
  }
  if (!cites.empty()) s.props["cites"] = cites;
  if (Str(doc_.root(), "type") == "bundle") s.props["stix_bundle"] = Str(doc_.root(), "id");
}

Result<Batch> StixReader::Read() {
  SINEW_RETURN_IF_ERROR(Mapping());
  SINEW_RETURN_IF_ERROR(Collect());
  Markings();
  SINEW_RETURN_IF_ERROR(Levels());
  b_.file = file_;
  b_.source_place = doc_.At("");
  Nodes();
  SINEW_RETURN_IF_ERROR(AssignSlugs());
  SINEW_RETURN_IF_ERROR(Relationships());
  Source();
  if (versions_ > 0) b_.counts["older versions ignored"] = versions_;
  for (const auto& [reason, n] : left_.counts) {
    std::string line = std::to_string(n) + " " + reason + ":";
    for (const auto& ex : left_.items[reason]) line += " " + ex;
    if (n > static_cast<int>(left_.items[reason].size())) line += " ...";
    b_.notes.push_back(line);
    b_.counts["left out: " + reason] = n;
  }
  return std::move(b_);
}

}  // namespace

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
    if (Str(*o, "type") != "relationship") continue;
    auto x = o->find("x_sinew_evidence");
    if (x == o->end() || !x->is_object()) continue;
    if (auto it = index.find(Str(*x, "source")); it != index.end())
      origin[Str(*o, "id")] = it->second;
    if (!Str(*x, "key").empty()) keys[Str(*o, "id")] = Str(*x, "key");
  }
  for (const auto& e : whole.edges)
    for (const auto& ev : e.evidence)
      if (!origin.count(ev.key)) reports.clear();  // not all from a sinew export: keep one source
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
