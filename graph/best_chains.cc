#include "graph/best_chains.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <tuple>

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
  out.nodes.Add(start);
  out.best.push_back(-1);
  // The live labels at each node, a list in order of creation: its first and
  // last label by node number, each label's successor by label.
  std::vector<int> first{0}, last{0}, next_live{-1};
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
    int& best = out.best[out.nodes.Find(node)];
    if (best < 0) best = id;  // the first settled is the best
    if (target && node == *target) break;
    std::span<const Arc> view;
    if (domain >= 0)
      SINEW_RETURN_IF_ERROR(forward ? arcs.OutDomainView(node, domain, &scratch, &view)
                                    : arcs.InDomainView(node, domain, &scratch, &view));
    else
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
      auto [m, fresh] = out.nodes.Add(next);
      if (fresh) {
        out.best.push_back(-1);
        first.push_back(-1);
        last.push_back(-1);
      }
      bool dominated = false;
      for (int other = first[m]; other >= 0 && !dominated; other = next_live[other]) {
        const ChainLabel& o = out.labels[other];
        if (o.cost < c - kEps && o.span.Covers(span)) dominated = true;
        // Equal cost and span: the one whose last link has the smaller id.
        if (std::abs(o.cost - c) <= kEps && o.span.Covers(span) &&
            (!span.Covers(o.span) || o.via.edge <= a.edge || o.parent < 0))
          dominated = true;
      }
      if (dominated) continue;
      // Labels the new one beats on both counts are dropped.
      size_t live = 0;
      for (int other = first[m], before = -1; other >= 0; other = next_live[other]) {
        ChainLabel& o = out.labels[other];
        if (!o.settled && o.cost >= c - kEps && span.Covers(o.span)) o.dead = true;
        if (!o.dead) {
          before = other;
          ++live;
          continue;
        }
        (before < 0 ? first[m] : next_live[before]) = next_live[other];
        if (last[m] == other) last[m] = before;
      }
      if (live >= max_labels) {
        // The costliest unsettled one goes: a bound against pathological spans.
        int worst = -1, worst_before = -1;
        for (int other = first[m], before = -1; other >= 0;
             before = other, other = next_live[other])
          if (!out.labels[other].settled &&
              (worst < 0 || out.labels[other].cost > out.labels[worst].cost)) {
            worst = other;
            worst_before = before;
          }
        if (worst < 0 || out.labels[worst].cost <= c) continue;
        out.labels[worst].dead = true;
        (worst_before < 0 ? first[m] : next_live[worst_before]) = next_live[worst];
        if (last[m] == worst) last[m] = worst_before;
      }
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
      out.labels.push_back(l);
      next_live.push_back(-1);
      (last[m] < 0 ? first[m] : next_live[last[m]]) = nid;
      last[m] = nid;
      queue.push({c, l.hops, next, a.edge, nid});
    }
  }
  return out;
}

}  // namespace sinew::graph::internal
