// Private to graph/: the strongest time-consistent chains from one node to
// every node it reaches, by label setting. A chain's cost is the sum of
// -log(score) of its links (so the cheapest chain has the largest product of
// expected weights), and it carries the span in which all its links held; a
// node keeps every chain no other chain there beats on both cost and span
// (a cheaper chain that held for less time may be the only one the next link
// can extend). With every span the same, as under --as-of, this is Dijkstra.
#pragma once

#include <optional>
#include <vector>

#include "graph/graph.h"
#include "graph/node_index.h"

namespace sinew::graph::internal {

struct ChainLabel {
  NodeId node = 0;
  double cost = 0;   // sum of -log(score) of the links
  double score = 1;  // product of the links' scores
  double weight = 1, confidence = 1;
  Span span;
  int parent = -1;  // the label this one extends
  int hops = 0;
  Arc via;               // the link from the parent's node (unset for the start)
  bool dead = false;     // beaten by another label before it was settled
  bool settled = false;  // taken from the queue and extended
};

struct BestChains {
  std::vector<ChainLabel> labels;
  // Every node reached, numbered as first reached (the start is 0), and per
  // number its best label (highest score, then fewest hops, then smallest
  // last edge id), or -1 where no label was settled.
  NodeIndex nodes;
  std::vector<int> best;
  // The best label at `node`, or -1.
  int BestAt(NodeId node) const {
    uint32_t n = nodes.Find(node);
    return n == NodeIndex::kNone ? -1 : best[n];
  }
  // The arcs of a label's chain, the last taken first: for a backward
  // search that is the chain in its links' own direction, from the label's
  // node to the start; reverse it for a forward search.
  std::vector<Arc> ArcsTo(int label) const;
};

// Walks `arcs` out of `start` (forward) or into it (backward), only along
// arcs of `domain` (-1: every domain). Stops early once `target`'s first
// label is settled (it is then the best). At most `max_labels` labels per
// node (the cheapest kept), a bound against pathological spans.
Result<BestChains> SearchBestChains(const ArcSource& arcs, NodeId start, bool forward, int domain,
                                    std::optional<NodeId> target, const CancelFlag* cancel,
                                    size_t max_labels = 64);

}  // namespace sinew::graph::internal
