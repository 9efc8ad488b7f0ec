// Each analysis on a small graph whose answers are worked out by hand here.
#include <doctest/doctest.h>

#include "graph/graph.h"
#include "tests/support/graph_fixture.h"

namespace sinew::graph {
namespace {

using testing::GraphStore;
using testing::Id;

// All evidence is A1 (confidence 0.95 x 0.95). Weights = s x (1 - r):
//   a->b 0.6, b->c 0.5, a->d 0.45, d->c 0.8, c->e 0.25
const std::vector<std::string> kDiamond = {
    "a depends_on b trade s=0.8 r=0.25", "b depends_on c trade s=0.5 r=0.0",
    "a depends_on d trade s=0.9 r=0.5", "d depends_on c trade s=1.0 r=0.2",
    "c depends_on e technology s=0.5 r=0.5"};

std::string Slugs(const StoreView& view, const std::vector<NodeId>& ids) {
  std::string s;
  for (NodeId id : ids) s += (s.empty() ? "" : " ") + view.NodeById(id)->slug;
  return s;
}

std::string ChainText(const StoreView& view, const Chain& c) { return Slugs(view, c.nodes); }

}  // namespace

TEST_CASE("a dependency tree takes the strongest arc into each node, level by level") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto arcs = StoreArcs(*view, EdgeFilter{}, {1});
  auto tree = DependencyTree(*arcs, Id(*view, "a"), false, 3);
  REQUIRE(tree.ok());
  REQUIRE(tree->size() == 4);
  auto hop = [&](size_t i) {
    const Arc& a = (*tree)[i].arc;
    return view->NodeById(a.from)->slug + ">" + view->NodeById(a.to)->slug + "@" +
           std::to_string((*tree)[i].depth);
  };
  CHECK(hop(0) == "a>b@1");  // 0.6 before 0.45
  CHECK(hop(1) == "a>d@1");
  CHECK(hop(2) == "d>c@2");  // 0.8 beats b->c 0.5
  CHECK(hop(3) == "c>e@3");
  auto shallow = DependencyTree(*arcs, Id(*view, "a"), false, 1);
  REQUIRE(shallow.ok());
  CHECK(shallow->size() == 2);
  auto reverse = DependencyTree(*arcs, Id(*view, "c"), true, 3);
  REQUIRE(reverse.ok());
  REQUIRE(reverse->size() == 3);
  CHECK(view->NodeById((*reverse)[0].arc.from)->slug == "d");  // 0.8 first
  CHECK(view->NodeById((*reverse)[2].arc.from)->slug == "a");
  CHECK(view->NodeById((*reverse)[2].arc.to)->slug == "b");  // a->b 0.6 beats a->d 0.45
}

TEST_CASE("chains are every simple path, ranked by the named rule") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto arcs = StoreArcs(*view, EdgeFilter{}, {1});
  NodeId a = Id(*view, "a"), c = Id(*view, "c"), e = Id(*view, "e");
  auto product = FindChains(*arcs, a, c, 4, 10, ChainRule::kProduct);
  REQUIRE(product.ok());
  REQUIRE(product->chains.size() == 2);
  CHECK(ChainText(*view, product->chains[0]) == "a d c");  // 0.45 x 0.8 = 0.36
  CHECK(product->chains[0].score == doctest::Approx(0.36));
  CHECK(ChainText(*view, product->chains[1]) == "a b c");  // 0.6 x 0.5 = 0.30
  CHECK(product->chains[0].confidence == doctest::Approx(0.9025 * 0.9025));
  auto min = FindChains(*arcs, a, c, 4, 10, ChainRule::kMin);
  REQUIRE(min.ok());
  CHECK(ChainText(*view, min->chains[0]) == "a b c");  // min 0.5 beats min 0.45
  CHECK(min->chains[0].score == doctest::Approx(0.5));
  auto deep = FindChains(*arcs, a, e, 3, 10, ChainRule::kProduct);
  REQUIRE(deep.ok());
  REQUIRE(deep->chains.size() == 2);
  CHECK(deep->chains[0].score == doctest::Approx(0.09));
  auto too_short = FindChains(*arcs, a, e, 2, 10, ChainRule::kProduct);
  REQUIRE(too_short.ok());
  CHECK(too_short->chains.empty());
  auto capped = FindChains(*arcs, a, c, 4, 10, ChainRule::kProduct, /*cap=*/1);
  REQUIRE(capped.ok());
  CHECK(capped->truncated);
  CHECK(capped->chains.size() == 1);
  auto limited = FindChains(*arcs, a, c, 4, 1, ChainRule::kProduct);
  REQUIRE(limited.ok());
  CHECK(limited->chains.size() == 1);
  CHECK_FALSE(limited->truncated);
  CHECK(limited->found == 2);
}

TEST_CASE("chains stay simple on cycles and follow undirected links both ways") {
  testing::TempDir dir;
  auto store = GraphStore(dir, {"x depends_on y trade s=1 r=0", "y depends_on x trade s=1 r=0",
                                "y depends_on z trade s=1 r=0", "z cooperates_with w trade"});
  auto view = store->View();
  auto arcs = StoreArcs(*view, EdgeFilter{}, {});
  auto chains = FindChains(*arcs, Id(*view, "x"), Id(*view, "w"), 6, 10, ChainRule::kProduct);
  REQUIRE(chains.ok());
  REQUIRE(chains->chains.size() == 1);
  CHECK(ChainText(*view, chains->chains[0]) == "x y z w");
  auto back = FindChains(*arcs, Id(*view, "w"), Id(*view, "z"), 6, 10, ChainRule::kProduct);
  REQUIRE(back.ok());
  CHECK(back->chains.size() == 1);
}

