// Each analysis on a small graph whose answers are worked out by hand here.
#include <doctest/doctest.h>

#include <map>

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

// The confidence of one link backed by one A1 record.
constexpr double kC = 0.95 * 0.95;

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
  // A link's score is its weight times its confidence (its expected weight).
  CHECK(ChainText(*view, product->chains[0]) == "a d c");  // 0.45 x 0.8 = 0.36
  CHECK(product->chains[0].score == doctest::Approx(0.36 * kC * kC));
  CHECK(product->chains[0].weight == doctest::Approx(0.36));
  CHECK(ChainText(*view, product->chains[1]) == "a b c");  // 0.6 x 0.5 = 0.30
  CHECK(product->chains[0].confidence == doctest::Approx(kC * kC));
  auto min = FindChains(*arcs, a, c, 4, 10, ChainRule::kMin);
  REQUIRE(min.ok());
  CHECK(ChainText(*view, min->chains[0]) == "a b c");  // min 0.5 beats min 0.45
  CHECK(min->chains[0].score == doctest::Approx(0.5 * kC));
  auto deep = FindChains(*arcs, a, e, 3, 10, ChainRule::kProduct);
  REQUIRE(deep.ok());
  REQUIRE(deep->chains.size() == 2);
  CHECK(deep->chains[0].score == doctest::Approx(0.09 * kC * kC * kC));
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

TEST_CASE("a rumour does not outrank a confirmed link, and weight and confidence are both shown") {
  testing::TempDir dir;
  // x->y is said to be total but only an E5 rumour backs it; x->z is a
  // moderate link from a reliable, confirmed source.
  auto store =
      GraphStore(dir, {"x depends_on y trade s=1 r=0 c=5", "x depends_on z trade s=0.5 r=0",
                       "y depends_on w trade s=1 r=0", "z depends_on w trade s=1 r=0"});
  auto view = store->View();
  auto arcs = StoreArcs(*view, EdgeFilter{}, {1});
  auto chains = FindChains(*arcs, Id(*view, "x"), Id(*view, "w"), 4, 10, ChainRule::kProduct);
  REQUIRE(chains.ok());
  REQUIRE(chains->chains.size() == 2);
  CHECK(ChainText(*view, chains->chains[0]) == "x z w");
  CHECK(chains->chains[1].weight > chains->chains[0].weight);  // stronger, if it were true
  CHECK(chains->chains[1].confidence < 0.5 * chains->chains[0].confidence);
  auto strongest = StrongestPath(*arcs, Id(*view, "x"), Id(*view, "w"));
  REQUIRE(strongest.ok());
  REQUIRE(strongest->has_value());
  CHECK(ChainText(*view, **strongest) == "x z w");
  // Nor is a rumoured second provider a way round the first: cutting z cuts
  // x off, in impact and in its single points of failure, unless asked to
  // count weak links too.
  auto subs = StoreArcs(*view, EdgeFilter{}, {2});
  auto impact = ImpactOf(*arcs, *subs, Id(*view, "z"), nullptr, SIZE_MAX, 0.3);
  REQUIRE(impact.ok());
  REQUIRE(impact->size() == 1);
  CHECK((*impact)[0].cut_off);
  auto lenient = ImpactOf(*arcs, *subs, Id(*view, "z"));
  REQUIRE(lenient.ok());
  CHECK_FALSE((*lenient)[0].cut_off);
  auto spof = SinglePointsOf(*arcs, *subs, Id(*view, "x"), 5000, nullptr, 0.3);
  REQUIRE(spof.ok());
  REQUIRE(spof->size() == 1);
  std::string points;
  for (const SinglePoint& p : (*spof)[0].points) points += view->NodeById(p.node)->slug + " ";
  CHECK(points == "z w ");
}

