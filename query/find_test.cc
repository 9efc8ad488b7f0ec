#include <doctest/doctest.h>

#include "query/query.h"
#include "query/render.h"
#include "tests/support/temp_dir.h"

namespace sinew::query {
namespace {

const char* kSchema = R"({
  "node_types": {"state": "", "company": ""},
  "edge_types": {"depends_on": {"forward": "depends on", "reverse": "is depended on by"}},
  "domains": {"technology": ""}
})";

NodeDraft Node(const std::string& slug, const std::string& type, const std::string& name,
               std::vector<std::string> aliases) {
  NodeDraft n;
  n.slug = slug;
  n.type = type;
  n.name = name;
  n.aliases = std::move(aliases);
  return n;
}

std::unique_ptr<Store> Fixture(const testing::TempDir& dir, Marking marking = Marking::kClear) {
  auto store = Store::Create(dir / "db", kSchema, "schema");
  REQUIRE(store.ok());
  Batch b;
  b.file = "f.json";
  b.source.slug = "ref";
  b.source.title = "reference";
  b.source.marking = marking;
  b.nodes = {Node("russia", "state", "Russia", {"Russian Federation", "Россия", "RF"}),
             Node("china", "state", "China", {"PRC", "People's Republic of China"}),
             Node("rusal", "company", "RUSAL", {"United Company RUSAL"}),
             Node("georgia-state", "state", "Georgia", {}),
             Node("georgia-co", "company", "Georgia", {})};
  EdgeDraft e;
  e.src = "russia";
  e.type = "depends_on";
  e.dst = "china";
  e.domain = "technology";
  EvidenceDraft ev;
  ev.quote = "q";
  e.evidence.push_back(ev);
  b.edges.push_back(e);
  REQUIRE((*store)->Apply(b).ok());
  return std::move(store).value();
}

}  // namespace

TEST_CASE("nodes resolve by slug, by name and by alias in any script") {
  testing::TempDir dir;
  auto store = Fixture(dir);
  auto view = store->View();
  EdgeFilter f;
  for (const char* ref : {"russia", "Russia", "RUSSIAN FEDERATION", "россия", "RF"}) {
    CAPTURE(ref);
    auto n = ResolveNode(*view, ref, f);
    REQUIRE(n.ok());
    CHECK(n->slug == "russia");
  }
  CHECK(ResolveNode(*view, "people’s republic of china", f)->slug == "china");
}

TEST_CASE("an ambiguous name lists its candidates, an unknown one suggests near misses") {
  testing::TempDir dir;
  auto store = Fixture(dir);
  auto view = store->View();
  EdgeFilter f;
  auto amb = ResolveNode(*view, "Georgia", f);
  REQUIRE_FALSE(amb.ok());
  CHECK(amb.status().message().find("georgia-co (company)") != std::string::npos);
  CHECK(amb.status().message().find("georgia-state (state)") != std::string::npos);
  auto miss = ResolveNode(*view, "Rusia", f);
  REQUIRE_FALSE(miss.ok());
  CHECK(miss.status().message().find("did you mean: russia") != std::string::npos);
}

TEST_CASE("find ranks exact names above prefixes above word matches") {
  testing::TempDir dir;
  auto store = Fixture(dir);
  auto view = store->View();
  EdgeFilter f;
  auto m = FindNodes(*view, "rus", 10, f);
  REQUIRE(m.ok());
  REQUIRE(m->size() >= 2);
  std::vector<std::string> slugs;
  for (const auto& x : m.value()) slugs.push_back(x.node.slug);
  CHECK(std::find(slugs.begin(), slugs.end(), "russia") != slugs.end());
  CHECK(std::find(slugs.begin(), slugs.end(), "rusal") != slugs.end());
  auto exact = FindNodes(*view, "RUSAL", 10, f);
  REQUIRE(exact.ok());
  CHECK(exact->front().node.slug == "rusal");
  CHECK(exact->front().score == doctest::Approx(1.0));
  auto word = FindNodes(*view, "republic", 10, f);
  REQUIRE(word.ok());
  REQUIRE_FALSE(word->empty());
  CHECK(word->front().node.slug == "china");
  auto typo = FindNodes(*view, "chna", 10, f);
  REQUIRE(typo.ok());
  REQUIRE_FALSE(typo->empty());
  CHECK(typo->front().node.slug == "china");
}

