// STIX 2.1 import: every bundle in tests/data/third_party/stix, with the counts of
// nodes, edges and evidence worked out here from the bundle itself; markings,
// confidence, time, revocation, re-import and malformed input.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ingest/ingest.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

std::string Read(const std::string& path) { return testing::ReadAll(path); }

std::string Shared() { return testing::ThirdPartyRoot(); }

std::string Mapping() { return Read(std::string(SINEW_SOURCE_DIR) + "/corpus/mappings/stix.json"); }

std::unique_ptr<Store> Fresh(const testing::TempDir& dir, const std::string& name = "db") {
  auto store =
      Store::Create(dir / name, Read(std::string(SINEW_SOURCE_DIR) + "/corpus/schema.json"), "s");
  REQUIRE(store.ok());
  return std::move(store).value();
}

Result<Batch> Stix(const std::string& text, Store& store, const std::string& mapping = Mapping()) {
  auto view = store.View();
  return ReadStix(text, "t.json", mapping, "m.json", *view);
}

// What the bundle should become, counted from the bundle and the mapping's
// list of types without sinew's reader: objects of mapped types that are
// neither revoked nor deprecated nor only a producer; relationships of
// mapped types between two such objects (a revoked end follows revoked-by).
struct Expected {
  size_t objects = 0, relationships = 0, nodes = 0, edges = 0, evidence = 0;
};

Expected Count(const json& doc, const json& mapping) {
  Expected x;
  std::vector<json> objects;
  if (doc["type"] == "bundle")
    objects = doc["objects"].get<std::vector<json>>();
  else
    objects = {doc};
  x.objects = objects.size();
  std::set<std::string> creators, referenced, kept;
  std::map<std::string, std::string> replaced;
  for (const json& o : objects) {
    if (o.contains("created_by_ref")) creators.insert(o["created_by_ref"].get<std::string>());
    if (o["type"] == "relationship") {
      ++x.relationships;
      referenced.insert(o["source_ref"].get<std::string>());
      referenced.insert(o["target_ref"].get<std::string>());
      if (o["relationship_type"] == "revoked-by")
        replaced[o["source_ref"].get<std::string>()] = o["target_ref"].get<std::string>();
    }
  }
  for (const json& o : objects) {
    std::string type = o["type"], id = o["id"];
    const json& rules = mapping["objects"];
    if (type == "relationship" || !rules.contains(type) || rules[type].contains("skip")) continue;
    if (o.value("revoked", false) || o.value("x_mitre_deprecated", false)) continue;
    if (type == "identity" && creators.count(id) && !referenced.count(id)) continue;
    kept.insert(id);
  }
  x.nodes = kept.size();
  std::set<std::tuple<std::string, std::string, std::string>> edges;
  for (const json& o : objects) {
    if (o["type"] != "relationship" || o.value("revoked", false) ||
        o.value("x_mitre_deprecated", false))
      continue;
    std::string rt = o["relationship_type"];
    if (!mapping["relationships"].contains(rt)) continue;
    auto follow = [&](std::string id) {
      while (replaced.count(id)) id = replaced[id];
      return id;
    };
    std::string s = follow(o["source_ref"]), t = follow(o["target_ref"]);
    if (!kept.count(s) || !kept.count(t) || s == t) continue;
    const json& rule = mapping["relationships"][rt];
    if (rule.value("reverse", false)) std::swap(s, t);
    ++x.evidence;
    edges.emplace(s, rule["type"].get<std::string>(), t);
  }
  x.edges = edges.size();
  return x;
}

std::vector<std::string> Bundles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(Shared() + "/stix"))
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE(
    "every STIX file in tests/data/third_party/stix imports with the counts the bundle implies") {
  std::vector<std::string> files = Bundles();
  REQUIRE_MESSAGE(files.size() >= 10, "needs " << Shared() << "/data/stix");
  json mapping = json::parse(Mapping());
  for (const std::string& path : files) {
    CAPTURE(path);
    std::string text = Read(path);
    Expected x = Count(json::parse(text), mapping);
    testing::TempDir dir;
    auto store = Fresh(dir);
    auto view = store->View();
    Result<Batch> b = ReadStix(text, path, Mapping(), "m.json", *view);
    REQUIRE_MESSAGE(b.ok(), b.status().ToString());
    CHECK(b->counts["objects"] == static_cast<int>(x.objects));
    CHECK(b->counts["relationships"] == static_cast<int>(x.relationships));
    CHECK(b->nodes.size() == x.nodes);
    CHECK(b->edges.size() == x.edges);
    CHECK(b->counts["evidence"] == static_cast<int>(x.evidence));
    Result<ApplyReport> r = store->Apply(b.value());
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    auto stats = store->View()->Stats();
    REQUIRE(stats.ok());
    CHECK(stats->nodes == x.nodes);
    CHECK(stats->edges == x.edges);
    CHECK(stats->evidence == x.evidence);
    auto bad = store->View()->Check();
    REQUIRE(bad.ok());
    CHECK(bad->empty());
  }
}

