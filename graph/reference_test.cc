// Every analysis against a brute-force reference on a thousand and more small
// random graphs: chains, strongest and shortest paths, impact and single
// points of failure are worked out here by enumerating every simple path (or
// every node) the plain way, with the time rule applied to each: a chain's
// links must have held at some moment together.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "graph/graph.h"

namespace sinew::graph {
namespace {

// Arcs held in memory: the analyses see only the ArcSource interface.
class VectorArcs final : public ArcSource {
 public:
  explicit VectorArcs(std::vector<Arc> arcs) : arcs_(std::move(arcs)) {}
  Status Out(NodeId node, std::vector<Arc>* out) const override {
    out->clear();
    for (const Arc& a : arcs_)
      if (a.from == node) out->push_back(a);
    return Status::Ok();
  }
  Status In(NodeId node, std::vector<Arc>* out) const override {
    out->clear();
    for (const Arc& a : arcs_)
      if (a.to == node) out->push_back(a);
    return Status::Ok();
  }
  Result<std::vector<NodeId>> Nodes() const override {
    std::set<NodeId> s;
    for (const Arc& a : arcs_) s.insert({a.from, a.to});
    return std::vector<NodeId>(s.begin(), s.end());
  }
  const std::vector<Arc>& arcs() const { return arcs_; }

