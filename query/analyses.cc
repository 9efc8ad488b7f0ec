// The named analyses as the asker sees them: resolve names, choose how to
// walk (the store's adjacency for short local questions, a projection for
// deep or global ones), run the graph algorithm, then attach the evidence of
// every hop at the asker's clearance.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using graph::Arc;
using graph::ArcSource;

Result<std::set<uint16_t>> TypesOf(const Schema& schema, const std::vector<std::string>& names,
                                   const char* fallback) {
  if (names.empty()) return graph::EdgeTypes(schema, {fallback});
  return graph::EdgeTypes(schema, names);
}

std::vector<std::string> TypeNames(const Schema& schema, const std::set<uint16_t>& codes) {
  std::vector<std::string> out;
  if (codes.empty()) return {"all"};
  for (uint16_t c : codes)
    if (const EdgeTypeInfo* t = schema.EdgeTypeByCode(c)) out.push_back(t->name);
  return out;
}

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
  out.confidence = c.confidence;
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
                                                               const std::set<uint16_t>& types) {
  if (q.projections) return q.projections->Get(view, q.filter, types);
  Result<std::unique_ptr<graph::Projection>> p = graph::Projection::Build(view, q.filter, types);
  if (!p.ok()) return p.status();
  return std::shared_ptr<const graph::Projection>(std::move(p).value());
}

// Both ends of a chain question, and the arcs of the edge types it follows.
struct Endpoints {
  NodeRecord from, to;
  std::set<uint16_t> types;
  std::shared_ptr<const graph::ArcSource> arcs;
};

// How many nodes a cold question may gather around its two ends before it
// projects the whole store instead.
constexpr size_t kNearBudget = 20000;
// ShortestPath's own bound on hops.
constexpr int kShortestMaxHops = 64;

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
  Result<std::set<uint16_t>> types = TypesOf(view.schema(), q.via, "depends_on");
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
    if (!projection) walk = graph::StoreArcs(view, q.filter, e.types);
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
    const StoreView& view, const EdgeFilter& filter, const std::set<uint16_t>& types) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < built_.size(); ++i) {
    if (!(built_[i].filter == filter) || built_[i].types != types) continue;
    std::rotate(built_.begin(), built_.begin() + static_cast<long>(i),
                built_.begin() + static_cast<long>(i) + 1);  // most recent first
    return built_.front().projection;
  }
  Result<std::unique_ptr<graph::Projection>> p = graph::Projection::Build(view, filter, types);
  if (!p.ok()) return p.status();
  std::shared_ptr<const graph::Projection> shared(std::move(p).value());
  built_.insert(built_.begin(), Built{filter, types, shared});
  if (built_.size() > kKept) built_.pop_back();
  return shared;
}

std::string ScoringNote(graph::ChainRule rule) {
  std::string combine = rule == graph::ChainRule::kProduct ? "the product" : "the minimum";
  return "scoring: a link's weight is strength x (1 - replaceability), replaceability raised "
         "by known substitutes; its confidence is the noisy-OR of its evidence "
         "(reliability x credibility). A chain scores " +
         combine + " of its links' weights (rule: " + graph::ChainRuleName(rule) +
         "). See docs/scoring.md.";
}

