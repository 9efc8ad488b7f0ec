// STIX relationships become evidence on edges, and the bundle becomes the
// source (stix_reader.h).
#include <algorithm>
#include <filesystem>

#include "ingest/stix_reader.h"

namespace sinew::ingest::stix {

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

// Figures a sinew export wrote as x-sinew-observation objects (STIX has no
// object for a figure): subject, object, metric, unit, period and value, with
// the evidence record's own qualifiers.
void StixReader::Observations() {
  int n = 0;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json& o = *objects_[i];
    if (Str(o, "type") != "x-sinew-observation") continue;
    std::string id = Str(o, "id");
    auto slug_of = [&](const std::string& ref) -> std::string {
      std::string to = Follow(ref);
      if (auto it = mapped_.find(to); it != mapped_.end()) return it->second.slug;
      if (auto it = stored_slugs_.find(to); it != stored_slugs_.end()) return it->second;
      return "";
    };
    ObservationDraft d;
    d.subject = slug_of(Str(o, "subject_ref"));
    if (!Str(o, "object_ref").empty()) d.object = slug_of(Str(o, "object_ref"));
    if (d.subject.empty() || (!Str(o, "object_ref").empty() && d.object.empty())) {
      left_.Add("figures about objects left out or missing", id);
      continue;
    }
    auto low = o.find("value_low"), high = o.find("value_high");
    if (low == o.end() || !low->is_number() || high == o.end() || !high->is_number() ||
        Str(o, "metric").empty() || Str(o, "period").empty()) {
      left_.Add("figures without a metric, period or value", id);
      continue;
    }
    d.metric = Str(o, "metric");
    d.unit = Str(o, "unit");
    d.period = Str(o, "period");
    d.low = low->get<double>();
    d.high = high->get<double>();
    d.place = At(i);
    d.where.place = d.place;
    EvidenceDraft& e = d.evidence;
    e.key = id;
    e.place = d.place;
    e.quote = Str(o, "description");
    if (e.quote.empty()) {
      e.quote = d.subject + " " + d.metric + " " + d.period;
      e.paraphrase = true;
    }
    e.locator.section = id;
    e.credibility = CredibilityOf(o);
    e.modality = modality_;
    e.marking = levels_[i];
    if (auto x = o.find("x_sinew_evidence"); x != o.end() && x->is_object()) OwnQualifiers(*x, &e);
    b_.observations.push_back(std::move(d));
    ++n;
  }
  if (n > 0) b_.counts["observations"] = n;
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
  for (const auto& [id, n] : mapped_)
    floor = std::min(floor.value_or(levels_[n.index]), levels_[n.index]);
  Marking title_level = Marking::kClear;
  size_t report_index = 0;
  for (size_t i = 0; i < objects_.size(); ++i) {
    const json* o = objects_[i];
    std::string type = Str(*o, "type");
    if (type == "identity") names[Str(*o, "id")] = Str(*o, "name");
    if (type == "relationship" || type == "x-sinew-observation")
      floor = std::min(floor.value_or(levels_[i]), levels_[i]);
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
  Observations();
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

}  // namespace sinew::ingest::stix
