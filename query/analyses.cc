// The named analyses as the asker sees them: resolve names, choose how to
// walk (the store's adjacency for short local questions, a projection for
// deep or global ones), run the graph algorithm, then attach the evidence of
// every hop at the asker's clearance.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "query/dependence.h"
#include "query/hints.h"
#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using graph::Arc;
using graph::ArcSource;

}  // namespace

Result<WalkTypes> WalkOf(const Schema& schema, const std::vector<std::string>& via) {
  WalkTypes w;
  if (!via.empty()) {
    Result<std::set<uint16_t>> t = graph::EdgeTypes(schema, via);
    if (!t.ok()) return t.status();
    w.forward = std::move(t).value();
    return w;
  }
  Result<std::set<uint16_t>> deps = graph::EdgeTypes(schema, {"depends_on"});
  if (!deps.ok()) return deps.status();
  w.forward = std::move(deps).value();
  if (const EdgeTypeInfo* t = schema.FindEdgeType("supplies"); t && t->directed)
    w.reversed.insert(t->code);
  w.dependence = true;
  return w;
}

std::vector<std::string> TypeNames(const Schema& schema, const WalkTypes& walk) {
  if (walk.forward.empty()) return {"all"};
  std::vector<std::string> out;
  for (const auto* codes : {&walk.forward, &walk.reversed})
    for (uint16_t c : *codes)
      if (const EdgeTypeInfo* t = schema.EdgeTypeByCode(c)) out.push_back(t->name);
  return out;
}

