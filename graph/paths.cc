// Dependency trees, ranked chains, strongest and shortest paths.
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "graph/best_chains.h"
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

// A chain from its arcs in walking order, scored by the product rule.
Chain ChainOf(NodeId from, const std::vector<Arc>& arcs) {
  Chain chain;
  chain.arcs = arcs;
  chain.nodes.push_back(from);
  chain.score = chain.weight = chain.confidence = 1;
  for (const Arc& a : chain.arcs) {
    chain.nodes.push_back(a.to);
    chain.score *= a.Score();
    chain.weight *= a.weight;
    chain.confidence *= a.confidence;
    chain.span = chain.span.And(a);
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
      std::span<const Arc> view;
      SINEW_RETURN_IF_ERROR(reverse ? arcs.InView(v, &scratch, &view)
                                    : arcs.OutView(v, &scratch, &view));
      for (const Arc& a : view) {
        NodeId next = reverse ? a.from : a.to;
        if (seen.count(next)) continue;
        auto it = best.find(next);
        if (it == best.end() || a.Score() > it->second.Score() ||
            (a.Score() == it->second.Score() && a.edge < it->second.edge))
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
      return a.arc.Score() != b.arc.Score() ? a.arc.Score() > b.arc.Score()
                                            : a.arc.edge < b.arc.edge;
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
      std::span<const Arc> view;
      SINEW_RETURN_IF_ERROR(arcs.InView(v, &scratch, &view));
      for (const Arc& a : view)
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
  std::vector<Span> spans{Span{}};  // spans[k]: when the first k links held together
  stack.push_back(Frame{from, {}, 0});
  SINEW_RETURN_IF_ERROR(arcs.Out(from, &stack.back().arcs));
  size_t steps = 0;
  while (!stack.empty()) {
    if ((++steps & 1023) == 0 && Cancelled(cancel)) return Status::Cancelled();
    Frame& f = stack.back();
    if (f.next == f.arcs.size()) {
      on_path.erase(f.node);
      stack.pop_back();
      if (!path.empty()) {
        path.pop_back();
        spans.pop_back();
      }
      continue;
    }
    const Arc a = f.arcs[f.next++];
    if (on_path.count(a.to)) continue;
    Span span = spans.back().And(a);
    if (span.Empty()) continue;  // this link and the chain so far never held together
    auto dist = to_target.find(a.to);
    int used = static_cast<int>(path.size()) + 1;
    if (dist == to_target.end() || used + dist->second > max_depth) continue;
    if (a.to == to) {
      Chain c;
      c.nodes.push_back(from);
      double score = 1, weight = 1, conf = 1;
      for (const Arc& p : path) {
        c.nodes.push_back(p.to);
        score = Combine(rule, score, p.Score());
        weight = Combine(rule, weight, p.weight);
        conf = Combine(rule, conf, p.confidence);
      }
      c.arcs = path;
      c.arcs.push_back(a);
      c.nodes.push_back(to);
      c.score = Combine(rule, score, a.Score());
      c.weight = Combine(rule, weight, a.weight);
      c.confidence = Combine(rule, conf, a.confidence);
      c.span = span;
      result.chains.push_back(std::move(c));
      if (++result.found >= cap) {
        result.truncated = true;
        break;
      }
      continue;
    }
    path.push_back(a);
    spans.push_back(span);
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
  // Label setting on -log(score): the largest product of expected weights
  // among chains whose links held together.
  if (from == to) return std::optional<Chain>();
  Result<internal::BestChains> best =
      internal::SearchBestChains(arcs, from, /*forward=*/true, -1, to, nullptr);
  if (!best.ok()) return best.status();
  int label = best->BestAt(to);
  if (label < 0) return std::optional<Chain>();
  std::vector<Arc> chain = best->ArcsTo(label);
  std::reverse(chain.begin(), chain.end());
  return std::optional<Chain>(ChainOf(from, chain));
}

Result<std::optional<Chain>> ShortestPath(const ArcSource& arcs, NodeId from, NodeId to,
                                          int max_depth) {
  if (from == to) return std::optional<Chain>();
  // Breadth first over labels: each a way to reach a node in so many hops,
  // with its score and the span in which its links held together. A label
  // is dropped when another at its node has no more hops, no lower score and
  // a span that holds its own; among the fewest hops, the strongest wins.
  struct Label {
    NodeId node;
    double score;
    Span span;
    int parent;
    Arc via;
  };
  std::vector<Label> labels{{from, 1.0, Span{}, -1, Arc{}}};
  // The labels at each node, of every level so far, by node number.
  internal::NodeIndex nodes;
  nodes.Add(from);
  std::vector<std::vector<int>> at{{0}};
  std::vector<char> dropped{0};  // by label: beaten on its own level
  std::vector<int> frontier{0};
  std::vector<Arc> scratch;
  for (int d = 1; d <= max_depth && !frontier.empty(); ++d) {
    std::vector<int> next;
    const int level = static_cast<int>(labels.size());  // this level's labels come after
    for (int id : frontier) {
      const Label here = labels[id];
      std::span<const Arc> out;
      SINEW_RETURN_IF_ERROR(arcs.OutView(here.node, &scratch, &out));
      for (const Arc& a : out) {
        if (a.to == from) continue;
        Span span = here.span.And(a);
        if (span.Empty()) continue;
        double score = here.score * a.Score();
        auto [m, fresh] = nodes.Add(a.to);
        if (fresh) at.emplace_back();
        bool beaten = false;
        for (int other : at[m]) {
          const Label& o = labels[other];
          if (o.span.Covers(span) &&
              (o.score > score || (o.score == score && (o.parent < 0 || o.via.edge <= a.edge))))
            beaten = true;
        }
        if (beaten) continue;
        // Labels of this level it beats go (earlier levels keep theirs:
        // fewer hops). They stay among the node's labels, and still beat
        // what they beat. (Looking for them through the whole level was
        // quadratic in its size.)
        for (int other : at[m])
          if (other >= level && span.Covers(labels[other].span) && labels[other].score <= score)
            dropped[other] = 1;
        labels.push_back({a.to, score, span, id, a});
        dropped.push_back(0);
        at[m].push_back(static_cast<int>(labels.size()) - 1);
        next.push_back(static_cast<int>(labels.size()) - 1);
      }
    }
    std::erase_if(next, [&](int id) { return dropped[id] != 0; });
    // The best way to `to` at this level, if any.
    int found = -1;
    for (int id : next)
      if (labels[id].node == to && (found < 0 || labels[id].score > labels[found].score ||
                                    (labels[id].score == labels[found].score &&
                                     labels[id].via.edge < labels[found].via.edge)))
        found = id;
    if (found >= 0) {
      std::vector<Arc> chain;
      for (int at_id = found; labels[at_id].parent >= 0; at_id = labels[at_id].parent)
        chain.push_back(labels[at_id].via);
      std::reverse(chain.begin(), chain.end());
      return std::optional<Chain>(ChainOf(from, chain));
    }
    // Labels at `to` are not extended further.
    frontier.clear();
    for (int id : next)
      if (labels[id].node != to) frontier.push_back(id);
  }
  return std::optional<Chain>();
}

}  // namespace sinew::graph
