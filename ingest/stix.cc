// STIX objects: the bundle collected (latest version of each id), the
// mapping read, markings resolved per object, node types and node ids
// assigned (stix_reader.h).
#include <algorithm>
#include <filesystem>

#include "ingest/stix_reader.h"

namespace sinew::ingest::stix {

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
    if (type == "x-sinew-observation") continue;  // a figure (Observations)
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

}  // namespace sinew::ingest::stix
