#include <doctest/doctest.h>

#include <random>
#include <set>

#include "graph/graph.h"
#include "tests/support/temp_dir.h"

namespace sinew::graph {
namespace {

const char* kSchema = R"({
  "node_types": {"state": ""},
  "edge_types": {"depends_on": {}, "cooperates_with": {"directed": false}},
  "domains": {"technology": "", "trade": ""}
})";

// A random store: n nodes, m edges of both types and domains, some proposed,
// some projected, spans over 2000..2020.
std::unique_ptr<Store> RandomStore(const testing::TempDir& dir, unsigned seed, int n, int m) {
  auto store = Store::Create(dir / "db", kSchema, "schema");
  REQUIRE(store.ok());
  std::mt19937 rng(seed);
  Batch b;
  b.file = "random.json";
  b.source.slug = "random";
  b.source.title = "random";
  b.source.reliability = "B";
  for (int i = 0; i < n; ++i) {
    NodeDraft d;
    d.slug = "n" + std::to_string(i);
    d.type = "state";
    b.nodes.push_back(d);
  }
  for (int k = 0; k < m; ++k) {
    int a = static_cast<int>(rng() % n), c = static_cast<int>(rng() % n);
    if (a == c) continue;
    EdgeDraft e;
    e.src = "n" + std::to_string(a);
    e.dst = "n" + std::to_string(c);
    e.type = rng() % 4 == 0 ? "cooperates_with" : "depends_on";
    e.domain = rng() % 2 ? "technology" : "trade";
    EvidenceDraft ev;
    ev.key = "k" + std::to_string(k);
    ev.quote = "claim " + std::to_string(k);
    ev.credibility = 1 + static_cast<int>(rng() % 6);
    ev.status = rng() % 5 == 0 ? EvidenceStatus::kProposed : EvidenceStatus::kAccepted;
    ev.modality = rng() % 6 == 0 ? Modality::kProjected : Modality::kObserved;
    int from = 2000 + static_cast<int>(rng() % 20);
    ev.valid_from = std::to_string(from);
    if (rng() % 2) ev.valid_to = std::to_string(from + static_cast<int>(rng() % 5));
    e.evidence.push_back(ev);
    b.edges.push_back(e);
  }
  REQUIRE((*store)->Apply(b).ok());
  return std::move(store).value();
}

// Neighbours of every node by walking the store's adjacency index directly.
std::set<std::tuple<NodeId, NodeId, EdgeId>> WalkStore(const StoreView& view, const EdgeFilter& f) {
  std::set<std::tuple<NodeId, NodeId, EdgeId>> arcs;
  REQUIRE(view.ForEachNode([&](const NodeRecord& n) {
                for (Direction d : {Direction::kOut, Direction::kIn}) {
                  REQUIRE(view.ForEachAdjacent(n.id, d, 0,
                                               [&](const AdjacencyEntry& a) {
                                                 if (!f.Admits(a)) return true;
                                                 bool directed =
                                                     view.schema().EdgeTypeByCode(a.type)->directed;
                                                 if (d == Direction::kOut || !directed)
                                                   arcs.insert({n.id, a.other, a.edge});
                                                 return true;
                                               })
                              .ok());
                }
                return true;
              })
              .ok());
  return arcs;
}

std::set<std::tuple<NodeId, NodeId, EdgeId>> WalkProjection(const Projection& p) {
  std::set<std::tuple<NodeId, NodeId, EdgeId>> arcs;
  for (uint32_t v = 0; v < p.VertexCount(); ++v)
    for (const auto& a : p.OutArcs(v)) arcs.insert({p.NodeAt(v), p.NodeAt(a.target), a.edge});
  return arcs;
}

}  // namespace

TEST_CASE("the projection and the store's adjacency walk see the same arcs") {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    CAPTURE(seed);
    testing::TempDir dir;
    auto store = RandomStore(dir, seed, 40, 160);
    auto view = store->View();
    std::vector<EdgeFilter> filters(5);
    filters[1].domains = {1};
    filters[2].as_of = 20101231;
    filters[3].include_proposed = true;
    filters[3].include_scenarios = true;
    filters[4].min_confidence = 0.5;
    for (size_t i = 0; i < filters.size(); ++i) {
      CAPTURE(i);
      auto p = Projection::Build(*view, filters[i]);
      REQUIRE(p.ok());
      auto expected = WalkStore(*view, filters[i]);
      CHECK(WalkProjection(**p) == expected);
      CHECK((*p)->ArcCount() == expected.size());
    }
  }
}

TEST_CASE("filters drop proposed, scenario, out-of-time and low-confidence rows") {
  AdjacencyEntry a;
  a.status = EvidenceStatus::kAccepted;
  a.modality = Modality::kObserved;
  a.confidence = 0.6f;
  a.domain = 1;
  a.from = 20140101;
  a.to = kDateMax;
  EdgeFilter f;
  CHECK(f.Admits(a));
  f.as_of = 20131231;
  CHECK_FALSE(f.Admits(a));
  f.as_of = 20200101;
  CHECK(f.Admits(a));
  f.domains = {2};
  CHECK_FALSE(f.Admits(a));
  f.domains = {1};
  f.min_confidence = 0.7;
  CHECK_FALSE(f.Admits(a));
  f.min_confidence = 0;
  a.modality = Modality::kHypothetical;
  CHECK_FALSE(f.Admits(a));
  f.include_scenarios = true;
  CHECK(f.Admits(a));
  a.status = EvidenceStatus::kProposed;
  CHECK_FALSE(f.Admits(a));
  f.include_proposed = true;
  CHECK(f.Admits(a));
  a.marking_lo = Marking::kRed;
  f.clearance = Marking::kAmber;
  CHECK_FALSE(f.Admits(a));
}

}  // namespace sinew::graph
