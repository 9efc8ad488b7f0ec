#include "store/store.h"

#include <doctest/doctest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "tests/support/temp_dir.h"

namespace sinew {
namespace {

using testing::TempDir;

const char* kSchema = R"({
  "node_types": {"state": "", "company": "", "project": "", "technology": ""},
  "edge_types": {
    "depends_on": {"src": ["state", "company", "project"], "dst": ["*"],
                   "forward": "depends on", "reverse": "is depended on by"},
    "cooperates_with": {"directed": false, "src": ["state", "company"], "dst": ["state", "company"]},
    "develops": {"src": ["state", "company"], "dst": ["project", "technology"]}
  },
  "domains": {"technology": "", "trade": ""},
  "source_kinds": {"briefing": ""}
})";

std::unique_ptr<Store> NewStore(const TempDir& dir) {
  auto s = Store::Create(dir / "db", kSchema, "test-schema");
  REQUIRE(s.ok());
  return std::move(s).value();
}

std::string Dump(const Store& s) {
  std::ostringstream out;
  REQUIRE(s.View()->Dump(out).ok());
  return out.str();
}

// The store's RocksDB opened directly, every family, to change it behind
// sinew's back (or read what sinew does not show).
struct RawDb {
  explicit RawDb(const std::string& dir, bool read_only = false) {
    rocksdb::DBOptions opts;
    REQUIRE(rocksdb::DB::ListColumnFamilies(opts, dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(opts, dir, cfs, &handles, &db)
                                  : rocksdb::DB::Open(opts, dir, cfs, &handles, &db);
    REQUIRE(s.ok());
  }
  ~RawDb() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  rocksdb::ColumnFamilyHandle* Family(const std::string& name) const {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return handles[i];
    FAIL("no family " << name);
    return nullptr;
  }
  // Deletes the first key at or after `from` in `family`, which must start with it.
  void DeleteFirst(const std::string& family, const std::string& from) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), Family(family)));
    it->Seek(from);
    REQUIRE(it->Valid());
    REQUIRE(it->key().starts_with(from));
    REQUIRE(db->Delete(rocksdb::WriteOptions(), Family(family), it->key()).ok());
  }
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
};

NodeDraft Node(const std::string& slug, const std::string& type, const std::string& name = "") {
  NodeDraft n;
  n.slug = slug;
  n.type = type;
  n.name = name;
  return n;
}

EvidenceDraft Ev(const std::string& key, const std::string& quote) {
  EvidenceDraft e;
  e.key = key;
  e.quote = quote;
  e.credibility = 2;
  return e;
}

EdgeDraft Edge(const std::string& src, const std::string& type, const std::string& dst,
               const std::string& domain, std::vector<EvidenceDraft> ev) {
  EdgeDraft e;
  e.src = src;
  e.type = type;
  e.dst = dst;
  e.domain = domain;
  e.evidence = std::move(ev);
  return e;
}

Batch Note(const std::string& slug) {
  Batch b;
  b.file = slug + ".json";
  b.source.slug = slug;
  b.source.title = "Note " + slug;
  b.source.kind = "briefing";
  b.source.reliability = "B";
  b.recorded_at = "2026-01-01T00:00:00Z";
  b.analyst = "tester";
  return b;
}

// Russia depends on China for technology; China and Russia cooperate.
Batch BaseNote() {
  Batch b = Note("base");
  b.nodes = {Node("russia", "state", "Russia"), Node("china", "state", "China"),
             Node("huawei", "company", "Huawei")};
  b.nodes[0].aliases = {"Russian Federation"};
  b.edges.push_back(Edge("russia", "depends_on", "china", "technology",
                         {Ev("dep", "Russia leans on Chinese electronics.")}));
  b.edges.push_back(Edge("russia", "cooperates_with", "china", "technology",
                         {Ev("coop", "They work together on ICT.")}));
  b.edges.push_back(Edge("russia", "depends_on", "huawei", "technology",
                         {Ev("hw", "Russian telecoms buy Huawei kit.")}));
  return b;
}

std::string ApplyError(Store& s, const Batch& b) {
  Result<ApplyReport> r = s.Apply(b);
  REQUIRE_FALSE(r.ok());
  return r.status().ToString();
}

}  // namespace

