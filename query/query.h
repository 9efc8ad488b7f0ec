// The front of sinew's questions: resolves names, loads edges with the
// evidence behind them at the asker's clearance, and answers the named
// analyses, openCypher queries (through cypher/) and neighbourhoods to draw.
// Rendering answers is render.h; exports are export.h.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "store/store.h"

namespace sinew::query {

using graph::EdgeFilter;

struct EvidenceView {
  EvidenceRecord rec;
  std::string source_slug, source_title;
};

// An edge as a question sees it: qualifiers re-derived from the evidence the
// asker may see, with that evidence attached.
struct EdgeView {
  EdgeRecord rec;
  std::string src_slug, dst_slug, src_name, dst_name;
  std::string forward, reverse;  // "depends on" / "is depended on by"
  bool directed = true;
  std::vector<EvidenceView> evidence;
};

struct ObservationView {
  ObservationRecord rec;
  std::string subject_slug, object_slug;
  std::vector<EvidenceView> evidence;
  // Figures of another source for the same subject, object, metric, unit
  // and period whose values disagree (by more than 5%): "o12".
  std::vector<std::string> conflicts;
};
// Whether two figures disagree: the same subject, object, metric, unit and
// period from different sources, values (or ranges) more than 5% apart.
bool FiguresConflict(const ObservationRecord& a, const ObservationRecord& b);

struct NodeCard {
  NodeRecord node;
  std::vector<EvidenceView> evidence;  // about the node itself (definitions, facts)
  // Undirected links are listed under out, whichever way they are stored.
  std::vector<EdgeView> out, in;
  size_t out_total = 0, in_total = 0;  // links each way before a limit cut them
  std::vector<ObservationView> observations;
};

struct FindMatch {
  NodeRecord node;
  double score = 0;
};

// `view` as the asker of `filter` sees it: nodes carry only the names,
// aliases and properties of sources at or below clearance (recorded by
// --known-at), and the name index answers only for those. Every question and
// export reads through it.
std::unique_ptr<StoreView> SeenBy(std::unique_ptr<StoreView> view, const EdgeFilter& filter);

// Whether the asker may see `n` at all: some source at or below clearance
// (and recorded by --known-at) asserts it, or a visible link uses it; nodes
// only text extraction proposed stay hidden until reviewed.
bool NodeVisible(const StoreView& view, const NodeRecord& n, const EdgeFilter& filter);
// The store's counts as the asker of `filter` may see them (clearance and
// --known-at): what a store holding only that would count.
Result<StoreStats> StatsSeen(const StoreView& view, const EdgeFilter& filter);
// Whether a figure is within the question's time: its period began by
// --as-of (or today); every figure when the filter has no date.
bool FigureWithin(const ObservationRecord& o, const EdgeFilter& filter);
// Finds a node by slug, or by a name or alias that names exactly one node.
Result<NodeRecord> ResolveNode(const StoreView& view, const std::string& ref,
                               const EdgeFilter& filter);
// The evidence about one target that `filter` lets the asker see, with titles.
Result<std::vector<EvidenceView>> VisibleEvidence(const StoreView& view, TargetKind kind,
                                                  uint64_t target, const EdgeFilter& filter);
// Loads edge `id` as `filter` sees it; NotFound when it sees none of it.
Result<EdgeView> LoadEdge(const StoreView& view, EdgeId id, const EdgeFilter& filter);
// `limit` > 0 keeps the strongest `limit` links each way (a hub of a large
// store has thousands); 0 keeps them all, in type order.
Result<NodeCard> ShowNode(const StoreView& view, const std::string& ref, const EdgeFilter& filter,
                          size_t limit = 0);
// Nodes by name or alias: exact, prefix, word prefix, then near misses.
Result<std::vector<FindMatch>> FindNodes(const StoreView& view, const std::string& text,
                                         size_t limit, const EdgeFilter& filter);

// ---- The named analyses (docs/queries.md), each as the asker sees it ----

// Projections kept between the questions of one session, by filter and edge
// types. Valid only while the store they were built from is unchanged: the
// owner clears it when it reopens the store.
class ProjectionCache {
 public:
  // The projection of `types` under `filter`, built from `view` on first use.
  // Safe to call from several threads; a projection is immutable once built.
  Result<std::shared_ptr<const graph::Projection>> Get(const StoreView& view,
                                                       const EdgeFilter& filter,
                                                       const std::set<uint16_t>& types,
                                                       const std::set<uint16_t>& reversed = {});
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    built_.clear();
  }

