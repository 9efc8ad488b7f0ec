#include "store/schema.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace sinew {
namespace {

using nlohmann::json;

Status SchemaError(const std::string& file, const std::string& pointer, const std::string& why) {
  SourcePlace place;
  place.file = file;
  place.pointer = pointer;
  return Status::Invalid("schema: " + why, place);
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string DescriptionOf(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("description") && v["description"].is_string())
    return v["description"].get<std::string>();
  return "";
}

Status ReadTypeSet(const json& v, const std::string& file, const std::string& ptr,
                   const std::map<std::string, std::string>& node_types,
                   std::set<std::string>* out) {
  if (v.is_null()) return Status::Ok();
  if (!v.is_array()) return SchemaError(file, ptr, "must be a list of node types");
  for (const auto& t : v) {
    if (!t.is_string()) return SchemaError(file, ptr, "must be a list of node types");
    std::string name = t.get<std::string>();
    if (name == "*") {
      out->clear();
      return Status::Ok();
    }
    if (!node_types.count(name))
      return SchemaError(file, ptr, "names unknown node type '" + name + "'");
    out->insert(name);
  }
  return Status::Ok();
}

}  // namespace

Result<Schema> Schema::Parse(const std::string& text, const std::string& file) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return SchemaError(file, "", std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) return SchemaError(file, "", "must be a JSON object");
  Schema s;
  s.text_ = text;
  for (const char* key : {"node_types", "edge_types", "domains"}) {
    if (!doc.contains(key) || !doc[key].is_object())
      return SchemaError(file, std::string("/") + key, std::string("missing object '") + key + "'");
  }
  for (const auto& [name, v] : doc["node_types"].items()) s.node_types_[name] = DescriptionOf(v);
  for (const auto& [name, v] : doc["domains"].items()) {
    s.domains_.push_back(name);
    s.domain_desc_[name] = DescriptionOf(v);
  }
  // Domain codes must not depend on JSON key order, which nlohmann sorts; an
  // explicit "order" list wins, else alphabetical order, which is stable too.
  if (doc.contains("domain_order")) {
    if (!doc["domain_order"].is_array())
      return SchemaError(file, "/domain_order", "must be a list of domains");
    std::vector<std::string> order;
    for (const auto& d : doc["domain_order"]) {
      if (!d.is_string() || !s.domain_desc_.count(d.get<std::string>()))
        return SchemaError(file, "/domain_order", "lists a domain not in /domains");
      order.push_back(d.get<std::string>());
    }
    if (order.size() != s.domains_.size())
      return SchemaError(file, "/domain_order", "must list every domain once");
    s.domains_ = order;
  }
  if (s.domains_.size() > 250) return SchemaError(file, "/domains", "at most 250 domains");
  if (doc.contains("source_kinds")) {
    if (!doc["source_kinds"].is_object())
      return SchemaError(file, "/source_kinds", "must be an object");
    for (const auto& [name, v] : doc["source_kinds"].items())
      s.source_kinds_[name] = DescriptionOf(v);
  }
  std::vector<std::string> edge_order;
  if (doc.contains("edge_type_order")) {
    if (!doc["edge_type_order"].is_array())
      return SchemaError(file, "/edge_type_order", "must be a list of edge types");
    for (const auto& e : doc["edge_type_order"]) {
      if (!e.is_string() || !doc["edge_types"].contains(e.get<std::string>()))
        return SchemaError(file, "/edge_type_order", "lists an edge type not in /edge_types");
      edge_order.push_back(e.get<std::string>());
    }
    if (edge_order.size() != doc["edge_types"].size())
      return SchemaError(file, "/edge_type_order", "must list every edge type once");
  } else {
    for (const auto& [name, v] : doc["edge_types"].items()) edge_order.push_back(name);
  }
  for (const auto& name : edge_order) {
    const json& v = doc["edge_types"][name];
    std::string ptr = "/edge_types/" + name;
    if (!v.is_object()) return SchemaError(file, ptr, "must be an object");
    EdgeTypeInfo info;
    info.name = name;
    info.description = DescriptionOf(v);
    info.directed = v.value("directed", true);
    info.forward = v.value("forward", name);
    info.reverse = v.value("reverse", info.directed ? "is target of " + name : info.forward);
    SINEW_RETURN_IF_ERROR(
        ReadTypeSet(v.value("src", json()), file, ptr + "/src", s.node_types_, &info.src_types));
    SINEW_RETURN_IF_ERROR(
        ReadTypeSet(v.value("dst", json()), file, ptr + "/dst", s.node_types_, &info.dst_types));
    info.code = static_cast<uint16_t>(s.edge_types_.size() + 1);
    s.edge_index_[name] = s.edge_types_.size();
    s.edge_types_.push_back(std::move(info));
  }
  if (s.node_types_.empty()) return SchemaError(file, "/node_types", "needs at least one type");
  if (s.edge_types_.empty()) return SchemaError(file, "/edge_types", "needs at least one type");
  return s;
}