TEST_CASE("every record kind survives a round trip through the store") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch b = BaseNote();
  b.source.authors = {"A. Author", "B. Author"};
  b.source.publisher = "Publisher";
  b.source.published = "2021-12-01";
  b.source.url = "https://example.org/note";
  b.source.marking = Marking::kGreen;
  b.source.text = "The full text of the note.";
  b.source.props["summarises"] = "Seminar 3";
  b.content_hash = "abc123";
  b.nodes[0].props["iso"] = "RU";
  EvidenceDraft& e = b.edges[0].evidence[0];
  e.paraphrase = true;
  e.locator.section = "Technology";
  e.locator.paragraph = 2;
  e.locator.start = 4;
  e.locator.end = 20;
  e.stance = Stance::kSupports;
  e.valid_from = "2018";
  e.valid_to = "2021-09";
  e.modality = Modality::kObserved;
  e.strength = 0.7;
  e.replaceability = 0.25;
  e.reliability = "A";
  e.credibility = 1;
  e.marking = Marking::kAmber;
  e.basis = "few alternatives named";
  ObservationDraft o;
  o.subject = "china";
  o.object = "russia";
  o.metric = "share_of_trade";
  o.unit = "%";
  o.period = "2021";
  o.low = 20;
  o.high = 25;
  o.evidence = Ev("share", "A fifth to a quarter.");
  b.observations.push_back(o);
  REQUIRE(store->Apply(b).ok());

  auto view = store->View();
  auto russia = view->NodeBySlug("russia");
  REQUIRE(russia.ok());
  CHECK(russia->name == "Russia");
  CHECK(russia->type == "state");
  CHECK(russia->aliases == std::vector<std::string>{"Russian Federation"});
  CHECK(russia->props["iso"] == "RU");

  auto src = view->SourceBySlug("base", true);
  REQUIRE(src.ok());
  CHECK(src->authors.size() == 2);
  CHECK(src->published == "2021-12-01");
  CHECK(src->marking == Marking::kGreen);
  CHECK(src->text == "The full text of the note.");
  CHECK(src->props["summarises"] == "Seminar 3");
  CHECK(src->content_hash == "abc123");

  std::vector<AdjacencyEntry> out;
  REQUIRE(view->ForEachAdjacent(russia->id, Direction::kOut, 0,
                                [&](const AdjacencyEntry& a) {
                                  out.push_back(a);
                                  return true;
                                })
              .ok());
  // The undirected cooperation is stored once, from the smaller slug (china).
  REQUIRE(out.size() == 2);
  auto china = view->NodeBySlug("china");
  const AdjacencyEntry* dep = nullptr;
  for (const auto& a : out)
    if (a.other == china->id && a.type == view->schema().FindEdgeType("depends_on")->code) dep = &a;
  REQUIRE(dep != nullptr);
  CHECK(dep->from == 20180101);
  CHECK(dep->to == 20210930);
  CHECK(dep->marking_lo == Marking::kAmber);
  CHECK(dep->modality == Modality::kObserved);

  auto edge = view->EdgeById(dep->edge);
  REQUIRE(edge.ok());
  CHECK(edge->q.weight == doctest::Approx(0.7 * 0.75));
  auto ev = view->EvidenceOf(TargetKind::kEdge, dep->edge);
  REQUIRE(ev.ok());
  REQUIRE(ev->size() == 1);
  const EvidenceRecord& r = ev->front();
  CHECK(r.quote == "Russia leans on Chinese electronics.");
  CHECK(r.paraphrase);
  CHECK(r.locator.ToString() == "Technology ¶2 [4..20]");
  CHECK(r.valid_to == "2021-09");
  CHECK(r.strength == doctest::Approx(0.7));
  CHECK(r.reliability == "A");
  CHECK(r.credibility == 1);
  CHECK(r.marking == Marking::kAmber);
  CHECK(r.basis == "few alternatives named");
  CHECK(r.analyst == "tester");
  CHECK(r.recorded_at == "2026-01-01T00:00:00Z");
  auto byid = view->EvidenceById(r.id);
  REQUIRE(byid.ok());
  CHECK(byid->quote == r.quote);

  auto obs = view->ObservationsOf(china->id);
  REQUIRE(obs.ok());
  REQUIRE(obs->size() == 1);
  CHECK(obs->front().low == 20);
  CHECK(obs->front().high == 25);
  CHECK(obs->front().object == russia->id);
  CHECK(obs->front().unit == "%");

  auto check = view->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());
}

TEST_CASE("each schema violation gets its own error naming the place") {
  TempDir dir;
  auto store = NewStore(dir);
  REQUIRE(store->Apply(BaseNote()).ok());
  const std::string before = Dump(*store);

  auto with = [](auto mutate) {
    Batch b = BaseNote();
    b.file = "bad.json";
    mutate(b);
    return b;
  };
  struct Case {
    const char* name;
    Batch batch;
    const char* expect;
  };
  std::vector<Case> cases = {
      {"unknown node type", with([](Batch& b) { b.nodes.push_back(Node("x", "planet")); }),
       "unknown node type 'planet'"},
      {"unknown edge type", with([](Batch& b) { b.edges[0].type = "loves"; }),
       "unknown edge type 'loves'"},
      {"endpoint type", with([](Batch& b) {
         b.edges.push_back(Edge("china", "develops", "russia", "technology", {Ev("k", "q")}));
       }),
       "cannot end at a state"},
      {"domain", with([](Batch& b) { b.edges[0].domain = "space"; }), "unknown domain 'space'"},
      {"date", with([](Batch& b) { b.edges[0].evidence[0].valid_from = "2021-13"; }),
       "bad date '2021-13'"},
      {"date order", with([](Batch& b) {
         b.edges[0].evidence[0].valid_from = "2021";
         b.edges[0].evidence[0].valid_to = "2019";
       }),
       "is after valid_to"},
      {"reliability", with([](Batch& b) { b.edges[0].evidence[0].reliability = "G"; }),
       "bad reliability grade 'G'"},
      {"credibility", with([](Batch& b) { b.edges[0].evidence[0].credibility = 7; }),
       "bad credibility grade 7"},
      {"strength", with([](Batch& b) { b.edges[0].evidence[0].strength = 1.5; }),
       "strength must be between 0 and 1"},
      {"source kind", with([](Batch& b) { b.source.kind = "rumour"; }),
       "unknown source kind 'rumour'"},
      {"unknown node", with([](Batch& b) { b.edges[0].dst = "atlantis"; }),
       "unknown node 'atlantis'"},
      {"self loop", with([](Batch& b) { b.edges[0].dst = "russia"; }), "to itself"},
      {"type change", with([](Batch& b) { b.nodes[2].type = "state"; }),
       "is a company in the store"},
      {"bad slug", with([](Batch& b) { b.nodes.push_back(Node("Not A Slug", "state")); }),
       "must be a slug"},
      {"no evidence", with([](Batch& b) { b.edges[0].evidence.clear(); }), "has no evidence"},
      {"empty quote", with([](Batch& b) { b.edges[0].evidence[0].quote = ""; }), "needs a quote"},
  };
  for (auto& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    c.batch.edges[0].place.file = "bad.json";
    std::string err = ApplyError(*store, c.batch);
    CHECK(err.find(c.expect) != std::string::npos);
    // A failed apply writes nothing at all.
    CHECK(Dump(*store) == before);
  }
}