 private:
  std::mutex mu_;
  static constexpr size_t kKept = 8;  // most recently used kept; each is O(edges)
  struct Built {
    EdgeFilter filter;
    std::set<uint16_t> types, reversed;
    std::shared_ptr<const graph::Projection> projection;
  };
  std::vector<Built> built_;  // most recently used first
};

// Below this a link's, a chain's or an exposure's confidence is marked as
// low: a D or E grade, or a chain of middling links.
constexpr double kLowConfidence = 0.3;
// A link whose effective replaceability is at most this is hard to replace
// (critical lists such direct providers beside the single points of failure).
constexpr double kHardToReplace = 0.3;
// A link's replaceability once its known substitutes are counted: what its
// weight (strength x (1 - that)) implies; the judged value when strength is 0.
inline double EffectiveReplaceability(const EdgeQualifiers& q) {
  return q.strength > 0 ? 1 - q.weight / q.strength : q.replaceability;
}

struct Question {
  EdgeFilter filter;
  graph::ChainRule rule = graph::ChainRule::kProduct;
  std::vector<std::string> via;  // edge types for chains and paths; empty = depends_on
  const graph::CancelFlag* cancel = nullptr;
  ProjectionCache* projections = nullptr;  // a session's; null builds afresh
};

struct TreeHop {
  EdgeView edge;
  int depth = 1;
  std::string from;  // the node the walk came from (either end of the edge)
};
struct DepsAnswer {
  NodeRecord root;
  bool reverse = false;
  std::vector<std::string> via;  // the edge types walked
  bool dependence = false;       // via is the default: depends_on, and supplies read backwards
  std::vector<TreeHop> edges;
  std::vector<std::string> hints;  // when empty: what other filters would find
  int32_t as_of = 0;               // yyyymmdd the links were valid at; 0 = any time (--all-time)
};
Result<DepsAnswer> Deps(const StoreView& view, const std::string& ref, bool reverse, int depth,
                        const Question& q);

struct ChainView {
  std::vector<std::string> nodes;  // slugs
  std::vector<EdgeView> edges;
  double score = 0, weight = 0, confidence = 0;
  graph::Span span;  // when all its links held together
};
struct ChainsAnswer {
  NodeRecord from, to;
  std::string rule;
  std::vector<std::string> via;
  bool dependence = false;  // via is the default: depends_on, and supplies read backwards
  std::vector<ChainView> chains;
  bool truncated = false;
  size_t found = 0;
  int max_depth = 0;
  std::vector<std::string> hints;  // when empty: what other filters would find
  int32_t as_of = 0;               // yyyymmdd the links were valid at; 0 = any time (--all-time)
};
Result<ChainsAnswer> Chains(const StoreView& view, const std::string& from, const std::string& to,
                            int max_depth, size_t limit, const Question& q, size_t cap = 100000);
// mode: "strongest" or "shortest"; the answer holds at most one chain.
Result<ChainsAnswer> PathBetween(const StoreView& view, const std::string& from,
                                 const std::string& to, const std::string& mode, const Question& q);

struct ExposureView {
  NodeRecord node;
  std::string domain;
  double score = 0, confidence = 0;
  bool cut_off = false;
  graph::Span span;
  std::vector<EdgeView> via;
};
struct ImpactAnswer {
  NodeRecord root;
  std::vector<ExposureView> exposed;  // the most exposed, up to the limit
  size_t total = 0;                   // every (node, domain) exposed
  size_t cut_off = 0;                 // of which cut off
  std::vector<std::string> hints;     // when empty: what other filters would find
  int32_t as_of = 0;                  // yyyymmdd the links were valid at; 0 = any time (--all-time)
};
// Everyone exposed is found; the first `limit` (most exposed first; 0 = all)
// are loaded with their routes and evidence.
Result<ImpactAnswer> Impact(const StoreView& view, const std::string& ref, const Question& q,
                            size_t limit = 0);