TEST_CASE("ATT&CK for ICS: the published figures, revocations and deprecations") {
  std::string path = Shared() + "/stix/mitre-attack/ics-attack-18.1.json";
  std::string text = Read(path);
  REQUIRE_MESSAGE(!text.empty(), "needs " << path);
  testing::TempDir dir;
  auto store = Fresh(dir);
  Result<Batch> b = Stix(text, *store);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  // tests/data/third_party/README.md: 1,826 objects, 1,373 relationships.
  CHECK(b->counts["objects"] == 1826);
  CHECK(b->counts["relationships"] == 1373);
  CHECK(b->counts["left out: revoked-by relationships (followed, not imported)"] == 2);
  CHECK(b->counts["left out: deprecated objects (x_mitre_deprecated)"] > 0);
  CHECK(b->source.title.find("ICS ATT&CK") != std::string::npos);
  CHECK(b->source.publisher == "The MITRE Corporation");
  CHECK(b->source.marking == Marking::kClear);  // a copyright statement is not a TLP level
  // A revoked group's name stays findable as an alias of its replacement.
  bool apt34 = false;
  for (const auto& n : b->nodes) {
    if (n.name == "APT34") FAIL("a revoked object became a node");
    for (const auto& a : n.aliases) apt34 = apt34 || (a == "APT34" && n.name == "OilRig");
  }
  CHECK(apt34);
  // Relationships keep their STIX id as the claim key and cite their references.
  bool cited = false;
  for (const auto& e : b->edges)
    for (const auto& ev : e.evidence) {
      CHECK(ev.key.rfind("relationship--", 0) == 0);
      CHECK(ev.credibility == 6);  // no confidence given: truth cannot be judged
      cited = cited || ev.locator.section.find(" citing ") != std::string::npos;
    }
  CHECK(cited);
  REQUIRE(store->Apply(b.value()).ok());
  auto t0800 = store->View()->NodeBySlug("activate-firmware-update-mode");
  REQUIRE(t0800.ok());
  CHECK(t0800->type == "technique");
  CHECK(t0800->props["external_id"] == "T0800");
}

TEST_CASE("OpenCTI: countries link to the store's states, companies reach sectors loaded before") {
  testing::TempDir dir;
  auto store = Fresh(dir);
  auto ref = ReadFile(std::string(SINEW_SOURCE_DIR) + "/corpus/notes/00-reference.json");
  REQUIRE(ref.ok());
  REQUIRE(store->Apply(ref.value()).ok());
  Result<Batch> geo = Stix(Read(Shared() + "/stix/opencti/geography.json"), *store);
  REQUIRE(geo.ok());
  bool china = false, russia = false;
  for (const auto& n : geo->nodes) {
    china = china || (n.slug == "china" && n.name == "China");
    russia = russia || (n.slug == "russia" && n.name == "Russian Federation");
  }
  CHECK(china);
  CHECK(russia);
  REQUIRE(store->Apply(geo.value()).ok());
  // A second import keeps every node where it is (by STIX id).
  Result<Batch> again = Stix(Read(Shared() + "/stix/opencti/geography.json"), *store);
  REQUIRE(again.ok());
  for (size_t i = 0; i < again->nodes.size(); ++i)
    CHECK(again->nodes[i].slug == geo->nodes[i].slug);

  std::string companies = Read(Shared() + "/stix/opencti/companies.json");
  Result<Batch> alone = Stix(companies, *store);
  REQUIRE(alone.ok());
  CHECK(alone->edges.empty());
  CHECK(alone->counts["left out: dangling references (neither in the bundle nor in the store)"] ==
        31);
  REQUIRE(store->Apply(Stix(Read(Shared() + "/stix/opencti/sectors.json"), *store).value()).ok());
  Result<Batch> linked = Stix(companies, *store);
  REQUIRE(linked.ok());
  CHECK(linked->edges.size() == 31);
  for (const auto& e : linked->edges) CHECK(e.type == "part_of");
  REQUIRE(store->Apply(linked.value()).ok());
  auto bad = store->View()->Check();
  REQUIRE(bad.ok());
  CHECK(bad->empty());
}