TEST_CASE("errors carry the draft's place: file, line and column") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch b = BaseNote();
  b.edges[0].domain = "space";
  b.edges[0].where.fields["domain"] = SourcePlace{"note.json", 12, 7, "/edges/0/domain"};
  Result<ApplyReport> r = store->Apply(b);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().place().line == 12);
  CHECK(r.status().ToString().rfind("note.json:12:7: unknown domain 'space'", 0) == 0);
}

TEST_CASE("re-ingesting a revised source replaces what it asserted and keeps decisions") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch v1 = BaseNote();
  v1.edges[1].evidence.push_back(Ev("coop2", "A second word on cooperation."));
  v1.edges[1].evidence[1].status = EvidenceStatus::kProposed;
  REQUIRE(store->Apply(v1).ok());
  EvidenceId coop2 = 0;
  REQUIRE(store->View()
              ->ForEachEvidence([&](const EvidenceRecord& e) {
                if (e.key == "coop2") coop2 = e.id;
                return true;
              })
              .ok());
  REQUIRE(coop2 != 0);
  REQUIRE(store->Decide(coop2, EvidenceStatus::kAccepted, "reviewer", "2026-02-02").ok());

  // Version 2 withdraws the Huawei claim and the Huawei node, keeps the rest.
  Batch v2 = v1;
  v2.nodes.pop_back();
  v2.edges.pop_back();
  auto report = store->Apply(v2);
  REQUIRE(report.ok());
  CHECK(report->replaced);
  CHECK(report->edges_removed == 1);
  CHECK(report->nodes_removed == 1);
  CHECK(report->evidence_removed == 1);
  CHECK(report->decisions_kept == 1);

  auto view = store->View();
  CHECK(view->NodeBySlug("huawei").status().code() == Status::Code::kNotFound);
  auto kept = view->EvidenceById(coop2);
  REQUIRE(kept.ok());
  CHECK(kept->status == EvidenceStatus::kAccepted);
  CHECK(kept->decided_by == "reviewer");
  // The Huawei name is gone from the index too.
  bool found = false;
  REQUIRE(view->ForEachName("huawei",
                            [&](const std::string&, NodeId) {
                              found = true;
                              return false;
                            })
              .ok());
  CHECK_FALSE(found);
  auto check = view->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());
  auto stats = view->Stats();
  REQUIRE(stats.ok());
  CHECK(stats->nodes == 2);
  CHECK(stats->edges == 2);
  CHECK(stats->evidence == 3);
}

TEST_CASE("a node another source still uses outlives its first source's withdrawal") {
  TempDir dir;
  auto store = NewStore(dir);
  REQUIRE(store->Apply(BaseNote()).ok());
  Batch other = Note("other");
  other.edges.push_back(
      Edge("huawei", "cooperates_with", "china", "technology", {Ev("k", "Huawei and China.")}));
  REQUIRE(store->Apply(other).ok());
  Batch v2 = BaseNote();
  v2.nodes.pop_back();
  v2.edges.pop_back();
  REQUIRE(store->Apply(v2).ok());
  auto view = store->View();
  auto huawei = view->NodeBySlug("huawei");
  REQUIRE(huawei.ok());
  CHECK(huawei->name == "Huawei");  // keeps its name although no source claims it now
  auto check = view->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());
}

TEST_CASE("undirected links are one edge whichever way a note writes them") {
  TempDir dir;
  auto store = NewStore(dir);
  REQUIRE(store->Apply(BaseNote()).ok());
  Batch other = Note("other");
  other.edges.push_back(Edge("china", "cooperates_with", "russia", "technology",
                             {Ev("k", "China and Russia cooperate.")}));
  REQUIRE(store->Apply(other).ok());
  auto stats = store->View()->Stats();
  REQUIRE(stats.ok());
  CHECK(stats->edges == 3);
  CHECK(stats->evidence == 4);
}

TEST_CASE("a scan nested in another scan of the same family sees what a scan alone sees") {
  // A view lends its idle iterator to one scan at a time: a scan started
  // inside another's callback must get its own, and both must finish whole.
  TempDir dir;
  auto store = NewStore(dir);
  REQUIRE(store->Apply(BaseNote()).ok());
  auto view = store->View();
  NodeId russia = view->NodeBySlug("russia")->id;
  auto out_of = [&](NodeId n) {
    std::vector<EdgeId> edges;
    REQUIRE(view->ForEachAdjacent(n, Direction::kOut, 0,
                                  [&](const AdjacencyEntry& e) {
                                    edges.push_back(e.edge);
                                    return true;
                                  })
                .ok());
    return edges;
  };
  std::vector<EdgeId> alone = out_of(russia);
  REQUIRE(alone.size() >= 2);  // at least the two depends_on links
  std::vector<EdgeId> outer;
  std::vector<std::vector<EdgeId>> inner;
  REQUIRE(view->ForEachAdjacent(russia, Direction::kOut, 0,
                                [&](const AdjacencyEntry& e) {
                                  outer.push_back(e.edge);
                                  inner.push_back(out_of(russia));  // the same family, mid-scan
                                  return true;
                                })
              .ok());
  CHECK(outer == alone);
  REQUIRE(inner.size() == alone.size());
  for (const auto& again : inner) CHECK(again == alone);
  CHECK(out_of(russia) == alone);  // and the iterator put back still works
}