struct SinglePointView {
  NodeRecord node;
  bool direct = false;        // one of the consumer's own providers there
  std::vector<EdgeView> via;  // the consumer's strongest chain to it
};
// What was searched in one domain the consumer depends in, and found.
struct CriticalDomain {
  std::string domain;
  size_t providers = 0, weak = 0, reachable = 0, searched = 0;
  bool complete = true;
  std::vector<SinglePointView> points;
  // Direct providers there that are not single points of failure only
  // because others provide other things: their links are judged hard to
  // replace (effective replaceability at most 0.3, substitutes counted) and
  // nothing stands in for them. "Difficult to replace and too powerful to
  // lose": an analyst reads these beside the points.
  std::vector<EdgeView> hard_to_replace;
};
struct CriticalAnswer {
  std::optional<NodeRecord> consumer;
  std::vector<CriticalDomain> domains;  // one per domain the consumer depends in
  size_t other_links = 0;               // its links of other types (when it depends on nothing)
  std::vector<std::string> hints;
  std::vector<NodeRecord> articulation_points;
  std::vector<std::pair<NodeRecord, NodeRecord>> bridges;
  int32_t as_of = 0;  // yyyymmdd the links were valid at; 0 = any time (--all-time)
};
// With a consumer: per domain it depends in, the nodes whose loss would cut
// it off there (as impact judges it), and what was searched; without: the
// whole graph's articulation points and bridges.
Result<CriticalAnswer> Critical(const StoreView& view, const std::string& consumer,
                                const Question& q);

struct SubstituteView {
  NodeRecord node;
  std::string why;  // "substitutes for russian-pipeline-gas", "also supplies china"
  std::vector<EdgeView> edges;
  // Its best link's expected strength (strength x confidence): how far it is
  // shown to stand in.
  double score = 0;
};
struct SubstitutesAnswer {
  NodeRecord provider;
  std::optional<NodeRecord> consumer;
  std::vector<SubstituteView> substitutes;
  std::vector<std::string> hints;  // when empty: what other filters would find
  int32_t as_of = 0;               // yyyymmdd the links were valid at; 0 = any time (--all-time)
};
Result<SubstitutesAnswer> Substitutes(const StoreView& view, const std::string& provider,
                                      const std::string& consumer, const Question& q);

struct DomainBalance {
  std::string domain;
  double a_on_b = 0, b_on_a = 0, index = 0;  // index in [-1, 1]: > 0 means A leans on B
  std::vector<EdgeView> a_edges, b_edges;
};
struct AsymmetryAnswer {
  NodeRecord a, b;
  std::vector<DomainBalance> domains;
  std::vector<ObservationView> observations;
  std::vector<std::string> hints;  // when empty: what other filters would find
  int32_t as_of = 0;               // yyyymmdd the links were valid at; 0 = any time (--all-time)
};
Result<AsymmetryAnswer> Asymmetry(const StoreView& view, const std::string& a, const std::string& b,
                                  const Question& q);

// Everything the store holds that argues with itself: links whose accepted
// evidence runs both ways (best evidence each side), and figures that
// disagree.
struct ConflictsAnswer {
  std::vector<EdgeView> contested;
  std::vector<std::pair<ObservationView, ObservationView>> figures;
};
Result<ConflictsAnswer> Conflicts(const StoreView& view, const Question& q);
// Fills each shown figure's `conflicts` from the figures of its subject the
// asker may see.
Status FlagConflictingFigures(const StoreView& view, const EdgeFilter& filter,
                              std::vector<ObservationView>* shown);

// Every link between two nodes (any type, either way), or one edge ("e12").
Result<std::vector<EdgeView>> EvidenceBetween(const StoreView& view, const std::string& a,
                                              const std::string& b, const Question& q);

