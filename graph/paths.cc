// Dependency trees, ranked chains, strongest and shortest paths.
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "graph/graph.h"

namespace sinew::graph {
namespace {

bool Cancelled(const CancelFlag* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

double Combine(ChainRule rule, double acc, double v) {
  return rule == ChainRule::kProduct ? acc * v : std::min(acc, v);
}

bool BetterChain(const Chain& a, const Chain& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.arcs.size() != b.arcs.size()) return a.arcs.size() < b.arcs.size();
  for (size_t i = 0; i < a.arcs.size(); ++i)
    if (a.arcs[i].edge != b.arcs[i].edge) return a.arcs[i].edge < b.arcs[i].edge;
  return false;
}

// The chain that `via` (each node's arc in) records from `from` to `to`,
// scored by the product rule.
Chain Unwind(const std::unordered_map<NodeId, Arc>& via, NodeId from, NodeId to) {
  Chain chain;
  for (NodeId v = to; v != from; v = via.at(v).from) chain.arcs.push_back(via.at(v));
  std::reverse(chain.arcs.begin(), chain.arcs.end());
  chain.nodes.push_back(from);
  chain.score = chain.confidence = 1;
  for (const Arc& a : chain.arcs) {
    chain.nodes.push_back(a.to);
    chain.score *= a.weight;
    chain.confidence *= a.confidence;
  }
  return chain;
}

}  // namespace

const char* ChainRuleName(ChainRule r) { return r == ChainRule::kProduct ? "product" : "min"; }

Result<std::vector<TreeEdge>> DependencyTree(const ArcSource& arcs, NodeId root, bool reverse,
                                             int depth, const CancelFlag* cancel) {
  std::vector<TreeEdge> out;
  std::unordered_set<NodeId> seen{root};
  std::vector<NodeId> frontier{root};
  std::vector<Arc> scratch;
  for (int level = 1; level <= depth && !frontier.empty(); ++level) {
    // Among the arcs that reach a new node at this level, the strongest wins.
    std::map<NodeId, Arc> best;
    for (NodeId v : frontier) {
      if (Cancelled(cancel)) return Status::Cancelled();
      SINEW_RETURN_IF_ERROR(reverse ? arcs.In(v, &scratch) : arcs.Out(v, &scratch));
      for (const Arc& a : scratch) {
        NodeId next = reverse ? a.from : a.to;
        if (seen.count(next)) continue;
        auto it = best.find(next);
        if (it == best.end() || a.weight > it->second.weight ||
            (a.weight == it->second.weight && a.edge < it->second.edge))
          best[next] = a;
      }
    }
    frontier.clear();
    std::vector<TreeEdge> level_edges;
    for (const auto& [node, arc] : best) {
      seen.insert(node);
      frontier.push_back(node);
      level_edges.push_back(TreeEdge{arc, level});
    }
    std::sort(level_edges.begin(), level_edges.end(), [](const TreeEdge& a, const TreeEdge& b) {
      return a.arc.weight != b.arc.weight ? a.arc.weight > b.arc.weight : a.arc.edge < b.arc.edge;
    });
    out.insert(out.end(), level_edges.begin(), level_edges.end());
  }
  return out;
}

Result<ChainsResult> FindChains(const ArcSource& arcs, NodeId from, NodeId to, int max_depth,
                                size_t limit, ChainRule rule, size_t cap,
                                const CancelFlag* cancel) {
  ChainsResult result;
  if (from == to || max_depth < 1) return result;
  // Hops from each node to `to`, walking backwards: prunes every branch that
  // cannot arrive within the hops left.
  std::unordered_map<NodeId, int> to_target{{to, 0}};
  std::vector<NodeId> frontier{to};
  std::vector<Arc> scratch;
  for (int d = 1; d <= max_depth && !frontier.empty(); ++d) {
    std::vector<NodeId> next;
    for (NodeId v : frontier) {
      SINEW_RETURN_IF_ERROR(arcs.In(v, &scratch));
      for (const Arc& a : scratch)
        if (to_target.emplace(a.from, d).second) next.push_back(a.from);
    }
    frontier.swap(next);
  }
  if (!to_target.count(from)) return result;

  // Depth-first enumeration of simple chains, with an explicit stack.
  struct Frame {
    NodeId node;
    std::vector<Arc> arcs;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  std::unordered_set<NodeId> on_path{from};
  std::vector<Arc> path;
  stack.push_back(Frame{from, {}, 0});
  SINEW_RETURN_IF_ERROR(arcs.Out(from, &stack.back().arcs));
  size_t steps = 0;
  while (!stack.empty()) {
    if ((++steps & 1023) == 0 && Cancelled(cancel)) return Status::Cancelled();
    Frame& f = stack.back();
    if (f.next == f.arcs.size()) {
      on_path.erase(f.node);
      stack.pop_back();
      if (!path.empty()) path.pop_back();
      continue;
    }
    const Arc a = f.arcs[f.next++];
    if (on_path.count(a.to)) continue;
    auto dist = to_target.find(a.to);
    int used = static_cast<int>(path.size()) + 1;
    if (dist == to_target.end() || used + dist->second > max_depth) continue;
    if (a.to == to) {
      Chain c;
      c.nodes.push_back(from);
      double score = 1, conf = 1;
      for (const Arc& p : path) {
        c.nodes.push_back(p.to);
        score = Combine(rule, score, p.weight);
        conf = Combine(rule, conf, p.confidence);
      }
      c.arcs = path;
      c.arcs.push_back(a);
      c.nodes.push_back(to);
      c.score = Combine(rule, score, a.weight);
      c.confidence = Combine(rule, conf, a.confidence);
      result.chains.push_back(std::move(c));
      if (++result.found >= cap) {
        result.truncated = true;
        break;
      }
      continue;
    }
    path.push_back(a);
    on_path.insert(a.to);
    Frame next{a.to, {}, 0};
    SINEW_RETURN_IF_ERROR(arcs.Out(a.to, &next.arcs));
    stack.push_back(std::move(next));
  }
  std::sort(result.chains.begin(), result.chains.end(), BetterChain);
  if (result.chains.size() > limit) result.chains.resize(limit);
  return result;
}

Result<std::optional<Chain>> StrongestPath(const ArcSource& arcs, NodeId from, NodeId to) {
  // Dijkstra on -log(weight): the product of weights is largest along it.
  struct Entry {
    double cost;
    NodeId node;
    bool operator>(const Entry& o) const { return cost != o.cost ? cost > o.cost : node > o.node; }
  };
  std::unordered_map<NodeId, double> cost{{from, 0}};
  std::unordered_map<NodeId, Arc> via;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
  queue.push({0, from});
  std::unordered_set<NodeId> done;
  std::vector<Arc> scratch;
  while (!queue.empty()) {
    Entry e = queue.top();
    queue.pop();
    if (!done.insert(e.node).second) continue;
    if (e.node == to) break;
    SINEW_RETURN_IF_ERROR(arcs.Out(e.node, &scratch));
    for (const Arc& a : scratch) {
      if (a.weight <= 0 || done.count(a.to)) continue;
      double c = e.cost - std::log(static_cast<double>(a.weight));
      auto it = cost.find(a.to);
      if (it == cost.end() || c < it->second - 1e-12 ||
          (std::abs(c - it->second) <= 1e-12 && a.edge < via[a.to].edge)) {
        cost[a.to] = c;
        via[a.to] = a;
        queue.push({c, a.to});
      }
    }
  }
  if (from == to || !via.count(to)) return std::optional<Chain>();
  return std::optional<Chain>(Unwind(via, from, to));
}

Result<std::optional<Chain>> ShortestPath(const ArcSource& arcs, NodeId from, NodeId to,
                                          int max_depth) {
  if (from == to) return std::optional<Chain>();
  // Breadth first; among equally short ways in, the strongest arc is kept.
  std::unordered_map<NodeId, Arc> via;
  std::unordered_map<NodeId, double> reach{{from, 1.0}};
  std::vector<NodeId> frontier{from};
  std::vector<Arc> scratch;
  for (int d = 1; d <= max_depth && !frontier.empty() && !via.count(to); ++d) {
    std::map<NodeId, std::pair<double, Arc>> best;
    for (NodeId v : frontier) {
      SINEW_RETURN_IF_ERROR(arcs.Out(v, &scratch));
      for (const Arc& a : scratch) {
        if (reach.count(a.to)) continue;
        double w = reach[v] * a.weight;
        auto it = best.find(a.to);
        if (it == best.end() || w > it->second.first ||
            (w == it->second.first && a.edge < it->second.second.edge))
          best[a.to] = {w, a};
      }
    }
    frontier.clear();
    for (const auto& [node, wa] : best) {
      reach[node] = wa.first;
      via[node] = wa.second;
      frontier.push_back(node);
    }
  }
  if (!via.count(to)) return std::optional<Chain>();
  return std::optional<Chain>(Unwind(via, from, to));
}

}  // namespace sinew::graph