namespace {

Result<std::vector<EdgeView>> LoadArcs(const StoreView& view, const std::vector<Arc>& arcs,
                                       const EdgeFilter& filter) {
  std::vector<EdgeView> out;
  for (const Arc& a : arcs) {
    Result<EdgeView> e = LoadEdge(view, a.edge, filter);
    if (!e.ok()) return e.status();
    // The arc's weight includes the substitution rule; show what was scored.
    e->rec.q.weight = a.weight;
    out.push_back(std::move(e).value());
  }
  return out;
}

Result<ChainView> ViewOf(const StoreView& view, const graph::Chain& c, const EdgeFilter& filter) {
  ChainView out;
  for (NodeId id : c.nodes) {
    Result<NodeRecord> n = view.NodeById(id);
    if (!n.ok()) return n.status();
    out.nodes.push_back(n->slug);
  }
  Result<std::vector<EdgeView>> edges = LoadArcs(view, c.arcs, filter);
  if (!edges.ok()) return edges.status();
  out.edges = std::move(edges).value();
  out.score = c.score;
  out.weight = c.weight;
  out.confidence = c.confidence;
  out.span = c.span;
  return out;
}

Result<std::vector<NodeRecord>> Nodes(const StoreView& view, const std::vector<NodeId>& ids) {
  std::vector<NodeRecord> out;
  for (NodeId id : ids) {
    Result<NodeRecord> n = view.NodeById(id);
    if (!n.ok()) return n.status();
    out.push_back(std::move(n).value());
  }
  return out;
}

// The projection of `types` as `q` sees it: the session's, or built now.
Result<std::shared_ptr<const graph::Projection>> ProjectionFor(const StoreView& view,
                                                               const Question& q,
                                                               const WalkTypes& walk) {
  if (q.projections) return q.projections->Get(view, q.filter, walk.forward, walk.reversed);
  Result<std::unique_ptr<graph::Projection>> p =
      graph::Projection::Build(view, q.filter, walk.forward, walk.reversed);
  if (!p.ok()) return p.status();
  return std::shared_ptr<const graph::Projection>(std::move(p).value());
}

// `q` with links of any date (for saying what a date or time hides).
Question AnyTime(const Question& q) {
  Question any = q;
  any.filter.as_of = 0;
  any.filter.as_of_today = false;
  any.projections = nullptr;  // a projection is keyed by the filter: not the session's
  return any;
}

// The hint for chains that exist only if links that never coexisted did.
std::string NeverTogether(size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s") +
         " whose links never all held at the same time (each hop's dates: sinew evidence A B)";
}

// Both ends of a chain question, and the arcs of the edge types it follows.
struct Endpoints {
  NodeRecord from, to;
  WalkTypes types;
  std::shared_ptr<const graph::ArcSource> arcs;
};

// How many nodes a cold question may gather around its two ends before it
// projects the whole store instead.
constexpr size_t kNearBudget = 20000;
// ShortestPath's own bound on hops.
constexpr int kShortestMaxHops = 64;
// How many arc lists (a node's, one way) a cold impact or critical question
// reads from the store before it projects the whole store instead: at 10^6
// links a list costs a seek of ~10 us and the projection ~0.4 s, so a
// question that spreads wastes at most ~0.05 s before it switches
// (docs/benchmarks.md).
constexpr size_t kWalkBeforeProjecting = 4096;

// A question between two nodes walks the few nodes `near` gathers around its
// two ends: from the session's cached projection, or in a fresh process from
// the store (projecting 10^6 edges costs ~0.2 s, more than the whole
// question); the whole projection when they are too many or `near` is null.
using Near = std::function<Result<std::unique_ptr<graph::ArcSource>>(const graph::ArcSource& walk,
                                                                     NodeId from, NodeId to)>;

Result<Endpoints> PrepareEnds(const StoreView& view, const std::string& from, const std::string& to,
                              const Question& q, const Near& near) {
  Endpoints e;
  Result<NodeRecord> a = ResolveNode(view, from, q.filter);
  if (!a.ok()) return a.status();
  Result<NodeRecord> b = ResolveNode(view, to, q.filter);
  if (!b.ok()) return b.status();
  Result<WalkTypes> types = WalkOf(view.schema(), q.via);
  if (!types.ok()) return types.status();
  e.from = std::move(a).value();
  e.to = std::move(b).value();
  e.types = std::move(types).value();
  // In a session the neighbourhood is gathered from the cached projection
  // (a search from both ends touches far fewer nodes than one from the
  // start); in a fresh process, from the store.
  std::shared_ptr<const graph::Projection> projection;
  if (q.projections) {
    Result<std::shared_ptr<const graph::Projection>> p = ProjectionFor(view, q, e.types);
    if (!p.ok()) return p.status();
    projection = std::move(p).value();
  }
  if (near) {
    std::unique_ptr<graph::ArcSource> walk;
    if (!projection) walk = graph::StoreArcs(view, q.filter, e.types.forward, e.types.reversed);
    const graph::ArcSource& base =
        projection ? static_cast<const graph::ArcSource&>(*projection) : *walk;
    Result<std::unique_ptr<graph::ArcSource>> around = near(base, e.from.id, e.to.id);
    if (!around.ok()) return around.status();
    if (around.value()) {
      e.arcs = std::move(around).value();
      return e;
    }
  }
  // Chains and paths are deep questions: build the projection once.
  if (!projection) {
    Result<std::shared_ptr<const graph::Projection>> p = ProjectionFor(view, q, e.types);
    if (!p.ok()) return p.status();
    projection = std::move(p).value();
  }
  e.arcs = std::move(projection);
  return e;
}

}  // namespace

Result<std::shared_ptr<const graph::Projection>> ProjectionCache::Get(
    const StoreView& view, const EdgeFilter& filter, const std::set<uint16_t>& types,
    const std::set<uint16_t>& reversed) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < built_.size(); ++i) {
    if (!(built_[i].filter == filter) || built_[i].types != types || built_[i].reversed != reversed)
      continue;
    std::rotate(built_.begin(), built_.begin() + static_cast<long>(i),
                built_.begin() + static_cast<long>(i) + 1);  // most recent first
    return built_.front().projection;
  }
  Result<std::unique_ptr<graph::Projection>> p =
      graph::Projection::Build(view, filter, types, reversed);
  if (!p.ok()) return p.status();
  std::shared_ptr<const graph::Projection> shared(std::move(p).value());
  built_.insert(built_.begin(), Built{filter, types, reversed, shared});
  if (built_.size() > kKept) built_.pop_back();
  return shared;
}