TEST_CASE("STIX markings, confidence, time and producers become evidence fields") {
  std::string bundle = R"({"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "identity", "id": "identity--p", "name": "Analyst Shop", "identity_class": "organization"},
    {"type": "marking-definition", "id": "marking-definition--s", "definition_type": "statement",
     "definition": {"statement": "Copyright"}},
    {"type": "marking-definition", "id": "marking-definition--a", "definition_type": "tlp",
     "definition": {"tlp": "amber"}},
    {"type": "intrusion-set", "id": "intrusion-set--x", "name": "Group X", "created_by_ref": "identity--p",
     "object_marking_refs": ["marking-definition--s"]},
    {"type": "malware", "id": "malware--y", "name": "Tool Y", "is_family": true},
    {"type": "malware", "id": "malware--z", "name": "Tool Z", "is_family": true},
    {"type": "relationship", "id": "relationship--1", "relationship_type": "uses",
     "source_ref": "intrusion-set--x", "target_ref": "malware--y", "confidence": 85,
     "start_time": "2019-03-01T00:00:00Z", "stop_time": "2021-06-30T12:00:00Z",
     "created_by_ref": "identity--p",
     "object_marking_refs": ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]},
    {"type": "relationship", "id": "relationship--2", "relationship_type": "uses",
     "source_ref": "intrusion-set--x", "target_ref": "malware--z", "confidence": 10,
     "object_marking_refs": ["marking-definition--a", "marking-definition--nowhere"]},
    {"type": "relationship", "id": "relationship--3", "relationship_type": "uses",
     "source_ref": "intrusion-set--x", "target_ref": "malware--gone"},
    {"type": "x-acme-widget", "id": "x-acme-widget--w", "name": "W"}
  ]})";
  testing::TempDir dir;
  auto store = Fresh(dir);
  Result<Batch> b = Stix(bundle, *store);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  REQUIRE(b->edges.size() == 2);
  const EvidenceDraft& one = b->edges[0].evidence[0];
  CHECK(one.credibility == 1);
  CHECK(one.valid_from == "2019-03-01");
  CHECK(one.valid_to == "2021-06-30");
  CHECK(one.marking == Marking::kAmber);
  CHECK(one.analyst == "Analyst Shop");
  CHECK(one.paraphrase);  // no description: the claim is stated, not quoted
  const EvidenceDraft& two = b->edges[1].evidence[0];
  CHECK(two.credibility == 5);
  CHECK(two.marking == Marking::kRed);  // an unknown definition is read as TLP:RED
  // The source is the floor of what it yields, not its most marked object:
  // here an unmarked relationship, so CLEAR; each record keeps its own.
  CHECK(b->source.marking == Marking::kClear);
  CHECK(b->source.publisher == "Analyst Shop");
  std::string notes;
  for (const auto& n : b->notes) notes += n + "\n";
  CHECK(notes.find("dangling references") != std::string::npos);
  CHECK(notes.find("relationship--3 -> malware--gone") != std::string::npos);
  CHECK(notes.find("custom type x-acme-widget") != std::string::npos);
  CHECK(notes.find("marking-definition--nowhere") != std::string::npos);
  REQUIRE(store->Apply(b.value()).ok());
  // Re-read with relationship 2 gone: its edge goes with it.
  std::string revised = bundle;
  revised.replace(revised.find("\"relationship--2\""), 17, "\"relationship--9\"");
  revised.replace(revised.find("\"malware--z\", \"confidence\""), 12, "\"malware--q\"");
  Result<Batch> r = Stix(revised, *store);
  REQUIRE(r.ok());
  CHECK(r->edges.size() == 1);
  auto report = store->Apply(r.value());
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->replaced);
  CHECK(report->edges_removed == 1);
}

TEST_CASE("malformed STIX gets a clear error with its place") {
  testing::TempDir dir;
  auto store = Fresh(dir);
  auto err = [&](const std::string& text, const std::string& mapping = Mapping()) {
    Result<Batch> b = Stix(text, *store, mapping);
    REQUIRE_FALSE(b.ok());
    return b.status();
  };
  Status syntax = err("{\"type\": \"bundle\",\n \"objects\": [}");
  CHECK(syntax.place().line == 2);
  CHECK(err(R"({"type": "bundle", "id": "bundle--1"})").message().find("no \"objects\"") !=
        std::string::npos);
  CHECK(err(R"({"type": "bundle", "id": "bundle--1", "objects": []})")
            .message()
            .find("holds no objects") != std::string::npos);
  Status noid = err("{\"type\": \"bundle\", \"objects\": [\n {\"type\": \"malware\"}]}");
  CHECK(noid.message().find("has no \"id\"") != std::string::npos);
  CHECK(noid.place().line == 2);
  CHECK(noid.place().pointer == "/objects/0");
  CHECK(err(R"({"type": "bundle", "objects": [{"type": "malware", "id": "tool--1"}]})")
            .message()
            .find("does not start with its type") != std::string::npos);
  CHECK(err(R"({"type": "bundle", "objects": [{"type": "relationship", "id": "relationship--1",
            "relationship_type": "uses", "target_ref": "malware--1"}]})")
            .message()
            .find("no \"source_ref\"") != std::string::npos);
  std::string bad_map = Mapping();
  bad_map.replace(bad_map.find("\"type\": \"group\""), 15, "\"type\": \"gang\" ");
  Status mapped = err(R"({"type": "malware", "id": "malware--1", "spec_version": "2.1"})", bad_map);
  CHECK(mapped.message().find("node type 'gang'") != std::string::npos);
  CHECK(mapped.place().file == "m.json");
  CHECK(LooksLikeStix(R"({"type": "bundle", "id": "bundle--1"})"));
  CHECK(LooksLikeStix("{\n  \"spec_version\": \"2.1\", \"type\": \"campaign\"}"));
  CHECK_FALSE(LooksLikeStix(R"({"source": {"id": "x", "type": "briefing"}})"));
}

}  // namespace sinew::ingest
