// Who is exposed if a node is cut, and whether an alternative remains.
#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>

#include "graph/graph.h"

namespace sinew::graph {

Result<std::vector<Exposure>> ImpactOf(const ArcSource& deps, const ArcSource& substitutes,
                                       NodeId root, const CancelFlag* cancel) {
  // 1. Strongest dependency chain from each dependent to the root: a
  //    max-product search backwards from the root (weights are at most 1).
  std::unordered_map<NodeId, double> best{{root, 1.0}};
  std::unordered_map<NodeId, Arc> next_hop;  // dependent -> first arc towards the root
  using Entry = std::pair<double, NodeId>;
  std::priority_queue<Entry> queue;
  queue.push({1.0, root});
  std::set<NodeId> done;
  std::vector<Arc> scratch;
  while (!queue.empty()) {
    if (cancel && cancel->load()) return Status::Cancelled();
    auto [score, v] = queue.top();
    queue.pop();
    if (!done.insert(v).second) continue;
    SINEW_RETURN_IF_ERROR(deps.In(v, &scratch));
    for (const Arc& a : scratch) {
      if (done.count(a.from)) continue;
      double s = score * a.weight;
      auto it = best.find(a.from);
      if (it == best.end() || s > it->second ||
          (s == it->second && a.edge < next_hop[a.from].edge)) {
        best[a.from] = s;
        next_hop[a.from] = a;
        queue.push({s, a.from});
      }
    }
  }

  // 2. Cut off or degraded, per domain, to a fixpoint: a dependent is cut off
  //    in a domain when every provider it has there is lost and no live
  //    substitute stands in for any of them.
  std::map<NodeId, std::vector<Arc>> provided;  // dependent -> its depends_on arcs
  for (NodeId v : done) {
    if (v == root) continue;
    SINEW_RETURN_IF_ERROR(deps.Out(v, &scratch));
    provided[v] = scratch;
  }
  std::map<NodeId, std::vector<NodeId>> subs_of;  // provider -> its substitutes
  auto substitutes_for = [&](NodeId p) -> Result<const std::vector<NodeId>*> {
    auto it = subs_of.find(p);
    if (it == subs_of.end()) {
      std::vector<Arc> in;
      SINEW_RETURN_IF_ERROR(substitutes.In(p, &in));
      std::vector<NodeId> s;
      for (const Arc& a : in) s.push_back(a.from);
      it = subs_of.emplace(p, std::move(s)).first;
    }
    return &it->second;
  };
  std::set<std::pair<NodeId, int>> cut;  // (node, domain); the root is lost in all
  auto lost = [&](NodeId p, int domain) { return p == root || cut.count({p, domain}) > 0; };
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& [v, arcs] : provided) {
      std::map<int, std::vector<NodeId>> by_domain;
      for (const Arc& a : arcs) by_domain[a.domain].push_back(a.to);
      for (const auto& [domain, providers] : by_domain) {
        if (cut.count({v, domain})) continue;
        bool all_lost = true;
        for (NodeId p : providers) {
          if (!lost(p, domain)) {
            all_lost = false;
            break;
          }
          Result<const std::vector<NodeId>*> subs = substitutes_for(p);
          if (!subs.ok()) return subs.status();
          for (NodeId s : *subs.value())
            if (!lost(s, domain)) all_lost = false;
          if (!all_lost) break;
        }
        if (all_lost) {
          cut.insert({v, domain});
          changed = true;
        }
      }
    }
  }

  std::vector<Exposure> out;
  for (const auto& [v, score] : best) {
    if (v == root) continue;
    Exposure e;
    e.node = v;
    e.score = score;
    for (NodeId at = v; at != root; at = next_hop[at].to) e.via.push_back(next_hop[at]);
    for (const auto& [node, domain] : cut)
      if (node == v) e.cut_domains.push_back(domain);
    e.cut_off = !e.cut_domains.empty();
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const Exposure& a, const Exposure& b) {
    if (a.cut_off != b.cut_off) return a.cut_off;
    return a.score != b.score ? a.score > b.score : a.node < b.node;
  });
  return out;
}

}  // namespace sinew::graph