std::string ScoringNote(graph::ChainRule rule, int32_t as_of) {
  std::string combine = rule == graph::ChainRule::kProduct ? "the product" : "the smallest";
  std::string when =
      as_of ? "Links valid on " + DayText(as_of) +
                  " (--as-of DATE for another day, --all-time for every link that ever held)."
            : "Links of any date (--all-time); a chain's links held together at some time.";
  return when + " score = weight x confidence, a link's expected weight: weight = strength x " +
         "(1 - replaceability, raised by known substitutes), confidence from its evidence's " +
         "grades. A chain scores " + combine +
         " of its links' scores (rule: " + graph::ChainRuleName(rule) + "). Confidence under " +
         Fixed(kLowConfidence, 1) + " is marked low. docs/scoring.md";
}

Result<DepsAnswer> Deps(const StoreView& view, const std::string& ref, bool reverse, int depth,
                        const Question& q) {
  if (depth < 1 || depth > 32) return Status::Usage("--depth must be 1 to 32");
  Result<NodeRecord> root = ResolveNode(view, ref, q.filter);
  if (!root.ok()) return root.status();
  Result<WalkTypes> types = WalkOf(view.schema(), q.via);
  if (!types.ok()) return types.status();
  // A tree a few levels deep is a local question: walk the store directly.
  auto arcs = graph::StoreArcs(view, q.filter, types->forward, types->reversed);
  Result<std::vector<graph::TreeEdge>> tree =
      graph::DependencyTree(*arcs, root->id, reverse, depth, q.cancel);
  if (!tree.ok()) return tree.status();
  DepsAnswer a;
  a.as_of = q.filter.as_of;
  a.root = std::move(root).value();
  a.reverse = reverse;
  a.via = TypeNames(view.schema(), types.value());
  a.dependence = types->dependence;
  if (tree->empty())
    a.hints = WhatFiltersHide(q, "link", "links", [&](const Question& other) -> Result<size_t> {
      Result<WalkTypes> t = WalkOf(view.schema(), other.via);
      if (!t.ok()) return t.status();
      auto walk = graph::StoreArcs(view, other.filter, t->forward, t->reversed);
      Result<std::vector<graph::TreeEdge>> r =
          graph::DependencyTree(*walk, a.root.id, reverse, depth, other.cancel);
      if (!r.ok()) return r.status();
      return r->size();
    });
  for (const auto& t : tree.value()) {
    Result<std::vector<EdgeView>> e = LoadArcs(view, {t.arc}, q.filter);
    if (!e.ok()) return e.status();
    // In arcs run towards the walk (from -> node): a reverse tree came from the head.
    Result<NodeRecord> from = view.NodeById(reverse ? t.arc.to : t.arc.from);
    if (!from.ok()) return from.status();
    a.edges.push_back(TreeHop{std::move(e->front()), t.depth, from->slug});
  }
  return a;
}

Result<ChainsAnswer> Chains(const StoreView& view, const std::string& from, const std::string& to,
                            int max_depth, size_t limit, const Question& q, size_t cap) {
  if (cap < 1) return Status::Usage("--cap must be 1 or more");
  if (max_depth < 1 || max_depth > 12) return Status::Usage("--max-depth must be 1 to 12");
  if (limit < 1) return Status::Usage("--limit must be 1 or more");
  Result<Endpoints> ends =
      PrepareEnds(view, from, to, q, [&](const graph::ArcSource& walk, NodeId a, NodeId b) {
        return graph::ChainNeighbourhood(walk, a, b, max_depth, kNearBudget);
      });
  if (!ends.ok()) return ends.status();
  Result<graph::ChainsResult> r = graph::FindChains(*ends->arcs, ends->from.id, ends->to.id,
                                                    max_depth, limit, q.rule, cap, q.cancel);
  if (!r.ok()) return r.status();
  ChainsAnswer out;
  out.as_of = q.filter.as_of;
  out.from = ends->from;
  out.to = ends->to;
  out.rule = graph::ChainRuleName(q.rule);
  out.via = TypeNames(view.schema(), ends->types);
  out.dependence = ends->types.dependence;
  out.truncated = r->truncated;
  out.found = r->found;
  out.max_depth = max_depth;
  if (r->chains.empty())
    out.hints = WhatFiltersHide(q, "chain", "chains", [&](const Question& other) -> Result<size_t> {
      Result<Endpoints> e =
          PrepareEnds(view, from, to, other, [&](const graph::ArcSource& walk, NodeId a, NodeId b) {
            return graph::ChainNeighbourhood(walk, a, b, max_depth, kNearBudget);
          });
      if (!e.ok()) return e.status();
      Result<graph::ChainsResult> c = graph::FindChains(*e->arcs, e->from.id, e->to.id, max_depth,
                                                        1, other.rule, cap, other.cancel);
      if (!c.ok()) return c.status();
      return c->found;
    });
  if (r->chains.empty()) {
    // Links of any date that join the two but never held at the same time.
    Question any_time = AnyTime(q);
    Result<Endpoints> e = PrepareEnds(
        view, from, to, any_time, [&](const graph::ArcSource& walk, NodeId a, NodeId b) {
          return graph::ChainNeighbourhood(walk, a, b, max_depth, kNearBudget);
        });
    if (!e.ok()) return e.status();
    Result<graph::ChainsResult> apart = graph::FindChains(
        *graph::Timeless(*e->arcs), e->from.id, e->to.id, max_depth, 1, q.rule, cap, q.cancel);
    if (!apart.ok()) return apart.status();
    if (apart->found > 0) out.hints.insert(out.hints.begin(), NeverTogether(apart->found, "chain"));
  }
  for (const auto& c : r->chains) {
    Result<ChainView> cv = ViewOf(view, c, q.filter);
    if (!cv.ok()) return cv.status();
    out.chains.push_back(std::move(cv).value());
  }
  return out;
}

