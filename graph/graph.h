// The analyses behind sinew's relationship questions: dependency trees,
// ranked chains, strongest and shortest paths, impact, single points of
// failure and cut structure, and the substitution rule that weighs them
// (substitutes and asymmetry are answered in query/ from these pieces). Each runs over an
// ArcSource: either the store's adjacency index walked directly (cheap for one local question in a
// cold process) or a Boost.Graph projection built from one snapshot (for deep or global questions).
// Both give the same answers. Scoring rules: docs/scoring.md.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "store/store.h"

namespace sinew::graph {

// Which edges a question sees. Defaults: every domain, any time, accepted
// evidence only, observed and assessed links, everything up to TLP:RED.
struct EdgeFilter {
  std::set<int> domains;  // schema domain codes; empty = all
  // yyyymmdd: only links valid then (and figures of periods begun by then).
  // MakeFilter sets today unless told --as-of or --all-time; 0 = any time.
  int32_t as_of = 0;
  bool as_of_today = false;  // as_of is today's date by default, not asked for
  double min_confidence = 0;
  bool include_proposed = false;   // edges with only proposed evidence
  bool include_scenarios = false;  // projected and hypothetical links
  Marking clearance = Marking::kRed;
  // yyyymmdd; 0 = now. Only evidence recorded (ingested) by the end of that
  // day counts. Withdrawn claims are not kept, so this shows what the current
  // evidence had been recorded by then.
  int32_t known_at = 0;

  bool operator==(const EdgeFilter&) const = default;

  // ---- Clearance and record time, decided here only (clearance.cc) ----
  // Whether nothing is hidden: RED clearance and no --known-at.
  bool SeesEverything() const;
  // Whether a record marked `m`, recorded at `recorded_at`, is within the
  // asker's clearance and record time.
  bool Within(Marking m, const std::string& recorded_at) const;
  // Whether the asker may see that a source exists (its title, id, grade).
  bool SeesSource(const SourceRecord& s) const;
  // Whether the name and aliases a source's claim gives a node are shown.
  bool SeesClaim(const NodeClaim& c, const SourceRecord& s) const;
  // Whether one evidence record is visible to this filter (clearance, time
  // of recording, review status).
  bool Sees(const EvidenceRecord& e) const;