TEST_CASE("evidence of one status: the store's peek lists what a filtered scan lists") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch b = BaseNote();
  b.edges[1].evidence[0].status = EvidenceStatus::kProposed;
  REQUIRE(store->Apply(b).ok());
  REQUIRE(store->Decide(3, EvidenceStatus::kRejected, "tester", "2026-01-15T00:00:00Z").ok());
  auto ids = [](const StoreView& v, std::optional<EvidenceStatus> only) {
    std::vector<EvidenceId> out;
    auto add = [&](const EvidenceRecord& e) {
      if (!only || e.status == *only) out.push_back(e.id);
      return true;
    };
    REQUIRE((only ? v.ForEachEvidenceOfStatus(*only, add) : v.ForEachEvidence(add)).ok());
    return out;
  };
  // The store itself, and a view that changes what it answers (as the
  // store stood before the decision: the rejected record was accepted).
  std::vector<std::unique_ptr<StoreView>> views;
  views.push_back(store->View());
  views.push_back(RecordedBy(store->View(), 20260101));
  for (const auto& v : views) {
    std::vector<EvidenceId> all = ids(*v, std::nullopt);
    size_t listed = 0;
    for (EvidenceStatus st :
         {EvidenceStatus::kAccepted, EvidenceStatus::kProposed, EvidenceStatus::kRejected}) {
      std::vector<EvidenceId> plain;
      REQUIRE(v->ForEachEvidence([&](const EvidenceRecord& e) {
                 if (e.status == st) plain.push_back(e.id);
                 return true;
               })
                  .ok());
      CHECK(ids(*v, st) == plain);
      listed += plain.size();
    }
    CHECK(listed == all.size());
  }
  CHECK(ids(*views[0], EvidenceStatus::kRejected).size() == 1);
  CHECK(ids(*views[0], EvidenceStatus::kProposed).size() == 1);
  CHECK(ids(*views[1], EvidenceStatus::kRejected).empty());
}

TEST_CASE("a batch added releasing its drafts writes what Add writes, and keeps its report") {
  // Two rounds: a first ingest, then a revision of it replayed over an
  // analyst's decision (the plan then works on a copy of the batch, whose
  // drafts go too).
  auto load = [](bool releasing, TempDir& dir) {
    auto store = NewStore(dir);
    for (int round = 0; round < 2; ++round) {
      Batch b = BaseNote();
      if (round == 1) {
        b.recorded_at = "2026-02-01T00:00:00Z";
        b.edges.pop_back();  // the revision withdraws a claim
        b.notes = {"2 rows left out"};
      }
      auto tx = store->Begin();
      Result<ApplyReport> r = releasing ? tx->AddReleasing(&b) : tx->Add(b);
      REQUIRE(r.ok());
      CHECK(r->replaced == (round == 1));
      CHECK(b.edges.empty() == releasing);
      CHECK(b.nodes.empty() == releasing);
      CHECK(b.file == "base.json");
      CHECK(b.source.slug == "base");
      CHECK(b.notes.size() == static_cast<size_t>(round));
      REQUIRE(tx->Commit(nullptr).ok());
      if (round == 0)
        REQUIRE(store->Decide(1, EvidenceStatus::kRejected, "tester", "2026-01-15T00:00:00Z").ok());
    }
    return Dump(*store);
  };
  TempDir plain, releasing;
  std::string added = load(false, plain);
  CHECK(added.find("rejected") != std::string::npos);
  CHECK(load(true, releasing) == added);
}

TEST_CASE("a transaction's view finds names written by batches before it, scan after scan") {
  // A view over pending writes keeps its iterator between prefix scans
  // (text notes look up every word span); one made before more writes were
  // indexed must not hide them.
  TempDir dir;
  auto store = NewStore(dir);
  auto tx = store->Begin();
  REQUIRE(tx->Add(BaseNote()).ok());
  auto view = tx->View();
  auto named = [&](const StoreView& v, const std::string& name) {
    std::vector<NodeId> ids;
    REQUIRE(v.ForEachName(name + std::string(1, '\0'), [&](const std::string&, NodeId id) {
               ids.push_back(id);
               return true;
             }).ok());
    return ids;
  };
  for (int again = 0; again < 3; ++again) {  // the same scan through a kept iterator
    CHECK(named(*view, "china").size() == 1);
    CHECK(named(*view, "huawei").size() == 1);
    CHECK(named(*view, "kazakhstan").empty());
  }
  Batch more = Note("more");
  more.nodes = {Node("kazakhstan", "state", "Kazakhstan")};
  more.edges.push_back(Edge("kazakhstan", "cooperates_with", "china", "trade",
                            {Ev("kz", "Kazakhstan and China trade.")}));
  REQUIRE(tx->Add(more).ok());
  auto later = tx->View();  // indexes the second batch
  REQUIRE(named(*later, "kazakhstan").size() == 1);
  CHECK(named(*view, "kazakhstan") == named(*later, "kazakhstan"));
  CHECK(named(*view, "china") == named(*later, "china"));
  REQUIRE(tx->Commit(nullptr).ok());
  CHECK(named(*store->View(), "kazakhstan").size() == 1);
}

TEST_CASE("the very same file again is recognised by its hash and writes nothing") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch b = BaseNote();
  b.content_hash = "h1";
  REQUIRE(store->Apply(b).ok());
  std::string before = Dump(*store);
  b.recorded_at = "2027-01-01T00:00:00Z";  // would show in the dump if rewritten
  auto again = store->Apply(b);
  REQUIRE(again.ok());
  CHECK(again->unchanged);
  CHECK(Dump(*store) == before);
  b.content_hash = "h2";
  auto revised = store->Apply(b);
  REQUIRE(revised.ok());
  CHECK_FALSE(revised->unchanged);
  CHECK(Dump(*store) != before);
}

TEST_CASE("a dry run validates but writes nothing") {
  TempDir dir;
  auto store = NewStore(dir);
  std::string before = Dump(*store);
  auto r = store->Apply(BaseNote(), /*dry_run=*/true);
  REQUIRE(r.ok());
  CHECK(r->edges_added == 3);
  CHECK(Dump(*store) == before);
}

