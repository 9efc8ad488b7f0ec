#include "graph/best_chains.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <tuple>
#include <unordered_map>

namespace sinew::graph::internal {

std::vector<Arc> BestChains::ArcsTo(int label) const {
  std::vector<Arc> out;
  for (int at = label; at >= 0 && labels[at].parent >= 0; at = labels[at].parent)
    out.push_back(labels[at].via);
  return out;
}

Result<BestChains> SearchBestChains(const ArcSource& arcs, NodeId start, bool forward, int domain,
                                    std::optional<NodeId> target, const CancelFlag* cancel,
                                    size_t max_labels) {
  constexpr double kEps = 1e-12;
  BestChains out;
  out.labels.push_back(ChainLabel{start, 0, 1, 1, 1, Span{}, -1, 0, Arc{}, false, false});
  // Live labels at each node.
  std::unordered_map<NodeId, std::vector<int>> at{{start, {0}}};
  using Entry = std::tuple<double, int, NodeId, EdgeId, int>;  // cost, hops, node, last edge, label
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
  queue.push({0.0, 0, start, 0, 0});
  std::vector<Arc> scratch;
  size_t popped = 0;
  while (!queue.empty()) {
    auto [cost, hops, node, edge, id] = queue.top();
    queue.pop();
    if (out.labels[id].dead) continue;
    out.labels[id].settled = true;
    if ((++popped & 1023) == 0 && cancel && cancel->load()) return Status::Cancelled();
    out.best.try_emplace(node, id);  // the first settled is the best
    if (target && node == *target) break;
    std::span<const Arc> view;
    SINEW_RETURN_IF_ERROR(forward ? arcs.OutView(node, &scratch, &view)
                                  : arcs.InView(node, &scratch, &view));
    const ChainLabel here = out.labels[id];
    for (const Arc& a : view) {
      if (domain >= 0 && a.domain != domain) continue;
      double score = a.Score();
      if (score <= 0) continue;
      NodeId next = forward ? a.to : a.from;
      if (next == start) continue;
      Span span = here.span.And(a);
      if (span.Empty()) continue;  // the link did not hold while the chain did
      double c = here.cost - std::log(std::min(1.0, score));
      std::vector<int>& live = at[next];
      bool dominated = false;
      for (int other : live) {
        const ChainLabel& o = out.labels[other];
        if (o.cost < c - kEps && o.span.Covers(span)) dominated = true;
        // Equal cost and span: the one whose last link has the smaller id.
        if (std::abs(o.cost - c) <= kEps && o.span.Covers(span) &&
            (!span.Covers(o.span) || o.via.edge <= a.edge || o.parent < 0))
          dominated = true;
        if (dominated) break;
      }
      if (dominated) continue;
      ChainLabel l;
      l.node = next;
      l.cost = c;
      l.score = here.score * score;
      l.weight = here.weight * a.weight;
      l.confidence = here.confidence * a.confidence;
      l.span = span;
      l.parent = id;
      l.hops = here.hops + 1;
      l.via = a;
      int nid = static_cast<int>(out.labels.size());
      // Labels the new one beats on both counts are dropped.
      for (int other : live) {
        ChainLabel& o = out.labels[other];
        if (!o.settled && o.cost >= c - kEps && span.Covers(o.span)) o.dead = true;
      }
      live.erase(std::remove_if(live.begin(), live.end(),
                                [&](int other) { return out.labels[other].dead; }),
                 live.end());
      if (live.size() >= max_labels) {
        // The costliest unsettled one goes: a bound against pathological spans.
        auto worst = live.end();
        for (auto it = live.begin(); it != live.end(); ++it)
          if (!out.labels[*it].settled &&
              (worst == live.end() || out.labels[*it].cost > out.labels[*worst].cost))
            worst = it;
        if (worst == live.end() || out.labels[*worst].cost <= c) continue;
        out.labels[*worst].dead = true;
        live.erase(worst);
      }
      out.labels.push_back(l);
      live.push_back(nid);
      queue.push({c, l.hops, next, a.edge, nid});
    }
  }
  return out;
}

}  // namespace sinew::graph::internal
