// Projections of a store snapshot into Boost.Graph, and the filter every walk
// applies (domain, valid time, confidence, status, modality, clearance). The
// analyses (chains, impact, critical, ...) run on these projections.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/store.h"

namespace sinew::graph {

// Which edges a question sees. Defaults: every domain, any time, accepted
// evidence only, observed and assessed links, everything up to TLP:RED.
struct EdgeFilter {
  std::set<int> domains;  // schema domain codes; empty = all
  int32_t as_of = 0;      // yyyymmdd; 0 = any time
  double min_confidence = 0;
  bool include_proposed = false;   // edges with only proposed evidence
  bool include_scenarios = false;  // projected and hypothetical links
  Marking clearance = Marking::kRed;

  // Whether an adjacency row passes. Rows whose evidence is mixed across the
  // clearance pass here; their qualifiers are re-derived by the caller.
  bool Admits(const AdjacencyEntry& e) const;
};

// Builds a filter from names (domains, "2014" style dates, "amber").
Result<EdgeFilter> MakeFilter(const Schema& schema, const std::vector<std::string>& domains,
                              const std::string& as_of, double min_confidence,
                              bool include_proposed, bool include_scenarios,
                              const std::string& clearance);

// A directed, weighted, compressed-sparse-row copy of the admitted edges.
// Vertex indices are dense; node ids map to them both ways.
class Projection {
 public:
  struct Arc {
    uint32_t target;
    EdgeId edge;
    uint16_t type;
    float weight, confidence;
  };

  // Scans the snapshot once. `types` restricts edge types (codes); empty = all.
  static Result<std::unique_ptr<Projection>> Build(const StoreView& view, const EdgeFilter& filter,
                                                   const std::set<uint16_t>& types = {});
  ~Projection();

  size_t VertexCount() const;
  size_t ArcCount() const;
  // -1 when the node has no admitted edge.
  int64_t IndexOf(NodeId id) const;
  NodeId NodeAt(uint32_t index) const;
  // Outgoing arcs of a vertex, in (target) order.
  std::vector<Arc> OutArcs(uint32_t index) const;

  struct Impl;

 private:
  Projection();
  std::unique_ptr<Impl> impl_;
};

}  // namespace sinew::graph