TEST_CASE("nodes asserted only above clearance are not found") {
  testing::TempDir dir;
  auto store = Fixture(dir, Marking::kRed);
  auto view = store->View();
  EdgeFilter green;
  green.clearance = Marking::kGreen;
  CHECK_FALSE(ResolveNode(*view, "rusal", green).ok());
  auto m = FindNodes(*view, "rusal", 10, green);
  REQUIRE(m.ok());
  CHECK(m->empty());
  EdgeFilter red;
  CHECK(ResolveNode(*view, "rusal", red).ok());
}

TEST_CASE("a node card lists links both ways with their evidence") {
  testing::TempDir dir;
  auto store = Fixture(dir);
  auto view = store->View();
  auto card = ShowNode(*view, "china", EdgeFilter{});
  REQUIRE(card.ok());
  CHECK(card->out.empty());
  REQUIRE(card->in.size() == 1);
  CHECK(card->in[0].src_slug == "russia");
  CHECK(card->in[0].reverse == "is depended on by");
  CHECK(card->in[0].evidence.size() == 1);
  auto json = NodeCardJson(card.value());
  CHECK(json["in"][0]["src"] == "russia");
  CHECK(json["in"][0]["evidence"][0]["source"] == "ref");
}

TEST_CASE("--known-at shows what the evidence recorded by then supports") {
  testing::TempDir dir;
  auto store = Fixture(dir);  // recorded with an empty recorded_at: before any date
  Batch later;
  later.file = "later.json";
  later.source.slug = "later";
  later.source.title = "later";
  later.source.reliability = "A";
  later.recorded_at = "2026-06-01T09:00:00Z";
  later.nodes.push_back(Node("huawei", "company", "Huawei", {}));
  EdgeDraft e;
  e.src = "russia";
  e.type = "depends_on";
  e.dst = "china";
  e.domain = "technology";
  EvidenceDraft ev;
  ev.quote = "a later, stronger word";
  ev.credibility = 1;
  e.evidence.push_back(ev);
  later.edges.push_back(e);
  REQUIRE(store->Apply(later).ok());
  auto view = store->View();
  graph::FilterSettings settings;
  settings.known_at = "2026-03";
  auto before = graph::MakeFilter(view->schema(), settings);
  REQUIRE(before.ok());
  auto card = ShowNode(*view, "china", before.value());
  REQUIRE(card.ok());
  REQUIRE(card->in.size() == 1);
  CHECK(card->in[0].evidence.size() == 1);  // the June record is not yet known in March
  auto now = ShowNode(*view, "china", EdgeFilter{});
  REQUIRE(now.ok());
  CHECK(now->in[0].evidence.size() == 2);
  CHECK(now->in[0].rec.q.confidence > card->in[0].rec.q.confidence);
  CHECK_FALSE(ResolveNode(*view, "huawei", before.value()).ok());  // asserted in June
  CHECK(ResolveNode(*view, "huawei", EdgeFilter{}).ok());
  settings.known_at = "March";
  CHECK_FALSE(graph::MakeFilter(view->schema(), settings).ok());
  // The walk sees the same: before June the edge rests on the first record only.
  auto arcs = graph::StoreArcs(*view, before.value(), {});
  std::vector<graph::Arc> out;
  REQUIRE(arcs->Out(view->NodeBySlug("russia")->id, &out).ok());
  REQUIRE(out.size() == 1);
  CHECK(out[0].confidence == doctest::Approx(card->in[0].rec.q.confidence));
}

}  // namespace sinew::query

namespace sinew::query {

TEST_CASE("a session's projection cache reuses a projection only for the very same filter") {
  testing::TempDir dir;
  auto store = Fixture(dir);
  auto view = store->View();
  ProjectionCache cache;
  EdgeFilter f;
  f.min_confidence = 0.1234561;
  auto a = cache.Get(*view, f, {});
  auto again = cache.Get(*view, f, {});
  REQUIRE(a.ok());
  REQUIRE(again.ok());
  CHECK(a->get() == again->get());
  EdgeFilter close = f;
  close.min_confidence = 0.1234562;  // equal to six decimals, still another filter
  auto b = cache.Get(*view, close, {});
  REQUIRE(b.ok());
  CHECK(b->get() != a->get());
  auto typed = cache.Get(*view, f, {1});
  REQUIRE(typed.ok());
  CHECK(typed->get() != a->get());
  cache.Clear();
  auto rebuilt = cache.Get(*view, f, {});
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->get() != a->get());  // built afresh, not the one dropped
}

}  // namespace sinew::query