TEST_CASE("a chain's links must have held at the same time") {
  testing::TempDir dir;
  // a->b held 2001-2003, b->c from 2010: no chain a-b-c ever existed. a->d
  // and d->c overlap in 2005-2006.
  auto store = GraphStore(
      dir,
      {"a depends_on b trade s=1 r=0 f=2001 t=2003", "b depends_on c trade s=1 r=0 f=2010",
       "a depends_on d trade s=0.3 r=0 f=2000 t=2006", "d depends_on c trade s=0.3 r=0 f=2005"});
  auto view = store->View();
  auto arcs = StoreArcs(*view, EdgeFilter{}, {1});
  NodeId a = Id(*view, "a"), c = Id(*view, "c");
  auto chains = FindChains(*arcs, a, c, 4, 10, ChainRule::kProduct);
  REQUIRE(chains.ok());
  REQUIRE(chains->chains.size() == 1);
  CHECK(ChainText(*view, chains->chains[0]) == "a d c");
  CHECK(chains->chains[0].span.from == 20050101);
  CHECK(chains->chains[0].span.to == 20061231);
  auto strongest = StrongestPath(*arcs, a, c);
  REQUIRE(strongest.ok());
  REQUIRE(strongest->has_value());
  CHECK(ChainText(*view, **strongest) == "a d c");
  auto shortest = ShortestPath(*arcs, a, c);
  REQUIRE(shortest.ok());
  REQUIRE(shortest->has_value());
  CHECK(ChainText(*view, **shortest) == "a d c");
  // Impact on c reaches a only through d, and only for 2005-2006.
  auto impact = ImpactOf(*arcs, *StoreArcs(*view, EdgeFilter{}, {2}), c);
  REQUIRE(impact.ok());
  bool saw_a = false;
  for (const Exposure& x : *impact)
    if (x.node == a) {
      saw_a = true;
      CHECK(x.span.from == 20050101);
      CHECK(x.score == doctest::Approx(0.09 * kC * kC));
    }
  CHECK(saw_a);
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
  CHECK((*strongest)->score == doctest::Approx(0.09 * kC * kC * kC));
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
  CHECK((*impact)[0].score == doctest::Approx(0.8 * kC));
  CHECK((*impact)[0].confidence == doctest::Approx(kC));
  CHECK((*impact)[2].score == doctest::Approx(0.36 * kC * kC));  // a -> d -> c
  REQUIRE((*impact)[2].via.size() == 2);
  CHECK(view->NodeById((*impact)[2].via[0].from)->slug == "a");  // from the exposed node
  CHECK(view->NodeById((*impact)[2].via[1].to)->slug == "c");    // to the root
  for (const auto& x : impact.value()) {
    CHECK(x.cut_off);  // every trade route runs through c
    CHECK(x.domain == 1);
  }

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
  CHECK((*impact2)[0].score == doctest::Approx(0.549 * kC).epsilon(0.01));

  // Another provider in the same domain leaves a dependent degraded; one in
  // another domain does not help.
  testing::TempDir dir3;
  auto store3 = GraphStore(dir3, {"x depends_on c trade s=0.5", "x depends_on g trade s=0.5",
                                  "y depends_on c trade s=0.5", "y depends_on g technology s=0.5",
                                  "y depends_on c technology s=0.4"});
  auto view3 = store3->View();
  auto impact3 = ImpactOf(*StoreArcs(*view3, EdgeFilter{}, {1}),
                          *StoreArcs(*view3, EdgeFilter{}, {2}), Id(*view3, "c"));
  REQUIRE(impact3.ok());
  REQUIRE(impact3->size() == 3);  // x in trade, y in trade and in technology
  std::map<std::string, bool> cut;
  for (const Exposure& x : *impact3)
    cut[view3->NodeById(x.node)->slug + "/" + std::to_string(x.domain)] = x.cut_off;
  CHECK(cut == std::map<std::string, bool>{{"x/1", false}, {"y/1", true}, {"y/2", false}});
  CHECK(view3->NodeById((*impact3)[2].node)->slug == "y");  // technology 0.4: the weakest
  CHECK((*impact3)[2].domain == 2);

  // A ring of mutual dependence does not supply itself: p and q both need c
  // or each other, so both are cut off.
  testing::TempDir dir4;
  auto store4 =
      GraphStore(dir4, {"p depends_on q trade", "q depends_on p trade", "q depends_on c trade",
                        "r depends_on c trade", "r depends_on s trade"});
  auto view4 = store4->View();
  auto impact4 = ImpactOf(*StoreArcs(*view4, EdgeFilter{}, {1}),
                          *StoreArcs(*view4, EdgeFilter{}, {2}), Id(*view4, "c"));
  REQUIRE(impact4.ok());
  std::map<std::string, bool> cut4;
  for (const Exposure& x : *impact4) cut4[view4->NodeById(x.node)->slug] = x.cut_off;
  CHECK(cut4 == std::map<std::string, bool>{{"p", true}, {"q", true}, {"r", false}});
}

TEST_CASE("single points of failure: the nodes whose loss cuts the consumer off") {
  testing::TempDir dir;
  auto store = GraphStore(dir, kDiamond);
  auto view = store->View();
  auto deps = StoreArcs(*view, EdgeFilter{}, {1});
  auto subs = StoreArcs(*view, EdgeFilter{}, {2});
  auto spof = SinglePointsOf(*deps, *subs, Id(*view, "a"));
  REQUIRE(spof.ok());
  REQUIRE(spof->size() == 1);  // a depends in trade only
  const SinglePointSearch& trade = (*spof)[0];
  CHECK(trade.providers == 2);
  CHECK(trade.reachable == 3);  // b, d, c; e is supplied in technology
  CHECK(trade.complete);
  REQUIRE(trade.points.size() == 1);  // b and d are alternatives; c is not
  CHECK(view->NodeById(trade.points[0].node)->slug == "c");
  CHECK_FALSE(trade.points[0].direct);
  REQUIRE(trade.points[0].via.size() == 2);  // the strongest way there: a -> d -> c
  CHECK(view->NodeById(trade.points[0].via[0].to)->slug == "d");

  testing::TempDir dir2;
  auto store2 =
      GraphStore(dir2, {"p depends_on q trade", "q depends_on r trade", "q depends_on s trade",
                        "r depends_on t trade", "s depends_on t trade", "p depends_on u technology",
                        "v substitutes_for u technology"});
  auto view2 = store2->View();
  auto spof2 = SinglePointsOf(*StoreArcs(*view2, EdgeFilter{}, {1}),
                              *StoreArcs(*view2, EdgeFilter{}, {2}), Id(*view2, "p"));
  REQUIRE(spof2.ok());
  REQUIRE(spof2->size() == 2);
  std::string points;
  for (const SinglePoint& x : (*spof2)[0].points)
    points += view2->NodeById(x.node)->slug + (x.direct ? "* " : " ");
  CHECK(points == "q* t ");  // q directly, t because r and s both need it
  CHECK((*spof2)[1].domain == 2);
  CHECK((*spof2)[1].points.empty());  // u has a substitute
  CHECK((*spof2)[1].providers == 2);

  // A budget smaller than what the consumer reaches says the search is partial.
  auto partial = SinglePointsOf(*StoreArcs(*view2, EdgeFilter{}, {1}),
                                *StoreArcs(*view2, EdgeFilter{}, {2}), Id(*view2, "p"), 2);
  REQUIRE(partial.ok());
  CHECK_FALSE((*partial)[0].complete);
  CHECK((*partial)[0].searched == 2);
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