 private:
  std::vector<Arc> arcs_;
};

struct RandomGraph {
  int n = 0;
  std::vector<Arc> deps, subs;
};

// Up to 8 nodes, links in two domains, spans within 2000-2012 (some open),
// weights and confidences spread so that ties are rare but possible.
RandomGraph Make(std::mt19937& rng) {
  RandomGraph g;
  g.n = 3 + static_cast<int>(rng() % 6);
  int m = g.n + static_cast<int>(rng() % (2 * g.n + 1));
  const float confidences[] = {0.05f, 0.2f, 0.45f, 0.7f, 0.9025f};
  EdgeId edge = 1;
  for (int k = 0; k < m; ++k) {
    Arc a;
    a.from = 1 + rng() % g.n;
    a.to = 1 + rng() % g.n;
    if (a.from == a.to) continue;
    a.edge = edge++;
    a.domain = 1 + static_cast<int>(rng() % 2);
    a.weight = static_cast<float>(1 + rng() % 10) / 10;
    a.confidence = confidences[rng() % 5];
    if (rng() % 4 != 0) {
      int from = 2000 + static_cast<int>(rng() % 10);
      a.valid_from = from * 10000 + 101;
      if (rng() % 2) a.valid_to = (from + static_cast<int>(rng() % 4)) * 10000 + 1231;
    }
    (rng() % 6 == 0 ? g.subs : g.deps).push_back(a);
  }
  return g;
}

struct Path {
  std::vector<Arc> arcs;
  Span span;
  double product = 1, min = 1;
};

// Every simple path from `from` to `to` of at most `depth` hops over `arcs`
// whose links held together, keeping only arcs `keep` accepts.
template <typename Keep>
std::vector<Path> AllPaths(const std::vector<Arc>& arcs, NodeId from, NodeId to, int depth,
                           Keep keep) {
  std::vector<Path> out;
  std::vector<Arc> stack;
  std::set<NodeId> on{from};
  auto walk = [&](auto&& self, NodeId at) -> void {
    if (at == to && !stack.empty()) {
      Path p;
      p.arcs = stack;
      for (const Arc& a : stack) {
        p.span = p.span.And(a);
        p.product *= a.Score();
        p.min = std::min(p.min, a.Score());
      }
      if (!p.span.Empty()) out.push_back(p);
      return;
    }
    if (static_cast<int>(stack.size()) == depth) return;
    for (const Arc& a : arcs) {
      if (a.from != at || on.count(a.to) || !keep(a)) continue;
      on.insert(a.to);
      stack.push_back(a);
      self(self, a.to);
      stack.pop_back();
      on.erase(a.to);
    }
  };
  walk(walk, from);
  return out;
}

std::string Edges(const std::vector<Arc>& arcs) {
  std::string s;
  for (const Arc& a : arcs) s += std::to_string(a.edge) + ",";
  return s;
}

bool Consistent(const std::vector<Arc>& arcs, NodeId from, NodeId to) {
  if (arcs.empty() || arcs.front().from != from || arcs.back().to != to) return false;
  Span span;
  for (size_t i = 0; i < arcs.size(); ++i) {
    if (i > 0 && arcs[i].from != arcs[i - 1].to) return false;
    span = span.And(arcs[i]);
  }
  return !span.Empty();
}

// Links below this confidence are no alternative (the query layer's low mark).
constexpr double kAlternative = 0.3;

// In domain d, who is cut off if `root` is cut: of the nodes whose supply
// (providers there and their substitutes, by any link) leads to the root,
// those whose supply by confident links reaches nothing else without
// passing the root.
std::set<NodeId> PlainCut(const RandomGraph& g, NodeId root, int d) {
  std::map<NodeId, std::set<NodeId>> any, confident;
  for (const Arc& a : g.deps) {
    if (a.domain != d) continue;
    any[a.from].insert(a.to);
    if (a.confidence >= kAlternative) confident[a.from].insert(a.to);
    for (const Arc& s : g.subs)
      if (s.to == a.to) {
        any[a.from].insert(s.from);
        if (a.confidence >= kAlternative && s.confidence >= kAlternative)
          confident[a.from].insert(s.from);
      }
  }
  auto reach = [&](std::map<NodeId, std::set<NodeId>>& supply, NodeId v) {
    std::set<NodeId> seen;
    std::vector<NodeId> stack{v};
    while (!stack.empty()) {
      NodeId x = stack.back();
      stack.pop_back();
      if (x == root) continue;
      for (NodeId y : supply[x])
        if (seen.insert(y).second) stack.push_back(y);
    }
    return seen;
  };
  std::set<NodeId> upstream, cut;
  for (NodeId v = 1; v <= static_cast<NodeId>(g.n); ++v)
    if (v != root && reach(any, v).count(root)) upstream.insert(v);
  for (NodeId v : upstream) {
    bool elsewhere = false;
    for (NodeId y : reach(confident, v)) elsewhere = elsewhere || (y != root && !upstream.count(y));
    if (!elsewhere) cut.insert(v);
  }
  return cut;
}

constexpr int kGraphs = 1200;

}  // namespace

TEST_CASE("chains, strongest and shortest paths match a brute-force enumeration") {
  std::mt19937 rng(20261201);
  size_t with_chains = 0, cut_by_time = 0;
  for (int k = 0; k < kGraphs; ++k) {
    CAPTURE(k);
    RandomGraph g = Make(rng);
    VectorArcs arcs(g.deps);
    for (NodeId a = 1; a <= static_cast<NodeId>(g.n); ++a)
      for (NodeId b = 1; b <= static_cast<NodeId>(g.n); ++b) {
        if (a == b) continue;
        CAPTURE(a);
        CAPTURE(b);
        int depth = 1 + static_cast<int>((a + b + k) % 4);
        std::vector<Path> all = AllPaths(g.deps, a, b, depth, [](const Arc&) { return true; });
        auto chains = FindChains(arcs, a, b, depth, 1000, ChainRule::kProduct);
        REQUIRE(chains.ok());
        CHECK(chains->found == all.size());
        CHECK_FALSE(chains->truncated);
        std::set<std::string> want, got;
        for (const Path& p : all) want.insert(Edges(p.arcs));
        for (const Chain& c : chains->chains) {
          got.insert(Edges(c.arcs));
          CHECK(Consistent(c.arcs, a, b));
        }
        CHECK(got == want);
        for (size_t i = 1; i < chains->chains.size(); ++i)
          CHECK(chains->chains[i - 1].score >= chains->chains[i].score);
        if (!all.empty()) {
          ++with_chains;
          double best = 0, best_min = 0;
          for (const Path& p : all) {
            best = std::max(best, p.product);
            best_min = std::max(best_min, p.min);
          }
          CHECK(chains->chains[0].score == doctest::Approx(best));
          // Each chain's span is exactly when its links all held.
          for (const Chain& c : chains->chains)
            for (const Path& p : all)
              if (Edges(p.arcs) == Edges(c.arcs)) {
                CHECK(c.span.from == p.span.from);
                CHECK(c.span.to == p.span.to);
              }
          auto by_min = FindChains(arcs, a, b, depth, 1000, ChainRule::kMin);
          REQUIRE(by_min.ok());
          CHECK(by_min->chains[0].score == doctest::Approx(best_min));
        }

        // Strongest and shortest over every length (8 nodes: 7 hops at most).
        std::vector<Path> any = AllPaths(g.deps, a, b, 8, [](const Arc&) { return true; });
        auto strongest = StrongestPath(arcs, a, b);
        auto shortest = ShortestPath(arcs, a, b);
        REQUIRE(strongest.ok());
        REQUIRE(shortest.ok());
        REQUIRE(strongest->has_value() == !any.empty());
        REQUIRE(shortest->has_value() == !any.empty());
        if (any.empty()) continue;
        double best = 0;
        size_t fewest = SIZE_MAX;
        for (const Path& p : any) {
          best = std::max(best, p.product);
          fewest = std::min(fewest, p.arcs.size());
        }
        double best_fewest = 0;
        for (const Path& p : any)
          if (p.arcs.size() == fewest) best_fewest = std::max(best_fewest, p.product);
        CHECK((*strongest)->score == doctest::Approx(best));
        CHECK(Consistent((*strongest)->arcs, a, b));
        CHECK((*shortest)->arcs.size() == fewest);
        CHECK((*shortest)->score == doctest::Approx(best_fewest));
        CHECK(Consistent((*shortest)->arcs, a, b));
        // The neighbourhood a cold process answers from gives the same path.
        auto near = ShortestNeighbourhood(arcs, a, b, 64, 1000);
        REQUIRE(near.ok());
        REQUIRE(near.value() != nullptr);
        auto local = ShortestPath(**near, a, b);
        REQUIRE(local.ok());
        REQUIRE(local->has_value());
        CHECK(Edges((*local)->arcs) == Edges((*shortest)->arcs));
      }
    // Pairs joined only by links that never coexisted have no chain.
    for (NodeId a = 1; a <= static_cast<NodeId>(g.n); ++a)
      for (NodeId b = 1; b <= static_cast<NodeId>(g.n); ++b)
        if (a != b && AllPaths(g.deps, a, b, 8, [](const Arc&) { return true; }).empty()) {
          std::vector<Arc> timeless = g.deps;
          for (Arc& x : timeless) x.valid_from = kDateMin, x.valid_to = kDateMax;
          if (!AllPaths(timeless, a, b, 8, [](const Arc&) { return true; }).empty()) {
            ++cut_by_time;
            auto none = StrongestPath(arcs, a, b);
            REQUIRE(none.ok());
            CHECK_FALSE(none->has_value());
          }
        }
  }
  // The graphs exercise what they are meant to.
  CHECK(with_chains > 10000);
  CHECK(cut_by_time > 500);
}

TEST_CASE("impact and single points of failure match a brute-force reference") {
  std::mt19937 rng(1201);
  size_t cut_seen = 0, degraded_seen = 0, points_seen = 0, substitutes_mattered = 0;
  for (int k = 0; k < kGraphs; ++k) {
    CAPTURE(k);
    RandomGraph g = Make(rng);
    VectorArcs deps(g.deps), subs(g.subs);
    for (NodeId root = 1; root <= static_cast<NodeId>(g.n); ++root) {
      CAPTURE(root);
      auto impact = ImpactOf(deps, subs, root, nullptr, SIZE_MAX, kAlternative);
      REQUIRE(impact.ok());
      // Exposure in domain d: the best time-consistent chain of d's links to the root.
      std::map<std::pair<NodeId, int>, double> want;
      for (int d : {1, 2})
        for (NodeId v = 1; v <= static_cast<NodeId>(g.n); ++v) {
          if (v == root) continue;
          for (const Path& p :
               AllPaths(g.deps, v, root, 8, [d](const Arc& a) { return a.domain == d; }))
            want[{v, d}] = std::max(want[{v, d}], p.product);
        }
      std::map<std::pair<NodeId, int>, double> got;
      for (const Exposure& e : *impact) {
        got[{e.node, e.domain}] = e.score;
        CHECK(Consistent(e.via, e.node, root));
        double product = 1;
        for (const Arc& a : e.via) {
          product *= a.Score();
          CHECK(a.domain == e.domain);
        }
        CHECK(product == doctest::Approx(e.score));
        bool cut = PlainCut(g, root, e.domain).count(e.node) > 0;
        CHECK(e.cut_off == cut);
        (cut ? cut_seen : degraded_seen)++;
      }
      REQUIRE(got.size() == want.size());
      for (const auto& [key, score] : want) {
        REQUIRE(got.count(key));
        CHECK(got[key] == doctest::Approx(score));
      }
      for (size_t i = 1; i < impact->size(); ++i)
        CHECK((*impact)[i - 1].score >= (*impact)[i].score);

      // The consumer's single points of failure: every node whose cut cuts it off.
      NodeId consumer = root;
      auto spof = SinglePointsOf(deps, subs, consumer, 5000, nullptr, kAlternative);
      REQUIRE(spof.ok());
      std::set<int> domains;
      for (const Arc& a : g.deps)
        if (a.from == consumer) domains.insert(a.domain);
      REQUIRE(spof->size() == domains.size());
      for (const SinglePointSearch& s : *spof) {
        CHECK(s.complete);
        std::set<NodeId> expected;
        for (NodeId x = 1; x <= static_cast<NodeId>(g.n); ++x)
          if (x != consumer && PlainCut(g, x, s.domain).count(consumer)) expected.insert(x);
        std::set<NodeId> found;
        for (const SinglePoint& p : s.points) {
          found.insert(p.node);
          bool direct = false;
          for (const Arc& a : g.deps)
            direct = direct || (a.from == consumer && a.to == p.node && a.domain == s.domain);
          CHECK(p.direct == direct);
        }
        CHECK(found == expected);
        points_seen += found.size();
        // Without substitutes there would be more (or as many) single points.
        RandomGraph bare = g;
        bare.subs.clear();
        for (NodeId x = 1; x <= static_cast<NodeId>(g.n); ++x)
          if (x != consumer && !expected.count(x) && PlainCut(bare, x, s.domain).count(consumer))
            ++substitutes_mattered;
      }
    }
  }
  CHECK(cut_seen > 1000);
  CHECK(degraded_seen > 1000);
  CHECK(points_seen > 1000);
  CHECK(substitutes_mattered > 50);
}

}  // namespace sinew::graph
