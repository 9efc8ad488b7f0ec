// Who is exposed if a node is cut, and whether an alternative remains.
#include <algorithm>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>

#include "graph/graph.h"

namespace sinew::graph {

Result<std::vector<Exposure>> ImpactOf(const ArcSource& deps, const ArcSource& substitutes,
                                       NodeId root, const CancelFlag* cancel, size_t via_for) {
  // Every node met gets a dense index, so the searches below keep their
  // state in arrays (a closure at 10^6 edges meets ~10^5 nodes).
  std::unordered_map<NodeId, uint32_t> index;
  std::vector<NodeId> node_of;
  auto id_of = [&](NodeId n) {
    auto [it, fresh] = index.emplace(n, static_cast<uint32_t>(node_of.size()));
    if (fresh) node_of.push_back(n);
    return it->second;
  };
  id_of(root);

  // 1. Strongest dependency chain from each dependent to the root: a
  //    max-product search backwards from the root (weights are at most 1).
  std::vector<double> best{1.0};
  std::vector<Arc> next_hop(1);  // dependent -> first arc towards the root
  std::vector<char> done(1, 0);
  using Entry = std::pair<double, NodeId>;
  std::priority_queue<Entry> queue;
  queue.push({1.0, root});
  std::vector<Arc> scratch;
  while (!queue.empty()) {
    if (cancel && cancel->load()) return Status::Cancelled();
    auto [score, v] = queue.top();
    queue.pop();
    uint32_t vi = index.at(v);
    if (done[vi]) continue;
    done[vi] = 1;
    SINEW_RETURN_IF_ERROR(deps.In(v, &scratch));
    for (const Arc& a : scratch) {
      uint32_t ai = id_of(a.from);
      if (ai == best.size()) {
        best.push_back(-1);
        next_hop.emplace_back();
        done.push_back(0);
      }
      if (done[ai]) continue;
      double s = score * a.weight;
      if (best[ai] < 0 || s > best[ai] || (s == best[ai] && a.edge < next_hop[ai].edge)) {
        best[ai] = s;
        next_hop[ai] = a;
        queue.push({s, a.from});
      }
    }
  }

  // 2. Cut off or degraded, per domain: a dependent is cut off in a domain
  //    when every provider it has there is lost and no live substitute
  //    stands in for any of them (the root is lost in every domain). Cuts
  //    only make more cuts, so this is the least fixpoint, found with a
  //    worklist: once (x, d) is cut, only the dependents whose test reads x
  //    in domain d - as a provider, or as a provider's substitute - look
  //    again. (Sweeping every dependent until nothing changed took seconds
  //    at 10^6 edges.)
  std::unordered_map<NodeId, std::vector<NodeId>> subs_of;  // provider -> its substitutes
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
  std::set<std::pair<NodeId, int>> cut;  // (node, domain)
  auto lost = [&](NodeId p, int domain) { return p == root || cut.count({p, domain}) > 0; };
  // Whether dependent v is cut off in `domain` (any domain when -1), given
  // the cuts so far; each domain newly cut is added and returned.
  std::vector<Arc> provided;
  auto test = [&](NodeId v, int only, std::vector<int>* newly) -> Status {
    SINEW_RETURN_IF_ERROR(deps.Out(v, &provided));
    std::stable_sort(provided.begin(), provided.end(),
                     [](const Arc& a, const Arc& b) { return a.domain < b.domain; });
    for (size_t i = 0; i < provided.size();) {
      int domain = provided[i].domain;
      size_t end = i;
      while (end < provided.size() && provided[end].domain == domain) ++end;
      if ((only >= 0 && domain != only) || cut.count({v, domain})) {
        i = end;
        continue;
      }
      bool all_lost = true;
      for (size_t k = i; k < end && all_lost; ++k) {
        NodeId p = provided[k].to;
        if (!lost(p, domain)) {
          all_lost = false;
          break;
        }
        Result<const std::vector<NodeId>*> subs = substitutes_for(p);
        if (!subs.ok()) return subs.status();
        for (NodeId s : *subs.value())
          if (!lost(s, domain)) all_lost = false;
      }
      if (all_lost) {
        cut.insert({v, domain});
        newly->push_back(domain);
      }
      i = end;
    }
    return Status::Ok();
  };
  std::vector<std::pair<NodeId, int>> work;  // (dependent, domain) to test again
  std::vector<Arc> readers, stands_in;
  std::vector<int> newly;
  // Once (v, domain) is cut, who reads v there: its dependents in that
  // domain, and the dependents of every provider v substitutes for.
  auto cut_made = [&](NodeId v, int domain) -> Status {
    auto recheck = [&](NodeId u) {
      auto it = index.find(u);
      if (it != index.end() && it->second != 0 && done[it->second]) work.push_back({u, domain});
    };
    SINEW_RETURN_IF_ERROR(deps.In(v, &readers));
    for (const Arc& a : readers)
      if (a.domain == domain) recheck(a.from);
    SINEW_RETURN_IF_ERROR(substitutes.Out(v, &stands_in));
    for (const Arc& s : stands_in) {
      SINEW_RETURN_IF_ERROR(deps.In(s.to, &readers));
      for (const Arc& a : readers)
        if (a.domain == domain) recheck(a.from);
    }
    return Status::Ok();
  };
  for (uint32_t i = 1; i < node_of.size(); ++i) {
    if (!done[i]) continue;
    if (cancel && cancel->load()) return Status::Cancelled();
    newly.clear();
    SINEW_RETURN_IF_ERROR(test(node_of[i], -1, &newly));
    for (int d : newly) SINEW_RETURN_IF_ERROR(cut_made(node_of[i], d));
    while (!work.empty()) {
      auto [u, d] = work.back();
      work.pop_back();
      newly.clear();
      SINEW_RETURN_IF_ERROR(test(u, d, &newly));
      for (int nd : newly) SINEW_RETURN_IF_ERROR(cut_made(u, nd));
    }
  }

  std::vector<Exposure> out;
  out.reserve(node_of.size());
  for (uint32_t i = 1; i < node_of.size(); ++i) {
    if (!done[i]) continue;
    Exposure e;
    e.node = node_of[i];
    e.score = best[i];
    for (auto it = cut.lower_bound({e.node, std::numeric_limits<int>::min()});
         it != cut.end() && it->first == e.node; ++it)
      e.cut_domains.push_back(it->second);
    e.cut_off = !e.cut_domains.empty();
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const Exposure& a, const Exposure& b) {
    if (a.cut_off != b.cut_off) return a.cut_off;
    return a.score != b.score ? a.score > b.score : a.node < b.node;
  });
  // The chain to the root, for the first `via_for` only: a question shows a
  // page of the exposed, and at 10^5 of them the chains were most of the
  // memory.
  for (size_t k = 0; k < out.size() && k < via_for; ++k)
    for (NodeId at = out[k].node; at != root;) {
      const Arc& hop = next_hop[index.at(at)];
      out[k].via.push_back(hop);
      at = hop.to;
    }
  return out;
}

}  // namespace sinew::graph
