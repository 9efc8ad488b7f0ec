#include <algorithm>
#include <cctype>

#include "graph/graph.h"

namespace sinew::graph {

int32_t DayOf(const std::string& iso) {
  if (iso.size() < 10) return 0;
  Result<FuzzyDate> d = ParseDate(iso.substr(0, 10));
  return d.ok() ? d->lo : 0;
}

Result<EdgeFilter> MakeFilter(const Schema& schema, const FilterSettings& settings) {
  EdgeFilter f;
  for (const auto& d : settings.domains) {
    int code = schema.DomainCode(d);
    if (code < 0) {
      std::string known;
      for (const auto& k : schema.domains()) known += (known.empty() ? "" : ", ") + k;
      return Status::Usage("unknown domain '" + d + "' (known: " + known + ")");
    }
    f.domains.insert(code);
  }
  if (!settings.as_of.empty()) {
    if (settings.all_time) return Status::Usage("--as-of and --all-time ask opposite things");
    Result<FuzzyDate> d = ParseDate(settings.as_of);
    if (!d.ok()) return Status::Usage("--as-of: " + d.status().message());
    // "as of 2014" means at the end of 2014: what held by then.
    f.as_of = d->hi;
  } else if (!settings.all_time && settings.today != 0) {
    // By default a question is about today: links that ended are history.
    f.as_of = settings.today;
    f.as_of_today = true;
  }
  if (settings.min_confidence < 0 || settings.min_confidence > 1)
    return Status::Usage("--min-confidence must be between 0 and 1");
  f.min_confidence = settings.min_confidence;
  f.include_proposed = settings.include_proposed;
  f.include_scenarios = settings.include_scenarios;
  if (!settings.known_at.empty()) {
    Result<FuzzyDate> d = ParseDate(settings.known_at);
    if (!d.ok()) return Status::Usage("--known-at: " + d.status().message());
    f.known_at = d->hi;
  }
  if (!settings.clearance.empty()) {
    Result<Marking> m = ParseMarking(settings.clearance);
    if (!m.ok()) return Status::Usage("--clearance: " + m.status().message());
    f.clearance = m.value();
  }
  return f;
}

}  // namespace sinew::graph

namespace sinew::graph {

Result<std::set<uint16_t>> EdgeTypes(const Schema& schema, const std::vector<std::string>& names) {
  std::set<uint16_t> out;
  for (const auto& raw : names) {
    // Accept "a,b" as well as repeated options.
    size_t start = 0;
    while (start <= raw.size()) {
      size_t comma = raw.find(',', start);
      std::string name =
          raw.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? raw.size() + 1 : comma + 1;
      if (name.empty()) continue;
      if (name == "all" || name == "any") return std::set<uint16_t>{};
      const EdgeTypeInfo* t = schema.FindEdgeType(name);
      if (!t) {
        std::string known;
        for (const auto& e : schema.edge_types()) known += (known.empty() ? "" : ", ") + e.name;
        return Status::Usage("unknown edge type '" + name + "' (known: " + known + ", or all)");
      }
      out.insert(t->code);
    }
  }
  return out;
}

}  // namespace sinew::graph