Result<ChainsAnswer> PathBetween(const StoreView& view, const std::string& from,
                                 const std::string& to, const std::string& mode,
                                 const Question& q) {
  if (mode != "strongest" && mode != "shortest")
    return Status::Usage("--mode must be strongest or shortest");
  Near near;  // the strongest path may wander anywhere: only the shortest has a neighbourhood
  if (mode == "shortest")
    near = [](const graph::ArcSource& walk, NodeId a, NodeId b) {
      return graph::ShortestNeighbourhood(walk, a, b, kShortestMaxHops, kNearBudget);
    };
  Result<Endpoints> ends = PrepareEnds(view, from, to, q, near);
  if (!ends.ok()) return ends.status();
  const graph::ArcSource& p = *ends->arcs;
  Result<std::optional<graph::Chain>> c = mode == "strongest"
                                              ? graph::StrongestPath(p, ends->from.id, ends->to.id)
                                              : graph::ShortestPath(p, ends->from.id, ends->to.id);
  if (!c.ok()) return c.status();
  ChainsAnswer out;
  out.as_of = q.filter.as_of;
  out.from = ends->from;
  out.to = ends->to;
  out.rule = mode == "strongest" ? "strongest (product)" : "shortest (fewest hops)";
  out.via = TypeNames(view.schema(), ends->types);
  out.dependence = ends->types.dependence;
  if (c->has_value()) {
    Result<ChainView> cv = ViewOf(view, **c, q.filter);
    if (!cv.ok()) return cv.status();
    out.chains.push_back(std::move(cv).value());
    out.found = 1;
  } else {
    out.hints = WhatFiltersHide(q, "path", "paths", [&](const Question& other) -> Result<size_t> {
      Result<Endpoints> e =
          PrepareEnds(view, from, to, other, [](const graph::ArcSource& walk, NodeId a, NodeId b) {
            return graph::ShortestNeighbourhood(walk, a, b, kShortestMaxHops, kNearBudget);
          });
      if (!e.ok()) return e.status();
      Result<std::optional<graph::Chain>> p = graph::ShortestPath(*e->arcs, e->from.id, e->to.id);
      if (!p.ok()) return p.status();
      return p->has_value() ? 1 : 0;
    });
    Result<Endpoints> apart = PrepareEnds(
        view, from, to, AnyTime(q), [](const graph::ArcSource& walk, NodeId a, NodeId b) {
          return graph::ShortestNeighbourhood(*graph::Timeless(walk), a, b, kShortestMaxHops,
                                              kNearBudget);
        });
    if (!apart.ok()) return apart.status();
    Result<std::optional<graph::Chain>> joined =
        graph::ShortestPath(*graph::Timeless(*apart->arcs), apart->from.id, apart->to.id);
    if (!joined.ok()) return joined.status();
    if (joined->has_value()) out.hints.insert(out.hints.begin(), NeverTogether(1, "path"));
  }
  return out;
}