Result<DepsAnswer> Deps(const StoreView& view, const std::string& ref, bool reverse, int depth,
                        const Question& q) {
  if (depth < 1 || depth > 32) return Status::Usage("--depth must be 1 to 32");
  Result<NodeRecord> root = ResolveNode(view, ref, q.filter);
  if (!root.ok()) return root.status();
  Result<std::set<uint16_t>> types = TypesOf(view.schema(), q.via, "depends_on");
  if (!types.ok()) return types.status();
  // A tree a few levels deep is a local question: walk the store directly.
  auto arcs = graph::StoreArcs(view, q.filter, types.value());
  Result<std::vector<graph::TreeEdge>> tree =
      graph::DependencyTree(*arcs, root->id, reverse, depth, q.cancel);
  if (!tree.ok()) return tree.status();
  DepsAnswer a;
  a.root = std::move(root).value();
  a.reverse = reverse;
  a.via = TypeNames(view.schema(), types.value());
  for (const auto& t : tree.value()) {
    Result<std::vector<EdgeView>> e = LoadArcs(view, {t.arc}, q.filter);
    if (!e.ok()) return e.status();
    a.edges.push_back(TreeHop{std::move(e->front()), t.depth});
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
  out.from = ends->from;
  out.to = ends->to;
  out.rule = graph::ChainRuleName(q.rule);
  out.via = TypeNames(view.schema(), ends->types);
  out.truncated = r->truncated;
  out.found = r->found;
  out.max_depth = max_depth;
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
  out.from = ends->from;
  out.to = ends->to;
  out.rule = mode == "strongest" ? "strongest (product)" : "shortest (fewest hops)";
  out.via = TypeNames(view.schema(), ends->types);
  if (c->has_value()) {
    Result<ChainView> cv = ViewOf(view, **c, q.filter);
    if (!cv.ok()) return cv.status();
    out.chains.push_back(std::move(cv).value());
    out.found = 1;
  }
  return out;
}

Result<ImpactAnswer> Impact(const StoreView& view, const std::string& ref, const Question& q,
                            size_t limit) {
  Result<NodeRecord> root = ResolveNode(view, ref, q.filter);
  if (!root.ok()) return root.status();
  Result<std::set<uint16_t>> deps = TypesOf(view.schema(), q.via, "depends_on");
  if (!deps.ok()) return deps.status();
  Result<std::set<uint16_t>> subs = graph::EdgeTypes(view.schema(), {"substitutes_for"});
  if (!subs.ok()) return subs.status();
  Result<std::shared_ptr<const graph::Projection>> dp = ProjectionFor(view, q, *deps);
  if (!dp.ok()) return dp.status();
  // Substitutes are read only for providers found lost, usually a handful:
  // walked in the store rather than projected whole.
  std::unique_ptr<graph::ArcSource> sp = graph::StoreArcs(view, q.filter, *subs);
  Result<std::vector<graph::Exposure>> r =
      graph::ImpactOf(**dp, *sp, root->id, q.cancel, limit == 0 ? SIZE_MAX : limit);
  if (!r.ok()) return r.status();
  ImpactAnswer out;
  out.root = std::move(root).value();
  out.total = r->size();
  for (const auto& e : r.value()) {
    if (limit != 0 && out.exposed.size() >= limit) break;
    ExposureView x;
    Result<NodeRecord> n = view.NodeById(e.node);
    if (!n.ok()) return n.status();
    x.node = std::move(n).value();
    x.score = e.score;
    x.cut_off = e.cut_off;
    for (int d : e.cut_domains) {
      const std::string& name = view.schema().DomainName(d);
      x.cut_domains.push_back(name.empty() ? "(none)" : name);
    }
    Result<std::vector<EdgeView>> via = LoadArcs(view, e.via, q.filter);
    if (!via.ok()) return via.status();
    x.via = std::move(via).value();
    out.exposed.push_back(std::move(x));
  }
  return out;
}

Result<CriticalAnswer> Critical(const StoreView& view, const std::string& consumer,
                                const Question& q) {
  CriticalAnswer out;
  if (!consumer.empty()) {
    Result<NodeRecord> c = ResolveNode(view, consumer, q.filter);
    if (!c.ok()) return c.status();
    Result<std::set<uint16_t>> deps = TypesOf(view.schema(), q.via, "depends_on");
    if (!deps.ok()) return deps.status();
    Result<std::shared_ptr<const graph::Projection>> p = ProjectionFor(view, q, *deps);
    if (!p.ok()) return p.status();
    Result<std::vector<graph::Dominance>> d = graph::SinglePointsOf(**p, c->id);
    if (!d.ok()) return d.status();
    for (const auto& dom : d.value()) {
      Result<std::vector<NodeRecord>> n = Nodes(view, {dom.node});
      Result<std::vector<NodeRecord>> list = Nodes(view, dom.dominated);
      if (!n.ok()) return n.status();
      if (!list.ok()) return list.status();
      out.single_points.push_back({n->front(), std::move(list).value()});
    }
    out.consumer = std::move(c).value();
    return out;
  }
  Result<std::set<uint16_t>> types = graph::EdgeTypes(view.schema(), q.via);
  if (!types.ok()) return types.status();
  Result<std::shared_ptr<const graph::Projection>> p = ProjectionFor(view, q, *types);
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