  // Whether an adjacency row passes. Rows whose evidence is mixed across the
  // clearance pass here; their qualifiers are re-derived by the caller.
  bool Admits(const AdjacencyEntry& e) const;
};

// An edge's qualifiers re-derived from the evidence `filter` may see (its
// clearance and record time), when they can differ from the stored ones;
// nullopt when they cannot (the stored qualifiers stand). An empty result
// derives from no evidence.
Result<std::optional<EdgeQualifiers>> SeenQualifiers(const StoreView& view, EdgeId edge,
                                                     Marking marking_hi, const EdgeFilter& filter);

// An edge record as the adjacency index stores its row (strength quantised
// the same way), for code that reads records rather than rows.
AdjacencyEntry RowOf(const Schema& schema, const EdgeRecord& e);

// A row as `filter` sees it: rows whose evidence straddles the clearance, or
// any row under --known-at, are re-derived from the evidence the asker may
// see before the filter applies. nullopt = not admitted. Every walk, card and
// export admits links through this one function.
std::optional<AdjacencyEntry> Admit(const StoreView& view, const AdjacencyEntry& row,
                                    const EdgeFilter& filter);

// The yyyymmdd day of an ISO date-time such as a record's recorded_at; 0 if none.
int32_t DayOf(const std::string& iso);

// A question's filters by name, as the command line and the API give them.
struct FilterSettings {
  std::vector<std::string> domains;
  std::string as_of;      // "2014", "2021-09"; empty = today, unless all_time
  bool all_time = false;  // every link that ever held, as if at once
  double min_confidence = 0;
  bool include_proposed = false, include_scenarios = false;
  std::string clearance, known_at;
  int32_t today = 0;  // yyyymmdd; the default as-of (0: any time)
};
// Builds a filter from names (domains, "2014" style dates, "amber"); a
// usage error names the setting that does not parse.
Result<EdgeFilter> MakeFilter(const Schema& schema, const FilterSettings& settings);

// Edge type codes by name; "all" (or empty) means every type.
Result<std::set<uint16_t>> EdgeTypes(const Schema& schema, const std::vector<std::string>& names);

// Set by a signal handler to stop a long analysis; analyses poll it.
using CancelFlag = std::atomic<bool>;

// One step along an edge, in the direction of walking. For a depends_on arc
// the weight is strength x (1 - effective replaceability), see SubstitutionOf.
struct Arc {
  NodeId from = 0, to = 0;
  EdgeId edge = 0;
  uint16_t type = 0;
  int domain = 0;
  float weight = 0, confidence = 0;
  int32_t valid_from = kDateMin, valid_to = kDateMax;  // the link's span, yyyymmdd
  // What the link is expected to weigh: weight x confidence (docs/scoring.md).
  // A link an E5 rumour backs counts for little however strong it is said to be.
  double Score() const { return static_cast<double>(weight) * confidence; }
};

// When a chain's links all held at once: the intersection of their spans.
struct Span {
  int32_t from = kDateMin, to = kDateMax;
  bool Empty() const { return from > to; }
  Span And(const Arc& a) const {
    return Span{std::max(from, a.valid_from), std::min(to, a.valid_to)};
  }
  // Whether this span holds all of `o` (a chain with it is no worse in time).
  bool Covers(const Span& o) const { return from <= o.from && to >= o.to; }
};

class ArcSource {
 public:
  virtual ~ArcSource() = default;
  // Arcs leaving `node` along their edges' direction (undirected both ways).
  virtual Status Out(NodeId node, std::vector<Arc>* arcs) const = 0;
  // Arcs arriving at `node`, reported as they run (from -> node).
  virtual Status In(NodeId node, std::vector<Arc>* arcs) const = 0;
  // Every node with at least one admitted arc, in id order.
  virtual Result<std::vector<NodeId>> Nodes() const = 0;
  // Out() and In() as a view, valid until `scratch` is next used or the
  // source changes: a source in memory answers from its own arrays, with no
  // copy (a warm impact at 10^6 links spent a quarter of its time copying
  // arc lists); others fill `scratch`.
  virtual Status OutView(NodeId node, std::vector<Arc>* scratch, std::span<const Arc>* view) const {
    SINEW_RETURN_IF_ERROR(Out(node, scratch));
    *view = *scratch;
    return Status::Ok();
  }
  virtual Status InView(NodeId node, std::vector<Arc>* scratch, std::span<const Arc>* view) const {
    SINEW_RETURN_IF_ERROR(In(node, scratch));
    *view = *scratch;
    return Status::Ok();
  }
  // OutView() and InView() of the arcs of one domain, in the same order: a
  // projection lends them from a copy of its arcs grouped by domain (a walk
  // of one domain read every arc of every node it passed, and that was most
  // of a warm impact at 10^6 links); others filter into `scratch`.
  virtual Status OutDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                               std::span<const Arc>* view) const;
  virtual Status InDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                              std::span<const Arc>* view) const;
};

// The store's adjacency index as arcs of `types` admitted by `filter`.
// Links of the `reversed` types run against their direction: a supplies
// link becomes the supplied party's dependence on its supplier, and counts
// as depends_on does (substitutes for the supplier weaken it). A type in
// both sets runs reversed only; undirected types are never reversed.
std::unique_ptr<ArcSource> StoreArcs(const StoreView& view, const EdgeFilter& filter,
                                     const std::set<uint16_t>& types,
                                     const std::set<uint16_t>& reversed = {});