TEST_CASE("strongest and shortest paths") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto arcs = StoreArcs(*view, EdgeFilter{}, {1});
  NodeId a = Id(*view, "a"), c = Id(*view, "c"), e = Id(*view, "e");
  auto strongest = StrongestPath(*arcs, a, e);
  REQUIRE(strongest.ok());
  REQUIRE(strongest->has_value());
  CHECK(ChainText(*view, **strongest) == "a d c e");
  CHECK((*strongest)->score == doctest::Approx(0.09));
  auto shortest = ShortestPath(*arcs, a, c);
  REQUIRE(shortest.ok());
  REQUIRE(shortest->has_value());
  CHECK((*shortest)->arcs.size() == 2);
  CHECK(ChainText(*view, **shortest) == "a d c");  // equal hops: the stronger way
  auto none = StrongestPath(*arcs, e, a);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("impact: exposure scores, cut off without alternatives, degraded with one") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto deps = StoreArcs(*view, EdgeFilter{}, {1});
  auto subs = StoreArcs(*view, EdgeFilter{}, {2});
  auto impact = ImpactOf(*deps, *subs, Id(*view, "c"));
  REQUIRE(impact.ok());
  REQUIRE(impact->size() == 3);
  CHECK(Slugs(*view, {(*impact)[0].node, (*impact)[1].node, (*impact)[2].node}) == "d b a");
  CHECK((*impact)[0].score == doctest::Approx(0.8));
  CHECK((*impact)[2].score == doctest::Approx(0.36));  // a -> d -> c
  CHECK((*impact)[2].via.size() == 2);
  for (const auto& x : impact.value()) CHECK(x.cut_off);  // every trade route runs through c

  // A substitute for c keeps everyone supplied: degraded, not cut off.
  testing::TempDir dir2;
  auto lines = kDiamond;
  lines.push_back("f substitutes_for c trade s=0.5");
  auto store2 = GraphStore(dir2, lines);
  auto view2 = store2->View();
  auto deps2 = StoreArcs(*view2, EdgeFilter{}, {1});
  auto subs2 = StoreArcs(*view2, EdgeFilter{}, {2});
  auto impact2 = ImpactOf(*deps2, *subs2, Id(*view2, "c"));
  REQUIRE(impact2.ok());
  REQUIRE(impact2->size() == 3);
  for (const auto& x : impact2.value()) CHECK_FALSE(x.cut_off);
  // And it makes the dependency on c more replaceable: d->c 1.0 x (1 - 0.45) < 0.8.
  CHECK((*impact2)[0].score == doctest::Approx(0.549).epsilon(0.01));

  // Another provider in the same domain also leaves a dependent degraded.
  testing::TempDir dir3;
  auto store3 = GraphStore(dir3, {"x depends_on c trade s=0.5", "x depends_on g trade s=0.5",
                                  "y depends_on c trade s=0.5", "y depends_on g technology s=0.5"});
  auto view3 = store3->View();
  auto impact3 = ImpactOf(*StoreArcs(*view3, EdgeFilter{}, {1}),
                          *StoreArcs(*view3, EdgeFilter{}, {2}), Id(*view3, "c"));
  REQUIRE(impact3.ok());
  REQUIRE(impact3->size() == 2);
  CHECK(view3->NodeById((*impact3)[0].node)->slug == "y");  // cut off in trade: listed first
  CHECK((*impact3)[0].cut_off);
  CHECK((*impact3)[0].cut_domains == std::vector<int>{1});
  CHECK_FALSE((*impact3)[1].cut_off);
}

TEST_CASE("single points of failure come from the consumer's dominator tree") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto deps = StoreArcs(*view, EdgeFilter{}, {1});
  auto spof = SinglePointsOf(*deps, Id(*view, "a"));
  REQUIRE(spof.ok());
  REQUIRE(spof->size() == 1);  // b and d are alternatives; c is not
  CHECK(view->NodeById((*spof)[0].node)->slug == "c");
  CHECK(Slugs(*view, (*spof)[0].dominated) == "e");

  testing::TempDir dir2;
  auto store2 =
      GraphStore(dir2, {"p depends_on q trade", "q depends_on r trade", "q depends_on s trade",
                        "r depends_on t trade", "s depends_on t trade"});
  auto view2 = store2->View();
  auto spof2 = SinglePointsOf(*StoreArcs(*view2, EdgeFilter{}, {1}), Id(*view2, "p"));
  REQUIRE(spof2.ok());
  REQUIRE(spof2->size() == 1);
  CHECK(view2->NodeById((*spof2)[0].node)->slug == "q");
  CHECK(Slugs(*view2, (*spof2)[0].dominated) == "r s t");
}

TEST_CASE("articulation points and bridges of the whole graph") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto cut = CutStructureOf(*StoreArcs(*view, EdgeFilter{}, {}));
  REQUIRE(cut.ok());
  CHECK(Slugs(*view, cut->articulation_points) == "c");
  REQUIRE(cut->bridges.size() == 1);
  CHECK(Slugs(*view, {cut->bridges[0].first, cut->bridges[0].second}) == "c e");
}

TEST_CASE("the substitution factor is a noisy-OR of substitute strength and confidence") {
  Arc a, b;
  a.weight = 0.5f;
  a.confidence = 1.0f;
  b.weight = 0.5f;
  b.confidence = 0.5f;
  CHECK(SubstitutionOf({}) == 0);
  CHECK(SubstitutionOf({a}) == doctest::Approx(0.5));
  CHECK(SubstitutionOf({a, b}) == doctest::Approx(1 - 0.5 * 0.75));
}

}  // namespace sinew::graph
