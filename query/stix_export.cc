// A STIX 2.1 bundle of what an export selected: nodes as domain objects,
// each supporting evidence record as a relationship, each source as a
// report. Objects keep the ids they came in with; others get ids derived
// from their slugs and claim keys, so the same store exports the same
// bundle. x_sinew_* properties carry what STIX has no field for, so that
// `sinew ingest` reads the bundle back into the same graph
// (docs/formats.md#stix-export).
#include <map>
#include <set>

#include "query/export.h"
#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using nlohmann::json;

// A UUID-shaped id derived from `seed` (version 5 and variant bits set, as
// a name-based id would have them), the same on every machine.
std::string IdFor(const std::string& type, const std::string& seed) {
  std::string hex = FingerprintHex("sinew-stix-1|" + seed) + FingerprintHex("sinew-stix-2|" + seed);
  hex[12] = '5';
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return type + "--" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

// TLP 2.0 marking definitions, as the OASIS extension publishes them.
const char* TlpId(Marking m) {
  switch (m) {
    case Marking::kClear:
      return "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    case Marking::kGreen:
      return "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    case Marking::kAmber:
      return "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    case Marking::kAmberStrict:
      return "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    case Marking::kRed:
      return "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
  }
  return "";
}

json TlpDefinition(Marking m) {
  std::string name = MarkingName(m);
  std::string level = name.substr(4);
  for (char& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return {{"type", "marking-definition"},
          {"spec_version", "2.1"},
          {"id", TlpId(m)},
          {"created", "2022-10-01T00:00:00.000Z"},
          {"name", name},
          {"extensions",
           {{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d",
             {{"extension_type", "property-extension"}, {"tlp_2_0", level}}}}}};
}

// An ISO timestamp for STIX's created/modified ("2026-01-01T00:00:00Z" or a
// date) with milliseconds, as the specification writes them.
std::string Timestamp(std::string t) {
  if (t.empty()) t = "1970-01-01";
  if (t.size() == 4) t += "-01-01";
  if (t.size() == 7) t += "-01";
  if (t.size() == 10) t += "T00:00:00Z";
  if (!t.empty() && t.back() == 'Z' && t.find('.') == std::string::npos)
    t.insert(t.size() - 1, ".000");
  return t;
}

// "2014", "2014-03", "2014-03-18": dates STIX timestamps can hold exactly
// as a start (EDTF's uncertain and unspecified forms cannot).
bool PlainDate(const std::string& s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if ((i == 4 || i == 7) ? s[i] != '-' : !std::isdigit(static_cast<unsigned char>(s[i])))
      return false;
  return true;
}

// Admiralty credibility back to STIX confidence (the middle of each band of
// STIX 2.1 Appendix A); 6, "cannot be judged", gives none.
std::optional<int> ConfidenceOf(int credibility) {
  static const int kMid[] = {0, 90, 70, 50, 30, 10};
  if (credibility >= 1 && credibility <= 5) return kMid[credibility];
  return std::nullopt;
}

// The STIX object a node becomes: the type and id it came in with, else
// one by its sinew type (x-sinew-node where STIX has none). The fields STIX
// requires are filled the same way for both, so an export read back and
// exported again gives the same objects.
json DomainObject(const NodeRecord& n) {
  static const std::map<std::string, std::pair<std::string, std::string>> kByType = {
      {"organisation", {"identity", "organization"}},
      {"company", {"identity", "organization"}},
      {"person", {"identity", "individual"}},
      {"sector", {"identity", "class"}},
      {"group", {"identity", "group"}},
      {"state", {"location", "Country"}},
      {"place", {"location", "Region"}},
      {"technique", {"attack-pattern", ""}},
      {"infrastructure", {"infrastructure", ""}},
      {"vulnerability", {"vulnerability", ""}},
  };
  auto by_type = kByType.find(n.type);
  std::string kind = by_type == kByType.end() ? "" : by_type->second.second;
  std::string stix_type = n.props.value("stix_type", "");
  std::string id = n.props.value("stix_id", "");
  if (stix_type.empty() || id.rfind(stix_type + "--", 0) != 0) {
    stix_type = by_type == kByType.end() ? "x-sinew-node" : by_type->second.first;
    id = IdFor(stix_type, "node|" + n.slug);
  }
  json o = json::object();
  for (const char* k :
       {"identity_class", "country", "region", "pattern", "first_seen", "last_seen"})
    if (n.props.contains(k)) o[k] = n.props[k];
  if (stix_type == "identity" && !o.contains("identity_class"))
    o["identity_class"] = kind.empty() ? "unknown" : kind;
  if (stix_type == "location") {
    if (!kind.empty()) o["x_opencti_location_type"] = kind;
    std::string code = n.props.value("iso", "");
    if (!o.contains("country") && !code.empty() && n.type == "state") o["country"] = code;
    if (!o.contains("country") && !o.contains("region")) o["region"] = "unknown";
  }
  if (stix_type == "indicator") {
    o["pattern_type"] = "stix";
    o["valid_from"] = Timestamp(n.props.value("first_seen", "1970-01-01"));
  }
  o["type"] = stix_type;
  o["spec_version"] = "2.1";
  o["id"] = id;
  o["name"] = n.name;
  if (n.props.contains("description")) o["description"] = n.props["description"];
  if (n.props.contains("external_id")) {
    json ref = {{"source_name", n.props.value("stix_type", "") == "" ? "sinew" : "mitre-attack"},
                {"external_id", n.props["external_id"]}};
    if (n.props.contains("url")) ref["url"] = n.props["url"];
    o["external_references"] = json::array({ref});
  }
  o["x_sinew_type"] = n.type;
  o["x_sinew_slug"] = n.slug;
  if (!n.aliases.empty()) o["x_sinew_aliases"] = n.aliases;
  json props = n.props;
  props.erase("stix_id");
  props.erase("stix_type");
  o["x_sinew_props"] = props;
  return o;
}

// What a sinew evidence record says beyond STIX's own fields
// (x_sinew_evidence), for a relationship or a figure; the STIX reader's
// OwnQualifiers reads it back.
json EvidenceExtension(const EvidenceView& v) {
  const EvidenceRecord& r = v.rec;
  json x = {{"source", v.source_slug},
            {"key", r.key},
            {"reliability", r.reliability},
            {"credibility", r.credibility},
            {"modality", ModalityName(r.modality)},
            {"status", EvidenceStatusName(r.status)},
            {"paraphrase", r.paraphrase},
            {"locator", r.locator.ToString()}};
  if (!r.valid_from.empty()) x["valid_from"] = r.valid_from;
  if (!r.valid_to.empty()) x["valid_to"] = r.valid_to;
  if (r.strength) x["strength"] = *r.strength;
  if (r.replaceability) x["replaceability"] = *r.replaceability;
  if (!r.basis.empty()) x["basis"] = r.basis;
  if (!r.analyst.empty()) x["analyst"] = r.analyst;
  return x;
}

}  // namespace

std::string ToStix(const GraphExport& g, const std::string& now, int* contradicting_left_out) {
  json objects = json::array();
  std::map<std::string, std::string> node_ids;  // slug -> STIX id
  std::map<SourceId, const SourceRecord*> sources;
  for (const auto& s : g.sources) sources[s.id] = &s;
  std::set<Marking> used_markings;
  // Producers: one identity per publisher, named as the source names it.
  std::map<std::string, std::string> producers;  // publisher -> identity id
  auto producer = [&](const SourceRecord& s) -> std::string {
    std::string who = s.publisher.empty() ? (s.authors.empty() ? "" : s.authors[0]) : s.publisher;
    if (who.empty()) return "";
    auto [it, fresh] = producers.emplace(who, IdFor("identity", "producer|" + who));
    if (fresh)
      objects.push_back({{"type", "identity"},
                         {"spec_version", "2.1"},
                         {"id", it->second},
                         {"created", Timestamp(s.ingested_at)},
                         {"modified", Timestamp(s.ingested_at)},
                         {"name", who},
                         {"identity_class", "organization"}});
    return it->second;
  };
  std::map<SourceId, std::vector<std::string>> backed;  // source -> object ids it backs
  for (const auto& n : g.nodes) {
    json o = DomainObject(n);
    std::string created = now;
    for (const auto& [src, claim] : n.claims)
      if (auto it = sources.find(src); it != sources.end()) {
        created = it->second->ingested_at;
        backed[src].push_back(o["id"]);
        break;
      }
    o["created"] = o["modified"] = Timestamp(created);
    node_ids[n.slug] = o["id"];
    objects.push_back(std::move(o));
  }
  int contradicting = 0;
  for (const auto& e : g.edges) {
    for (const auto& v : e.evidence) {
      const EvidenceRecord& r = v.rec;
      // STIX cannot say that a relationship does not hold.
      if (r.stance == Stance::kContradicts) {
        ++contradicting;
        continue;
      }
      auto src = sources.find(r.source);
      if (src == sources.end()) continue;
      std::string id =
          r.key.rfind("relationship--", 0) == 0
              ? r.key
              : IdFor("relationship", "ev|" + v.source_slug + "|" + r.key + "|" + e.src_slug + "|" +
                                          e.rec.type + "|" + e.dst_slug + "|" + e.rec.domain);
      std::string rel = e.rec.type;
      static const std::map<std::string, std::string> kRelationship = {
          {"located_in", "located-at"},
          {"part_of", "part-of"},
          {"attributed_to", "attributed-to"},
          {"related_to", "related-to"}};
      if (auto it = kRelationship.find(rel); it != kRelationship.end())
        rel = it->second;
      else
        for (char& c : rel)
          if (c == '_') c = '-';
      json o = {{"type", "relationship"},
                {"spec_version", "2.1"},
                {"id", id},
                {"created", Timestamp(r.recorded_at)},
                {"modified", Timestamp(r.recorded_at)},
                {"relationship_type", rel},
                {"source_ref", node_ids[e.src_slug]},
                {"target_ref", node_ids[e.dst_slug]},
                {"description", r.quote},
                {"object_marking_refs", json::array({TlpId(r.marking)})}};
      used_markings.insert(r.marking);
      if (auto c = ConfidenceOf(r.credibility)) o["confidence"] = *c;
      if (std::string who = producer(*src->second); !who.empty()) o["created_by_ref"] = who;
      if (PlainDate(r.valid_from)) o["start_time"] = Timestamp(r.valid_from);
      if (PlainDate(r.valid_to) && r.valid_to.size() == 10 &&
          (!o.contains("start_time") || r.valid_to >= r.valid_from))
        o["stop_time"] = r.valid_to + "T23:59:59.999Z";
      json x = EvidenceExtension(v);
      x["type"] = e.rec.type;
      x["domain"] = e.rec.domain;
      o["x_sinew_evidence"] = x;
      backed[r.source].push_back(id);
      objects.push_back(std::move(o));
    }
  }
  // Figures, which STIX has no object for: x-sinew-observation, one per
  // evidence record, read back by sinew's STIX reader (ingest/stix_links.cc).
  for (const auto& ov : g.observations) {
    auto subject = node_ids.find(ov.subject_slug);
    if (subject == node_ids.end()) continue;
    for (const auto& v : ov.evidence) {
      const EvidenceRecord& r = v.rec;
      auto src = sources.find(r.source);
      if (src == sources.end()) continue;
      std::string id = r.key.rfind("x-sinew-observation--", 0) == 0
                           ? r.key
                           : IdFor("x-sinew-observation", "obs|" + v.source_slug + "|" + r.key);
      json o = {{"type", "x-sinew-observation"},
                {"spec_version", "2.1"},
                {"id", id},
                {"created", Timestamp(r.recorded_at)},
                {"modified", Timestamp(r.recorded_at)},
                {"subject_ref", subject->second},
                {"metric", ov.rec.metric},
                {"unit", ov.rec.unit},
                {"period", ov.rec.period},
                {"value_low", ov.rec.low},
                {"value_high", ov.rec.high},
                {"description", r.quote},
                {"object_marking_refs", json::array({TlpId(r.marking)})}};
      if (auto object = node_ids.find(ov.object_slug); object != node_ids.end())
        o["object_ref"] = object->second;
      used_markings.insert(r.marking);
      if (auto c = ConfidenceOf(r.credibility)) o["confidence"] = *c;
      if (std::string who = producer(*src->second); !who.empty()) o["created_by_ref"] = who;
      o["x_sinew_evidence"] = EvidenceExtension(v);
      backed[r.source].push_back(id);
      objects.push_back(std::move(o));
    }
  }
  // Each source as the report that carries its claims.
  for (const auto& s : g.sources) {
    auto it = backed.find(s.id);
    if (it == backed.end()) continue;
    json r = {{"type", "report"},
              {"spec_version", "2.1"},
              {"id", IdFor("report", "source|" + s.slug)},
              {"created", Timestamp(s.ingested_at)},
              {"modified", Timestamp(s.ingested_at)},
              {"name", s.title.empty() ? s.slug : s.title},
              {"published", Timestamp(s.published.empty() ? s.ingested_at : s.published)},
              {"report_types", json::array({s.kind.empty() ? "report" : s.kind})},
              {"object_refs", it->second},
              {"object_marking_refs", json::array({TlpId(s.marking)})},
              {"x_sinew_source",
               {{"id", s.slug},
                {"title", s.title},
                {"publisher", s.publisher},
                {"published", s.published},
                {"url", s.url},
                {"kind", s.kind},
                {"reliability", s.reliability},
                {"authors", s.authors},
                {"marking", MarkingName(s.marking)},
                {"props", s.props}}}};
    // A source's own text travels only at or under the export's clearance.
    if (g.filter.SeesSource(s) && !s.text.empty()) r["x_sinew_source"]["text"] = s.text;
    used_markings.insert(s.marking);
    if (std::string who = producer(s); !who.empty()) r["created_by_ref"] = who;
    if (!s.url.empty())
      r["external_references"] = json::array(
          {{{"source_name", s.publisher.empty() ? s.slug : s.publisher}, {"url", s.url}}});
    if (s.props.contains("summary")) r["description"] = s.props["summary"];
    objects.push_back(std::move(r));
  }
  for (Marking m : used_markings) objects.push_back(TlpDefinition(m));
  for (const auto& e : g.refuted) contradicting += static_cast<int>(e.evidence.size());
  if (contradicting_left_out) *contradicting_left_out = contradicting;
  json bundle = {
      {"type", "bundle"},
      {"id", IdFor("bundle", "export|" + g.clearance + "|" + std::to_string(objects.size()))},
      {"objects", objects}};
  return JsonText(bundle) + "\n";
}

}  // namespace sinew::query