// A compressed-sparse-row copy of the same arcs, built from one scan.
class Projection : public ArcSource {
 public:
  static Result<std::unique_ptr<Projection>> Build(const StoreView& view, const EdgeFilter& filter,
                                                   const std::set<uint16_t>& types = {},
                                                   const std::set<uint16_t>& reversed = {});
  // Build, and from the same scan the projection Build(view, filter,
  // {substitutes_for}) would give: a dependence walk and its substitutes
  // for the cost of one pass over the store.
  struct WithSubstitutes;
  static Result<WithSubstitutes> BuildWithSubstitutes(const StoreView& view,
                                                      const EdgeFilter& filter,
                                                      const std::set<uint16_t>& types,
                                                      const std::set<uint16_t>& reversed);
  ~Projection() override;
  Status Out(NodeId node, std::vector<Arc>* arcs) const override;
  Status In(NodeId node, std::vector<Arc>* arcs) const override;
  Result<std::vector<NodeId>> Nodes() const override;
  Status OutView(NodeId node, std::vector<Arc>* scratch, std::span<const Arc>* view) const override;
  Status InView(NodeId node, std::vector<Arc>* scratch, std::span<const Arc>* view) const override;
  Status OutDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                       std::span<const Arc>* view) const override;
  Status InDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                      std::span<const Arc>* view) const override;

  struct Impl;

 private:
  Projection();
  static Status Scan(const StoreView& view, const EdgeFilter& filter,
                     const std::set<uint16_t>& types, const std::set<uint16_t>& reversed,
                     Projection* walk, Projection* substitutes);
  void Index();
  std::unique_ptr<Impl> impl_;
};

struct Projection::WithSubstitutes {
  std::unique_ptr<Projection> walk, substitutes;
};

// The graph `base` induces on the nodes that can lie on a chain of at most
// `max_depth` hops from `from` to `to` (those within half the hops after
// `from` or before `to`): FindChains answers on it exactly as on `base`.
// Null when it would hold more than `budget` nodes; then project instead.
Result<std::unique_ptr<ArcSource>> ChainNeighbourhood(const ArcSource& base, NodeId from, NodeId to,
                                                      int max_depth, size_t budget);
// The graph `base` induces on what searches from both ends meet until they
// cover the shortest path whose links held together: ShortestPath answers on
// it exactly as on `base` (an empty graph when none is at most `max_depth`
// long). Null when it would hold more than `budget` nodes.
Result<std::unique_ptr<ArcSource>> ShortestNeighbourhood(const ArcSource& base, NodeId from,
                                                         NodeId to, int max_depth, size_t budget);

// `base` with every arc's span opened, as if each link held always: what a
// walk finds there and not on `base` is joined only by links that never
// held together. For saying so when a chain question comes back empty.
std::unique_ptr<ArcSource> Timeless(const ArcSource& base);

// StoreArcs(view, filter, types, reversed) and its substitutes_for arcs as
// StoreArcs lists them, each node's arcs read once, until either walk has
// read `budget` arc lists (a node's, one way); from then on both are the
// Projections of the same arcs, built from one scan, and lent as views. The
// same arcs either way: a question that stays near its start costs a few
// seeks, one that spreads one scan, not a seek per node (docs/benchmarks.md
// has the costs). Not for sharing between threads.
struct WalkAndSubstitutes {
  std::unique_ptr<ArcSource> walk, substitutes;
};
WalkAndSubstitutes StoreArcsOrProjections(const StoreView& view, const EdgeFilter& filter,
                                          const std::set<uint16_t>& types,
                                          const std::set<uint16_t>& reversed, size_t budget);

// ---- Analyses ----

struct TreeEdge {
  Arc arc;
  int depth = 1;
};
// What `root` depends on (arcs followed forward) or who depends on it
// (reverse), breadth first to `depth`; each node enters the tree once.
Result<std::vector<TreeEdge>> DependencyTree(const ArcSource& arcs, NodeId root, bool reverse,
                                             int depth, const CancelFlag* cancel = nullptr);

enum class ChainRule { kProduct, kMin };
const char* ChainRuleName(ChainRule r);

// A chain of links. Its score combines the links' scores (expected
// weights) by the chain rule; weight and confidence combine the links' own
// by the same rule, and `span` is when all its links held at once (a chain
// whose links never coexisted is no chain).
struct Chain {
  std::vector<NodeId> nodes;
  std::vector<Arc> arcs;
  double score = 0, weight = 0, confidence = 0;
  Span span;
};

struct ChainsResult {
  std::vector<Chain> chains;  // best first
  bool truncated = false;     // more chains exist than were enumerated
  size_t found = 0;           // chains enumerated before ranking
};

