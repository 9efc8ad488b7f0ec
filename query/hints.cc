#include "query/hints.h"

namespace sinew::query {

std::vector<std::string> WhatFiltersHide(
    const Question& q, const std::string& one, const std::string& many,
    const std::function<Result<size_t>(const Question&)>& count) {
  struct Relaxed {
    bool applies;
    std::string flag;
    std::function<void(Question*)> relax;
  };
  const EdgeFilter& f = q.filter;
  const std::vector<Relaxed> relaxations = {
      {q.via.empty(), "with --via all (any link type, not only depends_on)",
       [](Question* x) { x->via = {"all"}; }},
      {!f.domains.empty(), "in any domain (without --domain)",
       [](Question* x) { x->filter.domains.clear(); }},
      {f.as_of != 0,
       f.as_of_today ? "with --all-time (links no longer valid count too)"
                     : "with --all-time (not only links valid at --as-of)",
       [](Question* x) {
         x->filter.as_of = 0;
         x->filter.as_of_today = false;
       }},
      {f.min_confidence > 0, "with --min-confidence 0",
       [](Question* x) { x->filter.min_confidence = 0; }},
      {!f.include_scenarios, "with --include-scenarios (projected and hypothetical links)",
       [](Question* x) { x->filter.include_scenarios = true; }},
      {!f.include_proposed, "with --include-proposed (claims awaiting review)",
       [](Question* x) { x->filter.include_proposed = true; }},
  };
  std::vector<std::string> out;
  for (const Relaxed& r : relaxations) {
    if (!r.applies) continue;
    Question relaxed = q;
    relaxed.projections = nullptr;  // a projection is keyed by the filter: build afresh
    r.relax(&relaxed);
    Result<size_t> n = count(relaxed);
    if (n.ok() && n.value() > 0)
      out.push_back(std::to_string(n.value()) + " " + (n.value() == 1 ? one : many) + " " + r.flag);
  }
  return out;
}

}  // namespace sinew::query