const EdgeTypeInfo* Schema::FindEdgeType(const std::string& t) const {
  auto it = edge_index_.find(t);
  return it == edge_index_.end() ? nullptr : &edge_types_[it->second];
}

const EdgeTypeInfo* Schema::EdgeTypeByCode(uint16_t code) const {
  if (code == 0 || code > edge_types_.size()) return nullptr;
  return &edge_types_[code - 1];
}

int Schema::DomainCode(const std::string& d) const {
  auto it = std::find(domains_.begin(), domains_.end(), d);
  return it == domains_.end() ? -1 : static_cast<int>(it - domains_.begin()) + 1;
}

const std::string& Schema::DomainName(int code) const {
  static const std::string kNone;
  if (code <= 0 || code > static_cast<int>(domains_.size())) return kNone;
  return domains_[code - 1];
}

Status Schema::CheckEndpoints(const EdgeTypeInfo& type, const std::string& src_type,
                              const std::string& dst_type) const {
  auto allowed = [](const std::set<std::string>& set) {
    std::string out;
    for (const auto& t : set) out += (out.empty() ? "" : ", ") + t;
    return out;
  };
  if (!type.src_types.empty() && !type.src_types.count(src_type))
    return Status::Invalid("edge type '" + type.name + "' cannot start at a " + src_type +
                           " (allowed: " + allowed(type.src_types) + ")");
  if (!type.dst_types.empty() && !type.dst_types.count(dst_type))
    return Status::Invalid("edge type '" + type.name + "' cannot end at a " + dst_type +
                           " (allowed: " + allowed(type.dst_types) + ")");
  return Status::Ok();
}

Result<Modality> ParseModality(const std::string& s) {
  if (s == "observed") return Modality::kObserved;
  if (s == "assessed") return Modality::kAssessed;
  if (s == "projected") return Modality::kProjected;
  if (s == "hypothetical") return Modality::kHypothetical;
  return Status::Invalid("bad modality '" + s +
                         "' (use observed, assessed, projected or hypothetical)");
}

const char* ModalityName(Modality m) {
  switch (m) {
    case Modality::kObserved:
      return "observed";
    case Modality::kAssessed:
      return "assessed";
    case Modality::kProjected:
      return "projected";
    case Modality::kHypothetical:
      return "hypothetical";
  }
  return "?";
}

Result<Marking> ParseMarking(const std::string& raw) {
  std::string s = Upper(raw);
  if (s.rfind("TLP:", 0) == 0) s = s.substr(4);
  if (s == "CLEAR" || s == "WHITE") return Marking::kClear;
  if (s == "GREEN") return Marking::kGreen;
  if (s == "AMBER") return Marking::kAmber;
  if (s == "AMBER+STRICT") return Marking::kAmberStrict;
  if (s == "RED") return Marking::kRed;
  return Status::Invalid("bad marking '" + raw +
                         "' (use TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED)");
}

const char* MarkingName(Marking m) {
  switch (m) {
    case Marking::kClear:
      return "TLP:CLEAR";
    case Marking::kGreen:
      return "TLP:GREEN";
    case Marking::kAmber:
      return "TLP:AMBER";
    case Marking::kAmberStrict:
      return "TLP:AMBER+STRICT";
    case Marking::kRed:
      return "TLP:RED";
  }
  return "?";
}

Result<EvidenceStatus> ParseEvidenceStatus(const std::string& s) {
  if (s == "accepted") return EvidenceStatus::kAccepted;
  if (s == "proposed") return EvidenceStatus::kProposed;
  if (s == "rejected") return EvidenceStatus::kRejected;
  return Status::Invalid("bad status '" + s + "' (use accepted, proposed or rejected)");
}

const char* EvidenceStatusName(EvidenceStatus s) {
  switch (s) {
    case EvidenceStatus::kAccepted:
      return "accepted";
    case EvidenceStatus::kProposed:
      return "proposed";
    case EvidenceStatus::kRejected:
      return "rejected";
  }
  return "?";
}

Result<Stance> ParseStance(const std::string& s) {
  if (s == "supports") return Stance::kSupports;
  if (s == "contradicts") return Stance::kContradicts;
  return Status::Invalid("bad stance '" + s + "' (use supports or contradicts)");
}

const char* StanceName(Stance s) { return s == Stance::kSupports ? "supports" : "contradicts"; }

Status CheckReliability(const std::string& s) {
  if (s.size() == 1 && s[0] >= 'A' && s[0] <= 'F') return Status::Ok();
  return Status::Invalid("bad reliability grade '" + s + "' (Admiralty scale: A to F)");
}

Status CheckCredibility(int c) {
  if (c >= 1 && c <= 6) return Status::Ok();
  return Status::Invalid("bad credibility grade " + std::to_string(c) +
                         " (Admiralty scale: 1 to 6)");
}

}  // namespace sinew