TEST_CASE("one writer at a time, and readers open beside it") {
  TempDir dir;
  auto writer = NewStore(dir);
  REQUIRE(writer->Apply(BaseNote()).ok());
  auto second = Store::Open(dir / "db", OpenMode::kReadWrite);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == Status::Code::kBusy);
  CHECK(second.status().message().find("store in use") != std::string::npos);
  CHECK(second.status().message().find(std::to_string(::getpid())) != std::string::npos);
  auto reader = Store::Open(dir / "db", OpenMode::kReadOnly);
  REQUIRE(reader.ok());
  auto stats = (*reader)->View()->Stats();
  REQUIRE(stats.ok());
  CHECK(stats->edges == 3);
  CHECK_FALSE((*reader)->Apply(BaseNote()).ok());
}

TEST_CASE("a store of a newer format is refused with a clear message") {
  TempDir dir;
  { auto store = NewStore(dir); }
  {
    // Bump the stored format version behind sinew's back.
    RawDb raw(dir / "db");
    REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.Family("meta"), "format", "99").ok());
  }
  auto opened = Store::Open(dir / "db", OpenMode::kReadOnly);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.status().message().find("format version 99, newer than this sinew") !=
        std::string::npos);
}

TEST_CASE("check reports a broken invariant") {
  TempDir dir;
  {
    auto store = NewStore(dir);
    REQUIRE(store->Apply(BaseNote()).ok());
  }
  {
    // Remove one adjacency row behind sinew's back.
    RawDb(dir / "db").DeleteFirst("in", "");
  }
  auto store = Store::Open(dir / "db", OpenMode::kReadOnly);
  REQUIRE(store.ok());
  auto bad = (*store)->View()->Check();
  REQUIRE(bad.ok());
  REQUIRE(bad->size() == 1);
  CHECK(bad->front().find("is missing its in row") != std::string::npos);
}

TEST_CASE("backup and restore give an identical store") {
  TempDir dir;
  std::string original;
  {
    auto store = NewStore(dir);
    REQUIRE(store->Apply(BaseNote()).ok());
    REQUIRE(store->Backup(dir / "backup").ok());
    original = Dump(*store);
    CHECK_FALSE(store->Backup(dir / "backup").ok());  // never overwrites
  }
  REQUIRE(Store::Restore(dir / "backup", dir / "restored").ok());
  auto restored = Store::Open(dir / "restored", OpenMode::kReadOnly);
  REQUIRE(restored.ok());
  CHECK(Dump(**restored) == original);
  CHECK_FALSE(Store::Restore(dir / "backup", dir / "restored").ok());  // target not empty
}

}  // namespace sinew

namespace sinew {

TEST_CASE("edits and merges are replayed when their source is ingested again") {
  TempDir dir;
  auto store = NewStore(dir);
  REQUIRE(store->Apply(BaseNote()).ok());
  // A text-like source: a proposed node and a proposed claim about it.
  Batch text = Note("text");
  text.content_hash = "v1";
  NodeDraft proposal = Node("hw-tech", "company", "Huawei Technologies");
  proposal.proposed = true;
  proposal.evidence.push_back(Ev("mention", "Huawei Technologies ships kit."));
  proposal.evidence[0].status = EvidenceStatus::kProposed;
  text.nodes.push_back(proposal);
  EdgeDraft claim = Edge("russia", "depends_on", "hw-tech", "trade",
                         {Ev("claim", "Russia relies on Huawei Technologies.")});
  claim.evidence[0].status = EvidenceStatus::kProposed;
  text.edges.push_back(claim);
  REQUIRE(store->Apply(text).ok());

  auto claim_id = [&]() {
    EvidenceId id = 0;
    REQUIRE(store->View()
                ->ForEachEvidence([&](const EvidenceRecord& e) {
                  if (e.key == "claim") id = e.id;
                  return true;
                })
                .ok());
    return id;
  };
  // Re-file the claim: technology, not trade; and accept it.
  Store::ClaimEdit edit;
  edit.domain = "technology";
  edit.valid_from = "2019";
  REQUIRE(store->Edit(claim_id(), edit, "reviewer", "2026-02-01").ok());
  REQUIRE(store->Decide(claim_id(), EvidenceStatus::kAccepted, "reviewer", "2026-02-01").ok());
  // Fold the proposed node into the known Huawei.
  REQUIRE(store->Merge("hw-tech", "huawei", "reviewer", "2026-02-02").ok());
  CHECK_FALSE(store->Merge("russia", "huawei", "reviewer", "x").ok());  // a state, a company

  auto verify = [&](const char* when) {
    CAPTURE(when);
    auto view = store->View();
    CHECK(view->NodeBySlug("hw-tech").status().code() == Status::Code::kNotFound);
    auto huawei = view->NodeBySlug("huawei");
    REQUIRE(huawei.ok());
    CHECK(std::find(huawei->aliases.begin(), huawei->aliases.end(), "Huawei Technologies") !=
          huawei->aliases.end());
    auto ev = view->EvidenceById(claim_id());
    REQUIRE(ev.ok());
    CHECK(ev->status == EvidenceStatus::kAccepted);
    CHECK(ev->valid_from == "2019");
    auto edge = view->EdgeById(ev->target);
    REQUIRE(edge.ok());
    CHECK(edge->domain == "technology");
    CHECK(edge->dst == huawei->id);
    auto bad = view->Check();
    REQUIRE(bad.ok());
    std::string all;
    for (const auto& b : bad.value()) all += b + "\n";
    CHECK_MESSAGE(bad->empty(), all);
  };
  verify("after the decisions");
  // The note is revised and ingested again: the decisions still hold.
  text.content_hash = "v2";
  text.recorded_at = "2026-03-01T00:00:00Z";
  REQUIRE(store->Apply(text).ok());
  verify("after re-ingest");
  // Reversing a claim is stored as its absolute target: replaying it twice
  // does not flip it back.
  Store::ClaimEdit flip;
  flip.reverse = true;
  flip.type = "cooperates_with";
  REQUIRE(store->Edit(claim_id(), flip, "reviewer", "2026-03-02").ok());
  text.content_hash = "v3";
  REQUIRE(store->Apply(text).ok());
  auto ev = store->View()->EvidenceById(claim_id());
  REQUIRE(ev.ok());
  auto edge = store->View()->EdgeById(ev->target);
  REQUIRE(edge.ok());
  CHECK(edge->type == "cooperates_with");
  // An edit the schema forbids is refused.
  Store::ClaimEdit wrong;
  wrong.type = "develops";  // develops cannot end at a company
  CHECK_FALSE(store->Edit(claim_id(), wrong, "reviewer", "x").ok());
}

TEST_CASE("a revision closes the record time of what it withdraws or changes, never deletes it") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch v1 = BaseNote();
  v1.recorded_at = "2024-01-10T09:00:00Z";
  REQUIRE(store->Apply(v1).ok());