namespace {

// The dependence walk of `deps` and its substitutes, as impact and critical
// read them: a session's cached projections of both; in a fresh process the
// store node by node (an exposure rarely reaches the whole graph, and
// projecting 50,000 links costs more than walking 500), each node read
// once, and both projected from one scan once the walk turns out to spread.
struct SupplyArcs {
  std::shared_ptr<const graph::ArcSource> walk, substitutes;
};
Result<SupplyArcs> SupplyFor(const StoreView& view, const Question& q, const WalkTypes& deps) {
  Result<std::set<uint16_t>> subs = graph::EdgeTypes(view.schema(), {"substitutes_for"});
  if (!subs.ok()) return subs.status();
  if (!q.projections) {
    graph::WalkAndSubstitutes w = graph::StoreArcsOrProjections(
        view, q.filter, deps.forward, deps.reversed, kWalkBeforeProjecting);
    return SupplyArcs{std::move(w.walk), std::move(w.substitutes)};
  }
  Result<std::shared_ptr<const graph::Projection>> dp = ProjectionFor(view, q, deps);
  if (!dp.ok()) return dp.status();
  Result<std::shared_ptr<const graph::Projection>> sp =
      ProjectionFor(view, q, WalkTypes{*subs, {}, false});
  if (!sp.ok()) return sp.status();
  return SupplyArcs{std::move(dp).value(), std::move(sp).value()};
}

// The exposures of cutting `root` under `q` (every one, chains for the
// first `via_for`).
Result<std::vector<graph::Exposure>> Exposures(const StoreView& view, NodeId root,
                                               const Question& q, size_t via_for) {
  Result<WalkTypes> deps = WalkOf(view.schema(), q.via);
  if (!deps.ok()) return deps.status();
  Result<SupplyArcs> supply = SupplyFor(view, q, *deps);
  if (!supply.ok()) return supply.status();
  return graph::ImpactOf(*supply->walk, *supply->substitutes, root, q.cancel, via_for,
                         kLowConfidence);
}

}  // namespace

Result<ImpactAnswer> Impact(const StoreView& view, const std::string& ref, const Question& q,
                            size_t limit) {
  Result<NodeRecord> root = ResolveNode(view, ref, q.filter);
  if (!root.ok()) return root.status();
  Result<std::vector<graph::Exposure>> r =
      Exposures(view, root->id, q, limit == 0 ? SIZE_MAX : limit);
  if (!r.ok()) return r.status();
  ImpactAnswer out;
  out.as_of = q.filter.as_of;
  out.root = std::move(root).value();
  out.total = r->size();
  for (const auto& e : r.value()) out.cut_off += e.cut_off ? 1 : 0;
  for (const auto& e : r.value()) {
    if (limit != 0 && out.exposed.size() >= limit) break;
    ExposureView x;
    Result<NodeRecord> n = view.NodeById(e.node);
    if (!n.ok()) return n.status();
    x.node = std::move(n).value();
    x.domain = view.schema().DomainName(e.domain);
    x.score = e.score;
    x.confidence = e.confidence;
    x.cut_off = e.cut_off;
    x.span = e.span;
    Result<std::vector<EdgeView>> via = LoadArcs(view, e.via, q.filter);
    if (!via.ok()) return via.status();
    x.via = std::move(via).value();
    out.exposed.push_back(std::move(x));
  }
  if (out.total == 0)
    out.hints =
        WhatFiltersHide(q, "exposure", "exposures", [&](const Question& other) -> Result<size_t> {
          Result<std::vector<graph::Exposure>> x = Exposures(view, out.root.id, other, 0);
          if (!x.ok()) return x.status();
          return x->size();
        });
  return out;
}

