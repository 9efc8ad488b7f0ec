// The store walk and the projection must give the same arcs and the same
// answers to every analysis, on random graphs under every kind of filter.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "graph/graph.h"
#include "graph/node_index.h"
#include "tests/support/graph_fixture.h"

namespace sinew::graph {
namespace {

std::vector<std::string> RandomGraph(unsigned seed, int n, int m) {
  std::mt19937 rng(seed);
  std::vector<std::string> lines;
  const char* types[] = {"depends_on",      "depends_on", "depends_on",
                         "substitutes_for", "causes",     "cooperates_with"};
  for (int k = 0; k < m; ++k) {
    int a = static_cast<int>(rng() % n), c = static_cast<int>(rng() % n);
    if (a == c) continue;
    std::string line = "n" + std::to_string(a) + " " + types[rng() % 6] + " n" + std::to_string(c) +
                       (rng() % 2 ? " trade" : " technology");
    line += " s=0." + std::to_string(1 + rng() % 9) + " r=0." + std::to_string(rng() % 9);
    line += " c=" + std::to_string(1 + rng() % 6);
    int from = 2000 + static_cast<int>(rng() % 20);
    line += " f=" + std::to_string(from);
    if (rng() % 2) line += " t=" + std::to_string(from + static_cast<int>(rng() % 5));
    if (rng() % 6 == 0) line += " m=projected";
    if (rng() % 5 == 0) line += " p";
    lines.push_back(line);
  }
  return lines;
}

std::vector<EdgeFilter> Filters() {
  std::vector<EdgeFilter> f(5);
  f[1].domains = {1};
  f[2].as_of = 20101231;
  f[3].include_proposed = true;
  f[3].include_scenarios = true;
  f[4].min_confidence = 0.5;
  return f;
}

std::string Text(const std::vector<Arc>& arcs) {
  std::string s;
  for (const Arc& a : arcs)
    s += std::to_string(a.from) + ">" + std::to_string(a.to) + "#" + std::to_string(a.edge) + " w" +
         std::to_string(a.weight) + " c" + std::to_string(a.confidence) + "; ";
  return s;
}

std::string Text(const std::vector<Chain>& chains) {
  std::string s;
  for (const Chain& c : chains) s += Text(c.arcs) + "| " + std::to_string(c.score) + "\n";
  return s;
}

// Impact's cut-off rule computed the plain way, for comparison. In domain d
// a node's supply is its providers there and their substitutes; U is every
// node whose supply leads to the root. A node of U is cut off when nothing
// its supply reaches without passing the root lies outside U.
std::set<std::pair<NodeId, int>> PlainCuts(const ArcSource& deps, const ArcSource& subs,
                                           NodeId root, const std::vector<Exposure>& exposed) {
  std::set<int> domains;
  for (const Exposure& e : exposed) domains.insert(e.domain);
  auto nodes = deps.Nodes();
  REQUIRE(nodes.ok());
  std::set<std::pair<NodeId, int>> cut;
  for (int d : domains) {
    std::map<NodeId, std::set<NodeId>> supply;
    for (NodeId v : *nodes) {
      std::vector<Arc> out, in;
      REQUIRE(deps.Out(v, &out).ok());
      for (const Arc& a : out) {
        if (a.domain != d) continue;
        supply[v].insert(a.to);
        REQUIRE(subs.In(a.to, &in).ok());
        for (const Arc& s : in) supply[v].insert(s.from);
      }
    }
    auto reach = [&](NodeId v) {  // everything v's supply reaches, not passing the root
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
    std::set<NodeId> upstream;
    for (NodeId v : *nodes)
      if (v != root && reach(v).count(root)) upstream.insert(v);
    for (NodeId v : upstream) {
      bool outside = false;
      for (NodeId y : reach(v)) outside = outside || (y != root && !upstream.count(y));
      if (!outside) cut.insert({v, d});
    }
  }
  return cut;
}

}  // namespace

TEST_CASE("impact's cut-offs match the rule computed the plain way") {
  size_t cuts_seen = 0, degraded_seen = 0;
  for (unsigned seed : {21u, 22u, 23u, 24u, 25u, 26u}) {
    CAPTURE(seed);
    testing::TempDir dir;
    auto store = testing::GraphStore(dir, RandomGraph(seed, 40, 260));
    auto view = store->View();
    auto deps = Projection::Build(*view, EdgeFilter{}, {1});
    auto subs = Projection::Build(*view, EdgeFilter{}, {2});
    REQUIRE(deps.ok());
    REQUIRE(subs.ok());
    auto nodes = (*deps)->Nodes();
    REQUIRE(nodes.ok());
    for (NodeId root : nodes.value()) {
      auto impact = ImpactOf(**deps, **subs, root);
      REQUIRE(impact.ok());
      std::set<std::pair<NodeId, int>> expected = PlainCuts(**deps, **subs, root, *impact);
      std::set<std::pair<NodeId, int>> got, listed;
      for (const Exposure& e : *impact) listed.insert({e.node, e.domain});
      // Cut-off is judged as if every admitted link held at once; exposure
      // lists only nodes with a time-consistent chain to the root.
      for (auto it = expected.begin(); it != expected.end();)
        it = listed.count(*it) ? std::next(it) : expected.erase(it);
      for (const Exposure& e : *impact) {
        if (e.cut_off) got.insert({e.node, e.domain});
        (e.cut_off ? cuts_seen : degraded_seen)++;
      }
      CHECK(got == expected);
    }
  }
  // The graphs exercise both outcomes.
  CHECK(cuts_seen > 20);
  CHECK(degraded_seen > 20);
}

TEST_CASE("store walk and projection list the same arcs for every node") {
  size_t domain_arcs = 0;
  for (unsigned seed : {1u, 2u, 3u}) {
    testing::TempDir dir;
    auto store = testing::GraphStore(dir, RandomGraph(seed, 30, 150));
    auto view = store->View();
    auto code = [&](const char* name) { return view->schema().FindEdgeType(name)->code; };
    uint16_t dep = code("depends_on"), sub = code("substitutes_for"), causes = code("causes"),
             coop = code("cooperates_with");
    REQUIRE_FALSE(view->schema().FindEdgeType("cooperates_with")->directed);
    using Types = std::set<uint16_t>;
    // Every type; one; a directed and an undirected one; one walked against
    // its links; three (the walk reads whole rows, not a seek per type).
    std::vector<std::pair<Types, Types>> walks = {{{}, {}},
                                                  {{dep}, {}},
                                                  {{dep, coop}, {}},
                                                  {{coop}, {}},
                                                  {{dep}, {causes}},
                                                  {{dep, sub, causes}, {}},
                                                  {{dep, causes}, {causes}}};
    for (const EdgeFilter& f : Filters()) {
      for (const auto& walk_types : walks) {
        // Not a structured binding: clang refuses those inside CAPTURE's lambda.
        const Types& types = walk_types.first;
        const Types& reversed = walk_types.second;
        CAPTURE(types.size());
        CAPTURE(reversed.size());
        auto walk = StoreArcs(*view, f, types, reversed);
        auto proj = Projection::Build(*view, f, types, reversed);
        REQUIRE(proj.ok());
        auto wn = walk->Nodes();
        auto pn = (*proj)->Nodes();
        REQUIRE(wn.ok());
        REQUIRE(pn.ok());
        CHECK(wn.value() == pn.value());
        REQUIRE(view->ForEachNode([&](const NodeRecord& n) {
                      std::vector<Arc> a, b;
                      REQUIRE(walk->Out(n.id, &a).ok());
                      REQUIRE((*proj)->Out(n.id, &b).ok());
                      CHECK(Text(a) == Text(b));
                      REQUIRE(walk->In(n.id, &a).ok());
                      REQUIRE((*proj)->In(n.id, &b).ok());
                      CHECK(Text(a) == Text(b));
                      // The arcs of one domain: the walk's filtered, the
                      // projection's lent from its copy grouped by domain
                      // (domains 0 and 1 have links, 2 none).
                      for (bool out : {true, false})
                        for (int d : {0, 1, 2}) {
                          std::vector<Arc> plain, scratch;
                          REQUIRE((out ? walk->Out(n.id, &plain) : walk->In(n.id, &plain)).ok());
                          std::erase_if(plain, [&](const Arc& x) { return x.domain != d; });
                          std::span<const Arc> w, p;
                          REQUIRE((out ? walk->OutDomainView(n.id, d, &scratch, &w)
                                       : walk->InDomainView(n.id, d, &scratch, &w))
                                      .ok());
                          CHECK(Text(plain) == Text(std::vector<Arc>(w.begin(), w.end())));
                          REQUIRE((out ? (*proj)->OutDomainView(n.id, d, nullptr, &p)
                                       : (*proj)->InDomainView(n.id, d, nullptr, &p))
                                      .ok());
                          CHECK(Text(plain) == Text(std::vector<Arc>(p.begin(), p.end())));
                          domain_arcs += plain.size();
                        }
                      return true;
                    })
                    .ok());
      }
    }
  }
  CHECK(domain_arcs > 1000);
}

TEST_CASE("a node index numbers ids in order of arrival, through every growth") {
  // Dense counters (as the store hands out) and scattered ids, with repeats.
  std::mt19937_64 rng(7);
  internal::NodeIndex index;
  std::map<NodeId, uint32_t> plain;
  std::vector<NodeId> order;
  for (int k = 0; k < 20000; ++k) {
    NodeId id = k % 3 == 0 ? rng() : static_cast<NodeId>(rng() % 5000);
    auto [n, fresh] = index.Add(id);
    auto [it, inserted] = plain.emplace(id, static_cast<uint32_t>(order.size()));
    CHECK(fresh == inserted);
    CHECK(n == it->second);
    if (inserted) order.push_back(id);
  }
  REQUIRE(index.size() == plain.size());
  CHECK(index.ids() == order);
  for (const auto& [id, n] : plain) CHECK(index.Find(id) == n);
  for (int k = 0; k < 1000; ++k) {
    NodeId id = rng() | (NodeId{1} << 63);  // not among the 5,000 or, almost surely, the rest
    CHECK(index.Contains(id) == (plain.count(id) > 0));
  }
  CHECK(internal::NodeIndex().Find(3) == internal::NodeIndex::kNone);
}

TEST_CASE("one scan projects a walk and its substitutes as two builds do") {
  for (unsigned seed : {4u, 5u}) {
    testing::TempDir dir;
    auto store = testing::GraphStore(dir, RandomGraph(seed, 30, 200));
    auto view = store->View();
    uint16_t dep = view->schema().FindEdgeType("depends_on")->code;
    uint16_t sub = view->schema().FindEdgeType("substitutes_for")->code;
    size_t substitutes_seen = 0;
    for (const EdgeFilter& f : Filters()) {
      auto both = Projection::BuildWithSubstitutes(*view, f, {dep}, {});
      auto walk = Projection::Build(*view, f, {dep});
      auto subs = Projection::Build(*view, f, {sub});
      REQUIRE(both.ok());
      REQUIRE(walk.ok());
      REQUIRE(subs.ok());
      REQUIRE(view->ForEachNode([&](const NodeRecord& n) {
                    std::vector<Arc> a, b;
                    for (bool out : {true, false}) {
                      REQUIRE((out ? both->walk->Out(n.id, &a) : both->walk->In(n.id, &a)).ok());
                      REQUIRE((out ? (*walk)->Out(n.id, &b) : (*walk)->In(n.id, &b)).ok());
                      CHECK(Text(a) == Text(b));
                      REQUIRE(
                          (out ? both->substitutes->Out(n.id, &a) : both->substitutes->In(n.id, &a))
                              .ok());
                      REQUIRE((out ? (*subs)->Out(n.id, &b) : (*subs)->In(n.id, &b)).ok());
                      CHECK(Text(a) == Text(b));
                      substitutes_seen += b.size();
                    }
                    return true;
                  })
                  .ok());
    }
    CHECK(substitutes_seen > 10);
  }
}

TEST_CASE("a projection of a few arcs among many nodes (sparse ids) lists the same arcs") {
  // 5,200 nodes, two substitutes_for arcs between the last of them: the
  // projection numbers its vertices through a hash map, not an array.
  std::vector<std::string> lines;
  for (int i = 0; i < 2600; ++i)
    lines.push_back("a" + std::to_string(i) + " depends_on b" + std::to_string(i) + " trade");
  lines.push_back("b2598 substitutes_for a2599 trade s=0.5");
  lines.push_back("a2599 substitutes_for b2599 technology s=0.7");
  testing::TempDir dir;
  auto store = testing::GraphStore(dir, lines);
  auto view = store->View();
  std::set<uint16_t> subs{2};
  auto walk = StoreArcs(*view, EdgeFilter{}, subs);
  auto proj = Projection::Build(*view, EdgeFilter{}, subs);
  REQUIRE(proj.ok());
  auto wn = walk->Nodes();
  auto pn = (*proj)->Nodes();
  REQUIRE(wn.ok());
  REQUIRE(pn.ok());
  CHECK(pn->size() == 3);
  CHECK(wn.value() == pn.value());
  std::vector<NodeId> ask = pn.value();
  ask.push_back(1);  // a0: no arc of this type
  ask.push_back(1'000'000);
  for (NodeId n : ask) {
    CAPTURE(n);
    std::vector<Arc> a, b;
    REQUIRE(walk->Out(n, &a).ok());
    REQUIRE((*proj)->Out(n, &b).ok());
    CHECK(Text(a) == Text(b));
    REQUIRE(walk->In(n, &a).ok());
    REQUIRE((*proj)->In(n, &b).ok());
    CHECK(Text(a) == Text(b));
  }
  std::vector<Arc> out;
  REQUIRE((*proj)->Out(pn->at(1), &out).ok());
  CHECK(out.size() == 1);
}

TEST_CASE("chains and shortest paths answer the same on the neighbourhood of their ends") {
  size_t with_chains = 0, with_path = 0, without_path = 0;
  for (unsigned seed : {31u, 32u, 33u, 34u}) {
    CAPTURE(seed);
    testing::TempDir dir;
    auto store = testing::GraphStore(dir, RandomGraph(seed, 30, 140));
    auto view = store->View();
    for (std::set<uint16_t> types : {std::set<uint16_t>{1}, std::set<uint16_t>{}}) {
      auto walk = StoreArcs(*view, EdgeFilter{}, types);
      auto proj = Projection::Build(*view, EdgeFilter{}, types);
      REQUIRE(proj.ok());
      auto nodes = (*proj)->Nodes();
      REQUIRE(nodes.ok());
      for (size_t i = 0; i < nodes->size(); i += 3)
        for (size_t j = 1; j < nodes->size(); j += 4) {
          NodeId a = (*nodes)[i], b = (*nodes)[j];
          CAPTURE(a);
          CAPTURE(b);
          for (int depth : {1, 2, 3, 4, 5}) {
            auto near = ChainNeighbourhood(*walk, a, b, depth, 100000);
            REQUIRE(near.ok());
            REQUIRE(near.value() != nullptr);
            auto c1 = FindChains(**near, a, b, depth, 20, ChainRule::kProduct, 50);
            auto c2 = FindChains(**proj, a, b, depth, 20, ChainRule::kProduct, 50);
            REQUIRE(c1.ok());
            REQUIRE(c2.ok());
            CHECK(Text(c1->chains) == Text(c2->chains));
            CHECK(c1->found == c2->found);
            CHECK(c1->truncated == c2->truncated);
            with_chains += c2->found > 0;
          }
          auto near = ShortestNeighbourhood(*walk, a, b, 64, 100000);
          REQUIRE(near.ok());
          REQUIRE(near.value() != nullptr);
          auto h1 = ShortestPath(**near, a, b);
          auto h2 = ShortestPath(**proj, a, b);
          REQUIRE(h1.ok());
          REQUIRE(h2.ok());
          REQUIRE(h1->has_value() == h2->has_value());
          if (h2->has_value()) {
            CHECK(Text((*h1)->arcs) == Text((*h2)->arcs));
            CHECK((*h1)->score == (*h2)->score);
            ++with_path;
          } else {
            ++without_path;
          }
        }
      // A budget too small for the neighbourhood asks for a projection.
      NodeId a = nodes->front(), b = nodes->back();
      auto small = ChainNeighbourhood(*walk, a, b, 6, 1);
      REQUIRE(small.ok());
      CHECK(small.value() == nullptr);
    }
  }
  // The pairs cover chains found, paths found and none.
  CHECK(with_chains > 20);
  CHECK(with_path > 20);
  CHECK(without_path > 5);
}

TEST_CASE("every analysis gives the same answer on the store walk and the projection") {
  for (unsigned seed : {7u, 8u, 9u, 10u}) {
    CAPTURE(seed);
    testing::TempDir dir;
    auto store = testing::GraphStore(dir, RandomGraph(seed, 25, 120));
    auto view = store->View();
    EdgeFilter f;
    std::set<uint16_t> deps{1};
    std::set<uint16_t> subs{2};
    auto walk = StoreArcs(*view, f, deps);
    auto proj = Projection::Build(*view, f, deps);
    auto walk_subs = StoreArcs(*view, f, subs);
    auto proj_subs = Projection::Build(*view, f, subs);
    REQUIRE(proj.ok());
    REQUIRE(proj_subs.ok());
    auto nodes = (*proj)->Nodes();
    REQUIRE(nodes.ok());
    for (size_t i = 0; i + 1 < nodes->size() && i < 12; ++i) {
      NodeId a = (*nodes)[i], b = (*nodes)[nodes->size() - 1 - i];
      CAPTURE(a);
      CAPTURE(b);
      for (bool reverse : {false, true}) {
        auto t1 = DependencyTree(*walk, a, reverse, 4);
        auto t2 = DependencyTree(**proj, a, reverse, 4);
        REQUIRE(t1.ok());
        REQUIRE(t2.ok());
        REQUIRE(t1->size() == t2->size());
        for (size_t k = 0; k < t1->size(); ++k) {
          CHECK((*t1)[k].arc.edge == (*t2)[k].arc.edge);
          CHECK((*t1)[k].depth == (*t2)[k].depth);
        }
      }
      auto c1 = FindChains(*walk, a, b, 5, 50, ChainRule::kProduct);
      auto c2 = FindChains(**proj, a, b, 5, 50, ChainRule::kProduct);
      REQUIRE(c1.ok());
      REQUIRE(c2.ok());
      CHECK(Text(c1->chains) == Text(c2->chains));
      CHECK(c1->found == c2->found);
      auto s1 = StrongestPath(*walk, a, b);
      auto s2 = StrongestPath(**proj, a, b);
      REQUIRE(s1.ok());
      REQUIRE(s2.ok());
      CHECK(s1->has_value() == s2->has_value());
      if (s1->has_value() && s2->has_value()) CHECK(Text((*s1)->arcs) == Text((*s2)->arcs));
      auto h1 = ShortestPath(*walk, a, b);
      auto h2 = ShortestPath(**proj, a, b);
      REQUIRE(h1.ok());
      REQUIRE(h2.ok());
      if (h1->has_value() && h2->has_value()) CHECK(Text((*h1)->arcs) == Text((*h2)->arcs));
      CHECK(h1->has_value() == h2->has_value());
      auto i1 = ImpactOf(*walk, *walk_subs, a);
      auto i2 = ImpactOf(**proj, **proj_subs, a);
      REQUIRE(i1.ok());
      REQUIRE(i2.ok());
      REQUIRE(i1->size() == i2->size());
      for (size_t k = 0; k < i1->size(); ++k) {
        CHECK((*i1)[k].node == (*i2)[k].node);
        CHECK((*i1)[k].cut_off == (*i2)[k].cut_off);
        CHECK(Text((*i1)[k].via) == Text((*i2)[k].via));
      }
      // A walk that projects once it has read no node, a few, or never:
      // the same exposures as the store's walk, asked once or twice.
      for (size_t budget : {size_t{0}, size_t{3}, size_t{1} << 20}) {
        CAPTURE(budget);
        WalkAndSubstitutes mixed = StoreArcsOrProjections(*view, f, deps, {}, budget);
        for (int ask = 0; ask < 2; ++ask) {
          auto i3 = ImpactOf(*mixed.walk, *mixed.substitutes, a);
          REQUIRE(i3.ok());
          REQUIRE(i3->size() == i1->size());
          for (size_t k = 0; k < i1->size(); ++k) {
            CHECK((*i3)[k].node == (*i1)[k].node);
            CHECK((*i3)[k].cut_off == (*i1)[k].cut_off);
            CHECK((*i3)[k].score == (*i1)[k].score);
            CHECK(Text((*i3)[k].via) == Text((*i1)[k].via));
          }
        }
        auto n1 = mixed.walk->Nodes();
        REQUIRE(n1.ok());
        CHECK(*n1 == *nodes);
      }
      auto d1 = SinglePointsOf(*walk, *walk_subs, a);
      auto d2 = SinglePointsOf(**proj, **proj_subs, a);
      REQUIRE(d1.ok());
      REQUIRE(d2.ok());
      REQUIRE(d1->size() == d2->size());
      for (size_t k = 0; k < d1->size(); ++k) {
        REQUIRE((*d1)[k].points.size() == (*d2)[k].points.size());
        for (size_t j = 0; j < (*d1)[k].points.size(); ++j) {
          CHECK((*d1)[k].points[j].node == (*d2)[k].points[j].node);
          CHECK(Text((*d1)[k].points[j].via) == Text((*d2)[k].points[j].via));
        }
      }
    }
    auto cs1 = CutStructureOf(*walk);
    auto cs2 = CutStructureOf(**proj);
    REQUIRE(cs1.ok());
    REQUIRE(cs2.ok());
    CHECK(cs1->articulation_points == cs2->articulation_points);
    CHECK(cs1->bridges == cs2->bridges);
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