  // Version 2, on 1 June: the Huawei claim and node withdrawn, China renamed,
  // the cooperation claim restated with a strength, the dependence unchanged.
  Batch v2 = BaseNote();
  v2.recorded_at = "2024-06-01T09:00:00Z";
  v2.nodes.pop_back();
  v2.edges.pop_back();
  v2.nodes[1].name = "People's Republic of China";
  v2.edges[1].evidence[0].strength = 0.4;
  v2.edges[0].evidence[0].locator.paragraph = 7;  // moved, not changed
  REQUIRE(store->Apply(v2).ok());

  auto now = store->View();
  CHECK(now->NodeBySlug("huawei").status().code() == Status::Code::kNotFound);
  CHECK(now->NodeBySlug("china")->name == "People's Republic of China");
  std::map<std::string, EvidenceRecord> current;
  REQUIRE(now->ForEachEvidence([&](const EvidenceRecord& e) {
               current[e.key] = e;
               return true;
             })
              .ok());
  REQUIRE(current.size() == 2);
  // The unchanged claim keeps the time it was first recorded; the changed
  // one is recorded anew.
  CHECK(current["dep"].recorded_at == "2024-01-10T09:00:00Z");
  CHECK(current["dep"].locator.paragraph == 7);
  CHECK(current["coop"].recorded_at == "2024-06-01T09:00:00Z");
  auto check = now->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());

  // Every version is kept: the withdrawn and the replaced ones end on 1 June.
  std::vector<EvidenceRecord> ended;
  REQUIRE(ForEachEvidenceVersion(*now, [&](const EvidenceRecord& e) {
            if (!e.retracted_at.empty()) ended.push_back(e);
            return true;
          }).ok());
  REQUIRE(ended.size() == 2);
  for (const auto& e : ended) {
    CHECK(e.retracted_at == "2024-06-01T09:00:00Z");
    CHECK(e.recorded_at == "2024-01-10T09:00:00Z");
  }

  // The store as it stood in March: Huawei, its link, China's old name and
  // the cooperation claim without a strength.
  auto march = RecordedBy(store->View(), 20240315);
  auto huawei = march->NodeBySlug("huawei");
  REQUIRE(huawei.ok());
  CHECK(huawei->name == "Huawei");
  CHECK(march->NodeBySlug("china")->name == "China");
  NodeId russia = march->NodeBySlug("russia")->id;
  int links = 0;
  bool to_huawei = false;
  REQUIRE(march
              ->ForEachAdjacent(russia, Direction::kOut, 0,
                                [&](const AdjacencyEntry& e) {
                                  ++links;
                                  to_huawei = to_huawei || e.other == huawei->id;
                                  return true;
                                })
              .ok());
  CHECK(links == 2);  // depends_on china, depends_on huawei (cooperation is stored once)
  CHECK(to_huawei);
  int edges_then = 0, evidence_then = 0;
  REQUIRE(march->ForEachEdge([&](const EdgeRecord&) { return ++edges_then, true; }).ok());
  REQUIRE(march
              ->ForEachEvidence([&](const EvidenceRecord& e) {
                ++evidence_then;
                if (e.key == "coop") CHECK_FALSE(e.strength.has_value());
                return true;
              })
              .ok());
  CHECK(edges_then == 3);
  CHECK(evidence_then == 3);
  bool named = false;
  REQUIRE(march
              ->ForEachName("huawei",
                            [&](const std::string&, NodeId id) {
                              named = named || id == huawei->id;
                              return true;
                            })
              .ok());
  CHECK(named);

  // In July it is the store of today; before January it held nothing.
  auto july = RecordedBy(store->View(), 20240701);
  CHECK(july->NodeBySlug("huawei").status().code() == Status::Code::kNotFound);
  CHECK(july->NodeBySlug("china")->name == "People's Republic of China");
  auto before = RecordedBy(store->View(), 20231231);
  int any = 0;
  REQUIRE(before->ForEachEvidence([&](const EvidenceRecord&) { return ++any, true; }).ok());
  CHECK(any == 0);
  CHECK(before->NodeBySlug("huawei").status().code() == Status::Code::kNotFound);
}

TEST_CASE("a decision is recorded when it is made: before it, the claim stood undecided") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch v1 = BaseNote();
  v1.recorded_at = "2024-01-10T09:00:00Z";
  v1.edges[0].evidence[0].status = EvidenceStatus::kProposed;
  REQUIRE(store->Apply(v1).ok());
  EvidenceId dep = 0;
  REQUIRE(store->View()
              ->ForEachEvidence([&](const EvidenceRecord& e) {
                if (e.key == "dep") dep = e.id;
                return true;
              })
              .ok());
  REQUIRE(store->Decide(dep, EvidenceStatus::kAccepted, "reviewer", "2024-03-01T12:00:00Z").ok());
  auto status_on = [&](int32_t day) {
    auto v = RecordedBy(store->View(), day);
    std::vector<EvidenceStatus> out;
    REQUIRE(v->ForEachEvidence([&](const EvidenceRecord& e) {
               if (e.key == "dep") out.push_back(e.status);
               return true;
             }).ok());
    REQUIRE(out.size() == 1);
    return out[0];
  };
  CHECK(status_on(20240201) == EvidenceStatus::kProposed);
  CHECK(status_on(20240302) == EvidenceStatus::kAccepted);
  CHECK(store->View()->EvidenceById(dep)->status == EvidenceStatus::kAccepted);
}

