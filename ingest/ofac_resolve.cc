// Entity resolution, the deterministic part: an entry is a node the store
// already holds when exactly one such node of a compatible type shares an
// identifier with it, or its name or an alias once legal forms are dropped.
// Never on a substring (RUSAL is not in JERUSALEM); anything less certain
// stays a node of its own and is reported.
#include <algorithm>

#include "ingest/ofac_reader.h"

namespace sinew::ingest::ofac {
namespace {

// Entry types that may be one node: a company on the list may be an
// organisation in the store (state bodies, banks) and the other way round.
bool Compatible(const std::string& entry_type, const std::string& node_type) {
  if (entry_type == node_type) return true;
  auto body = [](const std::string& t) { return t == "company" || t == "organisation"; };
  return body(entry_type) && body(node_type);
}

// Identifiers as resolution keys: props of the same names as the list's.
void IdentifiersOf(const nlohmann::json& props, std::vector<std::string>* out) {
  for (const char* k : {"imo", "imo_company", "swift_bic"}) {
    auto it = props.find(k);
    if (it == props.end()) continue;
    std::string prefix = std::string(k) == "swift_bic" ? "SWIFT/BIC " : std::string(k) + " ";
    if (it->is_string()) out->push_back(prefix + it->get<std::string>());
    if (it->is_array())
      for (const auto& v : *it)
        if (v.is_string()) out->push_back(prefix + v.get<std::string>());
  }
}

}  // namespace

Resolver::Resolver(const StoreView& view, SourceId own, const Mapping& m) : m_(m) {
  Status st = view.ForEachNode([&](const NodeRecord& n) {
    // The list's own nodes are found by ent_num, not by name.
    bool others = false;
    for (const auto& [src, claim] : n.claims) others = others || src != own;
    if (!others) return true;
    std::set<std::string> names;
    for (const auto& [src, claim] : n.claims) {
      if (src == own || claim.proposed) continue;
      names.insert(MatchName(claim.name, m));
      for (const auto& a : claim.aliases) names.insert(MatchName(a, m));
    }
    names.insert(MatchName(n.name, m));
    names.insert(MatchName(n.slug, m));
    for (const std::string& k : names)
      if (!k.empty()) by_name_[k].emplace_back(n.slug, n.type);
    std::vector<std::string> ids;
    IdentifiersOf(n.props, &ids);
    for (const std::string& k : ids) by_id_[k].emplace_back(n.slug, n.type);
    return true;
  });
  (void)st;  // an unreadable store resolves nothing: every entry keeps its own node
}

std::string Resolver::Resolve(const Entry& e, std::string* ambiguous) const {
  std::set<std::string> fits, conflicts;
  for (const std::string& id : e.identifiers)
    if (auto it = by_id_.find(id); it != by_id_.end())
      for (const auto& [slug, type] : it->second)
        (Compatible(e.type, type) ? fits : conflicts).insert(slug + " (" + type + ")");
  if (fits.empty()) {
    std::vector<std::string> names = {e.name};
    names.insert(names.end(), e.aliases.begin(), e.aliases.end());
    for (const std::string& n : names) {
      std::string k = MatchName(n, m_);
      if (k.empty()) continue;
      if (auto it = by_name_.find(k); it != by_name_.end())
        for (const auto& [slug, type] : it->second)
          (Compatible(e.type, type) ? fits : conflicts).insert(slug + " (" + type + ")");
    }
  }
  if (fits.size() == 1 && conflicts.empty()) {
    std::string s = *fits.begin();
    return s.substr(0, s.find(' '));
  }
  if (!fits.empty() || !conflicts.empty()) {
    std::string all;
    for (const auto& s : fits) all += (all.empty() ? "" : ", ") + s;
    for (const auto& s : conflicts) all += (all.empty() ? "" : ", ") + s;
    *ambiguous = all;
  }
  return "";
}

std::string Resolver::ResolveName(const std::string& name) const {
  // A party (a firm, a body, a person, a vessel or an aircraft): "Linked To"
  // never names a state, a place, a programme or a technology.
  static const std::set<std::string> kParties = {"company", "organisation", "group",
                                                 "person",  "vessel",       "aircraft"};
  auto it = by_name_.find(MatchName(name, m_));
  if (it == by_name_.end()) return "";
  std::string found;
  for (const auto& [slug, type] : it->second) {
    if (!kParties.count(type)) continue;
    if (!found.empty()) return "";  // two parties of that name: not settled
    found = slug;
  }
  return found;
}

}  // namespace sinew::ingest::ofac