// All simple chains from `from` to `to` of at most `max_depth` hops whose
// links held at some moment together, ranked by score (then confidence,
// then fewer hops); at most `limit` returned. Enumeration stops after `cap`
// chains and says so.
Result<ChainsResult> FindChains(const ArcSource& arcs, NodeId from, NodeId to, int max_depth,
                                size_t limit, ChainRule rule, size_t cap = 100000,
                                const CancelFlag* cancel = nullptr);

// The chain maximising the product of weights (strongest) or with the
// fewest hops, ties broken by weight (shortest). nullopt when unreachable.
Result<std::optional<Chain>> StrongestPath(const ArcSource& arcs, NodeId from, NodeId to);
Result<std::optional<Chain>> ShortestPath(const ArcSource& arcs, NodeId from, NodeId to,
                                          int max_depth = 64);

// One node's exposure in one domain if `root` is cut.
struct Exposure {
  NodeId node = 0;
  int domain = 0;
  double score = 0;       // its strongest chain of links of that domain to the root
  double confidence = 0;  // that chain's (product of the links')
  bool cut_off = false;   // every way it is supplied in that domain runs into the root
  Span span;              // when that chain's links held together
  std::vector<Arc> via;   // that chain, from the exposed node to the root
};
// Who depends, directly or not, on `root` through the dependence arcs of
// `deps`, domain by domain (exposure travels along links of one domain), and
// how badly if `root` is cut. In domain d a node is cut off when every chain
// of its dependencies there (a provider, or a substitute for one) runs into
// the root before it reaches anything that does not depend on the root;
// otherwise it is degraded. Only links of at least `min_alternative`
// confidence count as a way round the root: a rumoured second supplier is
// no reassurance. Sorted by score, highest first; `via` is filled for the
// first `via_for`. Chains are time-consistent (their links held together);
// the cut-off judgement takes every admitted link as holding at once, which
// is exact under an as-of date.
Result<std::vector<Exposure>> ImpactOf(const ArcSource& deps, const ArcSource& substitutes,
                                       NodeId root, const CancelFlag* cancel = nullptr,
                                       size_t via_for = SIZE_MAX, double min_alternative = 0);

// A single point of failure of a consumer in one domain: cutting `node`
// cuts the consumer off there (as ImpactOf judges it).
struct SinglePoint {
  NodeId node = 0;
  int domain = 0;
  bool direct = false;   // one of the consumer's own providers
  std::vector<Arc> via;  // the consumer's strongest chain to it
};
// What SinglePointsOf searched and found, per domain the consumer depends in.
struct SinglePointSearch {
  int domain = 0;
  size_t providers = 0;  // direct providers (with their substitutes)
  size_t weak = 0;       // of which linked too weakly to count as an alternative
  size_t searched = 0;   // nodes tested: every node the consumer's dependencies reach
  size_t reachable = 0;  // nodes its dependencies reach in that domain
  bool complete = true;  // every reachable node was tested
  std::vector<SinglePoint> points;
};
// For `consumer`: in each domain it depends in, the nodes whose loss would
// cut it off (direct sole providers and every node all its supply runs
// through), substitutes taken into account and alternatives counted as
// ImpactOf counts them. At most `budget` nodes are tested per domain, nearest
// first; `complete` says whether that was all.
Result<std::vector<SinglePointSearch>> SinglePointsOf(const ArcSource& deps,
                                                      const ArcSource& substitutes, NodeId consumer,
                                                      size_t budget = 5000,
                                                      const CancelFlag* cancel = nullptr,
                                                      double min_alternative = 0);

struct CutStructure {
  std::vector<NodeId> articulation_points;         // removing one splits the graph
  std::vector<std::pair<NodeId, NodeId>> bridges;  // removing one splits the graph
};
// Articulation points and bridges of the whole graph, directions ignored.
Result<CutStructure> CutStructureOf(const ArcSource& arcs);

// How far substitutes_for arcs into `provider` make it replaceable: the
// noisy-OR of their weight x confidence. 0 when none.
double SubstitutionOf(const std::vector<Arc>& substitutes_in);

}  // namespace sinew::graph