TEST_CASE("two established nodes merge, survive re-ingest merged, and unmerge back") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch a = BaseNote();  // russia, china, huawei
  REQUIRE(store->Apply(a).ok());
  // A list names Huawei otherwise, with an identifier, and links it.
  Batch b = Note("list");
  b.nodes = {Node("huawei-tech", "company", "HUAWEI TECHNOLOGIES CO., LTD.")};
  b.nodes[0].props = {{"list_entry", 42}};
  b.nodes[0].evidence.push_back(Ev("entry:42", "HUAWEI TECHNOLOGIES CO., LTD."));
  b.edges.push_back(Edge("huawei-tech", "cooperates_with", "china", "trade",
                         {Ev("linked:42", "Linked To: CHINA.")}));
  REQUIRE(store->Apply(b).ok());
  REQUIRE(store->View()->NodeBySlug("huawei-tech").ok());

  REQUIRE(store->Merge("huawei-tech", "huawei", "analyst", "2026-02-01T00:00:00Z").ok());
  auto merged = [&](const StoreView& v) {
    auto h = v.NodeBySlug("huawei");
    REQUIRE(h.ok());
    CHECK(v.NodeBySlug("huawei-tech").status().code() == Status::Code::kNotFound);
    bool alias = false;
    for (const auto& x : h->aliases) alias = alias || x == "HUAWEI TECHNOLOGIES CO., LTD.";
    CHECK(alias);
    CHECK(h->props.value("list_entry", 0) == 42);  // an established claim keeps its props
    int links = 0;
    REQUIRE(v.ForEachAdjacent(h->id, Direction::kOut, 0, [&](const AdjacencyEntry&) {
               return ++links, true;
             }).ok());
    REQUIRE(v.ForEachAdjacent(h->id, Direction::kIn, 0, [&](const AdjacencyEntry&) {
               return ++links, true;
             }).ok());
    CHECK(links == 2);  // russia depends on it; it cooperates with china
  };
  merged(*store->View());
  // The list again, as it was written: still folded into huawei.
  b.force = true;
  REQUIRE(store->Apply(b).ok());
  merged(*store->View());
  auto check = store->View()->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());

  REQUIRE(store->Unmerge("huawei-tech", "analyst", "2026-03-01T00:00:00Z").ok());
  auto v = store->View();
  auto back = v->NodeBySlug("huawei-tech");
  REQUIRE(back.ok());
  CHECK(back->name == "HUAWEI TECHNOLOGIES CO., LTD.");
  CHECK(back->props.value("list_entry", 0) == 42);
  auto h = v->NodeBySlug("huawei");
  REQUIRE(h.ok());
  CHECK(h->aliases.empty());
  CHECK_FALSE(h->props.contains("list_entry"));
  int to_china = 0;
  REQUIRE(v->ForEachAdjacent(back->id, Direction::kOut, 0, [&](const AdjacencyEntry&) {
             return ++to_china, true;
           }).ok());
  REQUIRE(v->ForEachAdjacent(back->id, Direction::kIn, 0, [&](const AdjacencyEntry&) {
             return ++to_china, true;
           }).ok());
  CHECK(to_china == 1);
  auto node_ev = v->EvidenceOf(TargetKind::kNode, back->id);
  REQUIRE(node_ev.ok());
  CHECK(node_ev->size() == 1);
  check = v->Check();
  REQUIRE(check.ok());
  CHECK(check->empty());
  // Re-ingest no longer folds it; a second unmerge has nothing to undo.
  REQUIRE(store->Apply(b).ok());
  CHECK(store->View()->NodeBySlug("huawei-tech").ok());
  CHECK(store->Unmerge("huawei-tech", "analyst", "2026-03-02T00:00:00Z").code() ==
        Status::Code::kNotFound);
  // A merge that would break a claim (Russia's dependence on China would
  // join China to itself) is refused whole, and leaves nothing behind.
  std::string before = Dump(*store);
  Status refused = store->Merge("russia", "china", "analyst", "2026-04-01T00:00:00Z");
  CHECK(refused.code() == Status::Code::kInvalid);
  CHECK(refused.message().find("to itself") != std::string::npos);
  CHECK(Dump(*store) == before);
  // In February (record time) the store held the merged node.
  auto feb = RecordedBy(store->View(), 20260215);
  CHECK(feb->NodeBySlug("huawei")->props.value("list_entry", 0) == 42);
}

}  // namespace sinew