// What the store learned and unlearned in record time between the end of
// day `from` and the end of day `to` (--known-at D1 D2): claims added,
// withdrawn and changed by revisions, list snapshots and decisions, as the
// asker's clearance lets them be seen (changes.cc).
struct ChangeRow {
  std::string change;  // added | withdrawn | changed
  std::string at;      // when (record time)
  std::string source, key, target;
  std::vector<std::string> differences;  // "field: before -> after", for changed
};
struct ChangesAnswer {
  std::string from, to;
  std::vector<ChangeRow> rows;
  int added = 0, withdrawn = 0, changed = 0;
};
Result<ChangesAnswer> Changes(const Store& store, const EdgeFilter& filter, const std::string& from,
                              const std::string& to);

struct TimelineItem {
  std::string date, kind, id, text, source, locator;
  int32_t sort_key = 0;
};
struct TimelineAnswer {
  std::vector<std::string> ids;
  std::vector<TimelineItem> items;
  int undated = 0;  // evidence with no date, left out
};
Result<TimelineAnswer> Timeline(const StoreView& view, const std::string& a, const std::string& b,
                                const Question& q);

// The scoring rules in one paragraph, printed under every table of results.
// How scores are made and which links count, for the foot of an answer:
// the date links had to be valid at (`as_of`, yyyymmdd; 0 = any time).
std::string ScoringNote(graph::ChainRule rule, int32_t as_of);

// ---- openCypher (docs/cypher.md) ----

// A Cypher answer: column names, and each value written in Cypher's literal
// notation as the openCypher TCK prints it: 1, 2.5, 'text', [1, 2], {k: 1},
// nodes (:Label {k: 1}), relationships [:TYPE {k: 1}], paths <(:A)-[:T]->(:B)>.
struct CypherTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<nlohmann::json>> json;  // the same values for --format json
};

// What a query changed in a scratch graph.
struct GraphCounts {
  size_t nodes = 0, relationships = 0, labels = 0, properties = 0;
};

// An open-schema property graph in memory, for sketching with CREATE and for
// the TCK. Errors come back as Status::Invalid whose message starts with the
// openCypher error class and code ("SyntaxError (UndefinedVariable): ..."),
// with the line and column of the query where it applies.
class ScratchGraph {
 public:
  ScratchGraph();
  ~ScratchGraph();
  // `params` maps names to Cypher literal text ("[1, 2]", "'a'").
  Result<CypherTable> Run(const std::string& text,
                          const std::map<std::string, std::string>& params = {});
  GraphCounts Counts() const;
  // Caps the work of each later query (rows made, relationships tried).
  void LimitWork(uint64_t steps);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs a Cypher read query on the store as the asker of `q` sees it (its
// filters and clearance; `view` should come from SeenBy). Node labels are
// node types, relationship types edge types; properties include each link's
// derived qualifiers and evidence counts. The analyses are procedures:
// CALL sinew.chains(from, to, {maxDepth, limit}), sinew.path(from, to,
// {mode}), sinew.impact(node, {limit}), sinew.deps(node, {depth, reverse}).
// Cells are compact ("(russia:state)"); `json` holds the full values.
// `work` caps the steps a query may take (0: the default).
Result<CypherTable> CypherOnStore(const StoreView& view, const std::string& text, const Question& q,
                                  const std::map<std::string, std::string>& params = {},
                                  uint64_t work = 0);
// ---- A neighbourhood to draw (sinew serve) ----

struct NeighbourLink {
  EdgeView edge;           // qualifiers as the asker sees them; evidence left out
  int evidence = 0;        // records the asker may see
  int depth = 1;           // steps from the root
  bool contested = false;  // accepted evidence says both that it holds and that it does not
};
struct Neighbourhood {
  NodeRecord root;
  int depth = 1;
  std::vector<NodeRecord> nodes;  // the ends of the links on this page, root first in id order
  std::vector<NeighbourLink> edges;
  size_t total = 0, offset = 0, limit = 0;  // links found; this page
};
// The links within `depth` (1-3) steps of `ref`, either way, any type the
// filter admits: nearest first, then strongest; `limit` (at most 2000) from
// `offset`. A hub never sends more than a page.
Result<Neighbourhood> NeighbourhoodOf(const StoreView& view, const std::string& ref, int depth,
                                      size_t limit, size_t offset, const Question& q);

// Whether a shell line starts like a Cypher query (MATCH, RETURN, CALL, ...).
bool LooksLikeCypher(const std::string& line);

}  // namespace sinew::query