Result<CriticalAnswer> Critical(const StoreView& view, const std::string& consumer,
                                const Question& q) {
  CriticalAnswer out;
  out.as_of = q.filter.as_of;
  if (!consumer.empty()) {
    Result<NodeRecord> c = ResolveNode(view, consumer, q.filter);
    if (!c.ok()) return c.status();
    out.consumer = std::move(c).value();
    auto search =
        [&](const Question& question, size_t budget,
            const graph::CancelFlag* cancel) -> Result<std::vector<graph::SinglePointSearch>> {
      Result<WalkTypes> deps = WalkOf(view.schema(), question.via);
      if (!deps.ok()) return deps.status();
      Result<SupplyArcs> supply = SupplyFor(view, question, *deps);
      if (!supply.ok()) return supply.status();
      return graph::SinglePointsOf(*supply->walk, *supply->substitutes, out.consumer->id, budget,
                                   cancel, kLowConfidence);
    };
    Result<std::vector<graph::SinglePointSearch>> found = search(q, 5000, q.cancel);
    if (!found.ok()) return found.status();
    for (const auto& d : found.value()) {
      CriticalDomain cd;
      cd.domain = view.schema().DomainName(d.domain);
      cd.providers = d.providers;
      cd.weak = d.weak;
      cd.reachable = d.reachable;
      cd.searched = d.searched;
      cd.complete = d.complete;
      for (const auto& p : d.points) {
        SinglePointView pv;
        Result<NodeRecord> n = view.NodeById(p.node);
        if (!n.ok()) return n.status();
        pv.node = std::move(n).value();
        pv.direct = p.direct;
        Result<std::vector<EdgeView>> via = LoadArcs(view, p.via, q.filter);
        if (!via.ok()) return via.status();
        pv.via = std::move(via).value();
        cd.points.push_back(std::move(pv));
      }
      out.domains.push_back(std::move(cd));
    }
    // Beside the points: direct providers judged hard to replace.
    if (!out.domains.empty()) {
      Result<DepsAnswer> direct = Deps(view, out.consumer->slug, false, 1, q);
      if (!direct.ok()) return direct.status();
      for (const TreeHop& hop : direct->edges) {
        const EdgeView& e = hop.edge;
        const std::string& provider = e.src_slug == out.consumer->slug ? e.dst_slug : e.src_slug;
        if (EffectiveReplaceability(e.rec.q) > kHardToReplace ||
            e.rec.q.confidence < kLowConfidence)
          continue;
        for (CriticalDomain& cd : out.domains) {
          if (cd.domain != e.rec.domain) continue;
          bool listed =
              std::any_of(cd.points.begin(), cd.points.end(),
                          [&](const SinglePointView& p) { return p.node.slug == provider; });
          if (!listed) cd.hard_to_replace.push_back(e);
        }
      }
    }
    if (out.domains.empty()) {
      // It depends on nothing here: say what it does have, and what a wider
      // question would find.
      SINEW_RETURN_IF_ERROR(view.ForEachAdjacent(out.consumer->id, Direction::kOut, 0,
                                                 [&](const AdjacencyEntry& row) {
                                                   if (graph::Admit(view, row, q.filter))
                                                     ++out.other_links;
                                                   return true;
                                                 }));
      out.hints = WhatFiltersHide(
          q, "domain to check", "domains to check", [&](const Question& other) -> Result<size_t> {
            Result<std::vector<graph::SinglePointSearch>> r = search(other, 0, other.cancel);
            if (!r.ok()) return r.status();
            return r->size();
          });
    }
    return out;
  }
  Result<std::set<uint16_t>> types = graph::EdgeTypes(view.schema(), q.via);
  if (!types.ok()) return types.status();
  Result<std::shared_ptr<const graph::Projection>> p =
      ProjectionFor(view, q, WalkTypes{*types, {}});
  if (!p.ok()) return p.status();
  Result<graph::CutStructure> cs = graph::CutStructureOf(**p);
  if (!cs.ok()) return cs.status();
  Result<std::vector<NodeRecord>> points = Nodes(view, cs->articulation_points);
  if (!points.ok()) return points.status();
  out.articulation_points = std::move(points).value();
  for (const auto& [x, y] : cs->bridges) {
    Result<std::vector<NodeRecord>> ends = Nodes(view, {x, y});
    if (!ends.ok()) return ends.status();
    out.bridges.push_back({(*ends)[0], (*ends)[1]});
  }
  return out;
}

}  // namespace sinew::query