namespace sinew {
namespace {

// Level-0 files per family, read beside the store (read-only).
std::map<std::string, size_t> LevelZeroFiles(const std::string& db) {
  RawDb raw(db, /*read_only=*/true);
  std::map<std::string, size_t> out;
  for (size_t i = 0; i < raw.handles.size(); ++i) {
    rocksdb::ColumnFamilyMetaData meta;
    raw.db->GetColumnFamilyMetaData(raw.handles[i], &meta);
    out[raw.names[i]] = meta.levels.empty() ? 0 : meta.levels[0].files.size();
  }
  return out;
}

}  // namespace

TEST_CASE("a writer closing merges the level-0 files its writes left, and loses nothing") {
  TempDir dir;
  { REQUIRE(NewStore(dir)->Apply(BaseNote()).ok()); }
  // One write, one file per family written: nothing to merge yet.
  CHECK(LevelZeroFiles(dir / "db")["nodes"] == 1);
  Batch second = Note("second");
  second.nodes = {Node("kazakhstan", "state", "Kazakhstan"), Node("china", "state", "China")};
  second.edges.push_back(Edge("kazakhstan", "depends_on", "china", "trade",
                              {Ev("k", "Kazakhstan sells gas to China.")}));
  {
    auto store = Store::Open(dir / "db", OpenMode::kReadWrite);
    REQUIRE(store.ok());
    REQUIRE((*store)->Apply(second).ok());
  }
  // A second file over an empty level 1 is worth merging: each family the
  // two writes touched keeps none at level 0 (RocksDB alone would wait for
  // four).
  std::map<std::string, size_t> l0 = LevelZeroFiles(dir / "db");
  for (const char* family : {"nodes", "edges", "evidence", "out", "in", "sources"})
    CHECK_MESSAGE(l0[family] == 0, family);
  auto store = Store::Open(dir / "db", OpenMode::kReadOnly);
  REQUIRE(store.ok());
  auto view = (*store)->View();
  CHECK(view->SourceBySlug("base", false).ok());
  CHECK(view->SourceBySlug("second", false).ok());
  CHECK(view->NodeBySlug("kazakhstan").ok());
  CHECK(view->NodeBySlug("huawei").ok());
  Result<std::vector<std::string>> bad = view->Check();
  REQUIRE(bad.ok());
  CHECK(bad->empty());
}

}  // namespace sinew

namespace sinew {

TEST_CASE("the record-day index finds the versions every-version scan finds, and check guards it") {
  TempDir dir;
  auto store = NewStore(dir);
  Batch v1 = BaseNote();
  v1.recorded_at = "2024-01-10T09:00:00Z";
  REQUIRE(store->Apply(v1).ok());
  EvidenceId hw = 0;
  REQUIRE(store->View()
              ->ForEachEvidence([&](const EvidenceRecord& e) {
                if (e.key == "hw") hw = e.id;
                return true;
              })
              .ok());
  REQUIRE(store->Decide(hw, EvidenceStatus::kRejected, "a", "2024-03-05T10:00:00Z").ok());
  Batch v2 = BaseNote();  // withdraws Huawei, restates the cooperation
  v2.recorded_at = "2024-06-01T09:00:00Z";
  v2.nodes.pop_back();
  v2.edges.pop_back();
  v2.edges[1].evidence[0].strength = 0.4;
  REQUIRE(store->Apply(v2).ok());
  Batch other = Note("other");
  other.recorded_at = "2024-06-01T12:00:00Z";
  other.nodes = {Node("russia", "state", "Russia"), Node("china", "state", "China")};
  other.edges.push_back(
      Edge("russia", "depends_on", "china", "trade", {Ev("t", "Russia buys Chinese cars.")}));
  REQUIRE(store->Apply(other).ok());

  // What each path reads: (id, recorded, withdrawn), in order.
  auto read = [](const StoreView& view, int32_t d1, int32_t d2) {
    std::set<std::tuple<EvidenceId, std::string, std::string>> out;
    REQUIRE(view.ForEachEvidenceVersionBetween(
                    d1, d2,
                    [&](const EvidenceRecord& r) {
                      CHECK(out.emplace(r.id, r.recorded_at, r.retracted_at).second);  // once each
                      return true;
                    })
                .ok());
    return out;
  };
  auto indexed = store->View();
  size_t seen = 0;
  {
    ForwardingView scanned(store->View());  // does not forward it: reads every version
    for (auto window : {std::pair{20240101, 20240110},
                        {20240110, 20240305},
                        {20240101, 20240601},
                        {20240305, 20240601},
                        {20240601, 20241231},
                        {20240110, 20240304},
                        {0, 20991231}}) {
      int32_t d1 = window.first, d2 = window.second;  // (clang: no lambda takes a binding)
      auto a = read(*indexed, d1, d2), b = read(scanned, d1, d2);
      CHECK_MESSAGE(a == b, d1, " .. ", d2);
      seen += a.size();
    }
  }
  CHECK(read(*indexed, 20240110, 20240304).empty());
  // 10 Jan: three claims recorded; 5 March: one decided (its old version
  // withdrawn, the new recorded); 1 June: the rejected one withdrawn, one
  // restated (old withdrawn, new recorded), the other note's claim added.
  CHECK(read(*indexed, 20240101, 20240110).size() == 3);
  CHECK(read(*indexed, 20240110, 20240305).size() == 2);
  CHECK(read(*indexed, 20240305, 20240601).size() == 4);
  CHECK(seen > 0);
  auto clean = indexed->Check();
  REQUIRE(clean.ok());
  CHECK(clean->empty());
  auto whole = read(*indexed, 0, 20991231), june = read(*indexed, 20240305, 20240601);

  // An index entry lost is a violation check names.
  indexed.reset();
  store.reset();
  RawDb(dir / "db").DeleteFirst("meta", "hist/D20240601c");
  {
    auto reopened = Store::Open(dir / "db", OpenMode::kReadOnly);
    REQUIRE(reopened.ok());
    auto broken = (*reopened)->View()->Check();
    REQUIRE(broken.ok());
    REQUIRE(broken->size() == 1);
    CHECK(broken->front().find("missing from the record-day index") != std::string::npos);
  }
  // A store without the index (made before it) reads every version, its
  // two times peeked before decoding, and finds the same.
  RawDb(dir / "db").DeleteFirst("meta", "day_index");
  auto older = Store::Open(dir / "db", OpenMode::kReadOnly);
  REQUIRE(older.ok());
  auto view = (*older)->View();
  CHECK(read(*view, 0, 20991231) == whole);
  CHECK(read(*view, 20240305, 20240601) == june);
  auto unindexed = view->Check();
  REQUIRE(unindexed.ok());
  CHECK(unindexed->empty());
}

}  // namespace sinew
