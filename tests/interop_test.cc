// Interoperability through the real binary: exports that import back into the
// same graph, STIX bundles through the CLI, and several files as one atomic
// ingest.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

using nlohmann::json;

RunResult Sinew(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {SinewBinary(), "--db", db});
  return Run(args, {{"SINEW_NOW", "2026-01-01T00:00:00Z"}});
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An export's lines with what numbering and the import path may change
// taken out (internal edge, evidence and observation ids, the source's file
// name), sorted: two stores hold the same graph when these are equal.
std::vector<std::string> Canonical(const std::string& jsonl) {
  std::vector<std::string> out;
  std::istringstream in(jsonl);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line);
    std::string kind = j["kind"];
    if (kind == "edge" || kind == "observation") j.erase("id");
    if (kind == "source") j.erase("file");
    if (j.contains("evidence"))
      for (auto& e : j["evidence"]) e.erase("id");
    out.push_back(j.dump());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The corpus, bp's pipeline table and a prose note with proposed claims.
void LoadEverything(const std::string& db) {
  REQUIRE(Sinew(db, {"init"}).exit_code == 0);
  REQUIRE(Sinew(db, {"ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
  RunResult csv =
      Sinew(db, {"ingest",
                 SourceDir() + "/corpus/tables/bp/bp_statreview2021_gas_trade_movts_pipeline.csv",
                 "--mapping", SourceDir() + "/corpus/mappings/bp-2021-gas-pipeline.json"});
  REQUIRE_MESSAGE(csv.exit_code == 0, csv.err);
  REQUIRE(Sinew(db, {"ingest", SourceDir() + "/tests/data/review-note.md"}).exit_code == 0);
}

}  // namespace

TEST_CASE("a JSON Lines export imports into a fresh store as the same graph") {
  TempDir tmp;
  std::string a = tmp / "a", b = tmp / "b";
  LoadEverything(a);
  std::vector<std::string> everything = {"--clearance", "red", "--include-proposed"};
  auto exported = [&](const std::string& db) {
    std::vector<std::string> args = {"export", "--format", "jsonl"};
    args.insert(args.end(), everything.begin(), everything.end());
    RunResult r = Sinew(db, args);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  std::string first = exported(a);
  Write(tmp / "a.jsonl", first);
  REQUIRE(Sinew(b, {"init"}).exit_code == 0);
  RunResult in = Sinew(b, {"ingest", tmp / "a.jsonl"});
  REQUIRE_MESSAGE(in.exit_code == 0, in.err);
  CHECK(in.out.find("imported") != std::string::npos);
  CHECK(Canonical(exported(b)) == Canonical(first));
  CHECK(Sinew(b, {"check"}).out.find("every invariant holds") != std::string::npos);
  // The same answers, too: stats and a chain question.
  CHECK(Sinew(b, {"stats"}).out == Sinew(a, {"stats"}).out);
  CHECK(Sinew(b, {"chains", "russia", "china"}).out == Sinew(a, {"chains", "russia", "china"}).out);
  // Importing it again into the store that holds it changes nothing, and says so.
  RunResult again = Sinew(b, {"--format", "json", "ingest", tmp / "a.jsonl"});
  REQUIRE(again.exit_code == 0);
  CHECK(json::parse(again.out)["ingested"][0]["unchanged"] == true);
  CHECK(Canonical(exported(b)) == Canonical(first));
}

TEST_CASE("malformed JSON Lines exports are refused with their line, and nothing is written") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Sinew(db, {"init"}).exit_code == 0);
  REQUIRE(Sinew(db, {"ingest", SourceDir() + "/corpus/notes/00-reference.json"}).exit_code == 0);
  std::string before = Sinew(db, {"dump"}).out;
  std::string header = R"({"kind":"export","format":"sinew-jsonl/1"})";
  std::string source = R"({"kind":"source","id":"s1","title":"S","marking":"TLP:CLEAR"})";
  struct Case {
    std::string text, message;
    int line;
  };
  std::vector<Case> cases = {
      {R"({"kind":"node"})", "the first line must be the export header", 1},
      {header + "\n" + source + "\n{\"kind\": \"edge\",", "not JSON", 3},
      {header + "\n" + source + "\n{\"kind\":\"vertex\"}", "unknown kind 'vertex'", 3},
      {header + "\n" + source + "\n" + source, "appears twice", 3},
      {header + "\n" + source + "\n" +
           R"({"kind":"edge","src":"russia","type":"depends_on","dst":"china","domain":"trade","evidence":[{"source":"nowhere","quote":"q"}]})",
       "source 'nowhere' has no source line", 3},
      {header + "\n" + source + "\n" +
           R"({"kind":"edge","src":"russia","type":"depends_on","dst":"china","domain":"trade","evidence":[{"source":"s1","quote":"q","marking":"TLP:PURPLE"}]})",
       "TLP:PURPLE", 3},
      {header + "\n" + source + "\n" +
           R"({"kind":"edge","src":"russia","type":"depends_on","dst":"china","domain":"trade","evidence":[{"source":"s1","quote":7}]})",
       "\"quote\" must be a string", 3},
      {header + "\n" + source + "\n" +
           R"({"kind":"edge","src":"russia","type":"loves","dst":"china","domain":"trade","evidence":[{"source":"s1","quote":"q","marking":"TLP:CLEAR"}]})",
       "unknown edge type 'loves'", 3},
      // A record without a marking is refused, never read as CLEAR.
      {header + "\n" + source + "\n" +
           R"({"kind":"edge","src":"russia","type":"depends_on","dst":"china","domain":"trade","evidence":[{"source":"s1","quote":"q"}]})",
       "has no marking", 3},
      {header + "\n" + R"({"kind":"source","id":"s2","title":"S"})",
       "the source has no \"marking\"", 2},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Write(tmp / "x.jsonl", c.text);
    RunResult r = Sinew(db, {"ingest", tmp / "x.jsonl"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("x.jsonl:" + std::to_string(c.line) + ":") != std::string::npos);
    CHECK(Sinew(db, {"dump"}).out == before);
  }
}

TEST_CASE("several files are one ingest: a file the store refuses leaves out the ones before it") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Sinew(db, {"init"}).exit_code == 0);
  std::string before = Sinew(db, {"dump"}).out;
  // The second file is well formed but names a node nobody declared.
  Write(tmp / "b.json", R"({"source": {"id": "b", "title": "B", "reliability": "B"},
 "edges": [{"src": "russia", "type": "depends_on", "dst": "atlantis", "domain": "trade",
            "evidence": [{"quote": "Russia needs Atlantis."}]}]})");
  RunResult r =
      Sinew(db, {"ingest", SourceDir() + "/corpus/notes/00-reference.json", tmp / "b.json"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("unknown node 'atlantis'") != std::string::npos);
  CHECK(r.out.find("nothing written") != std::string::npos);
  CHECK(Sinew(db, {"dump"}).out == before);
  // A text note after the structured one links the names it declared, within
  // the same command.
  RunResult ok = Sinew(db, {"ingest", SourceDir() + "/corpus/notes/00-reference.json",
                            SourceDir() + "/tests/data/review-note.md"});
  REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
  CHECK(ok.out.find("analyst-note-gas-2022") != std::string::npos);
  CHECK(Sinew(db, {"show", "china", "--include-proposed"}).out.find("depends on turkmenistan") !=
        std::string::npos);
}

TEST_CASE("STIX bundles through the CLI: what was left out is said, and re-ingest is a no-op") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Sinew(db, {"init"}).exit_code == 0);
  std::string ics = ThirdPartyDir() + "/stix/mitre-attack/ics-attack-18.1.json";
  RunResult r = Sinew(db, {"ingest", ics});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("left out: 2 revoked objects") != std::string::npos);
  CHECK(r.out.find("x-mitre-tactic") != std::string::npos);
  RunResult again = Sinew(db, {"ingest", ics});
  CHECK(again.out.find("unchanged") != std::string::npos);
  // ATT&CK ids are names analysts can type.
  RunResult t = Sinew(db, {"show", "T0800"});
  CHECK(t.out.find("Activate Firmware Update Mode") != std::string::npos);
  RunResult js = Sinew(db, {"--format", "json", "ingest", ics});
  json report = json::parse(js.out)["ingested"][0];
  CHECK(report["read"]["relationships"] == 1373);
  // A custom mapping is taken instead of the bundled one.
  std::string mapping = ReadAll(SourceDir() + "/corpus/mappings/stix.json");
  mapping.replace(mapping.find("\"malware\": {\"type\": \"technology\"}"), 33,
                  "\"malware\": {\"skip\": \"not today\"}");
  Write(tmp / "m.json", mapping);
  std::string db2 = tmp / "db2";
  REQUIRE(Sinew(db2, {"init"}).exit_code == 0);
  RunResult custom = Sinew(db2, {"ingest", ics, "--mapping", tmp / "m.json"});
  REQUIRE_MESSAGE(custom.exit_code == 0, custom.err);
  CHECK(custom.out.find("malware: not today") != std::string::npos);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("the bulk path (sorted table files) writes exactly what a write batch writes") {
  TempDir tmp;
  auto load = [&](const std::string& db, const std::string& bulk) {
    std::vector<std::string> args = {SinewBinary(), "--db", db, "init"};
    std::map<std::string, std::string> env = {{"SINEW_NOW", "2026-01-01T00:00:00Z"},
                                              {"SINEW_BULK_MIN_WRITES", bulk}};
    REQUIRE(Run(args, env).exit_code == 0);
    args = {SinewBinary(),
            "--db",
            db,
            "ingest",
            SourceDir() + "/corpus/notes",
            ThirdPartyDir() + "/stix/mitre-attack/ics-attack-18.1.json"};
    RunResult r = Run(args, env);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK((r.out.find("as sorted table files (the bulk path)") != std::string::npos) ==
          (bulk == "1"));
    // A second, replacing load through the same path: deletes travel too.
    args = {SinewBinary(), "--db", db, "ingest", SourceDir() + "/tests/data/review-note.md"};
    REQUIRE(Run(args, env).exit_code == 0);
    args = {SinewBinary(), "--db",      db,
            "ingest",      "--replace", SourceDir() + "/tests/data/review-note-v2.md"};
    REQUIRE(Run(args, env).exit_code == 0);
  };
  load(tmp / "batch", "1000000000");
  load(tmp / "bulk", "1");
  CHECK_FALSE(std::filesystem::exists(tmp / "bulk/bulk.tmp"));
  std::string a = Sinew(tmp / "batch", {"dump"}).out, b = Sinew(tmp / "bulk", {"dump"}).out;
  CHECK(a.size() > 100000);
  CHECK(a == b);
  CHECK(Sinew(tmp / "bulk", {"check"}).out.find("every invariant holds") != std::string::npos);
}

}  // namespace sinew::testing

namespace sinew::testing {

namespace {

// Checks what STIX 2.1 requires of every object in a bundle sinew wrote, and
// that every reference points into the bundle (or at a TLP definition).
void CheckBundle(const json& bundle) {
  REQUIRE(bundle["type"] == "bundle");
  std::set<std::string> ids;
  for (const auto& o : bundle["objects"]) ids.insert(o["id"].get<std::string>());
  for (const auto& o : bundle["objects"]) {
    std::string type = o["type"], id = o["id"];
    CAPTURE(id);
    CHECK(id.rfind(type + "--", 0) == 0);
    CHECK(id.size() == type.size() + 2 + 36);
    CHECK(o["spec_version"] == "2.1");
    CHECK(o.contains("created"));
    if (type != "marking-definition") CHECK(o.contains("modified"));
    if (type == "relationship") {
      CHECK(ids.count(o["source_ref"].get<std::string>()));
      CHECK(ids.count(o["target_ref"].get<std::string>()));
    }
    if (type == "identity") CHECK(o.contains("identity_class"));
    if (type == "location") CHECK((o.contains("country") || o.contains("region")));
    if (type == "report")
      for (const auto& r : o["object_refs"]) CHECK(ids.count(r.get<std::string>()));
    for (const auto& m : o.value("object_marking_refs", json::array()))
      CHECK(ids.count(m.get<std::string>()));
  }
}

}  // namespace

TEST_CASE("a STIX export imports back unchanged: the whole store, a neighbourhood, a chain") {
  TempDir tmp;
  std::string a = tmp / "a";
  REQUIRE(Sinew(a, {"init"}).exit_code == 0);
  REQUIRE(Sinew(a, {"ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
  struct Selection {
    std::string name;
    std::vector<std::string> args;
  };
  std::vector<Selection> selections = {{"whole", {}},
                                       {"around", {"--around", "cr-929", "--depth", "2"}},
                                       {"chain", {"--chain", "russia", "china", "--limit", "3"}}};
  for (const Selection& sel : selections) {
    CAPTURE(sel.name);
    std::vector<std::string> args = {"export", "--format", "stix", "--clearance", "red"};
    args.insert(args.end(), sel.args.begin(), sel.args.end());
    RunResult first = Sinew(a, args);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    json bundle = json::parse(first.out);
    CheckBundle(bundle);
    CHECK(bundle["objects"].size() > 3);
    // Figures travel as x-sinew-observation objects.
    if (sel.name == "whole") CHECK(first.out.find("\"x-sinew-observation\"") != std::string::npos);
    // Contradicting claims cannot be said in STIX: counted, not silently lost.
    if (sel.name == "whole")
      CHECK(first.err.find("contradicting evidence records left out") != std::string::npos);
    Write(tmp / (sel.name + ".json"), first.out);
    std::string b = tmp / ("b-" + sel.name);
    REQUIRE(Sinew(b, {"init"}).exit_code == 0);
    RunResult in = Sinew(b, {"ingest", tmp / (sel.name + ".json")});
    REQUIRE_MESSAGE(in.exit_code == 0, in.err);
    // Everything that came in goes out again: same objects, same ids, same bytes.
    RunResult again = Sinew(b, {"export", "--format", "stix", "--clearance", "red"});
    CHECK(again.out == first.out);
  }
  // Claims keep their sources and places through STIX.
  std::string whole = tmp / "b-whole";
  RunResult chains = Sinew(whole, {"chains", "russia", "china"});
  CHECK(chains.out == Sinew(a, {"chains", "russia", "china"}).out);
  CHECK(chains.out.find("gcmc-gpcss3-2021, Bilateral Trade") != std::string::npos);
}

TEST_CASE("ATT&CK for ICS goes out as STIX with MITRE's ids and comes back the same") {
  TempDir tmp;
  std::string a = tmp / "a", b = tmp / "b";
  REQUIRE(Sinew(a, {"init"}).exit_code == 0);
  std::string ics = ThirdPartyDir() + "/stix/mitre-attack/ics-attack-18.1.json";
  REQUIRE(Sinew(a, {"ingest", ics}).exit_code == 0);
  RunResult out = Sinew(a, {"export", "--format", "stix"});
  REQUIRE(out.exit_code == 0);
  json bundle = json::parse(out.out);
  CheckBundle(bundle);
  json original = json::parse(ReadAll(ics));
  std::set<std::string> mitre;
  for (const auto& o : original["objects"]) mitre.insert(o["id"].get<std::string>());
  size_t relationships = 0, kept = 0;
  for (const auto& o : bundle["objects"])
    if (o["type"] == "relationship") {
      ++relationships;
      kept += mitre.count(o["id"].get<std::string>());
      CHECK(mitre.count(o["source_ref"].get<std::string>()));
    }
  CHECK(relationships == 1371);
  CHECK(kept == relationships);
  Write(tmp / "x.json", out.out);
  REQUIRE(Sinew(b, {"init"}).exit_code == 0);
  REQUIRE(Sinew(b, {"ingest", tmp / "x.json"}).exit_code == 0);
  CHECK(Sinew(b, {"export", "--format", "stix"}).out == out.out);
  CHECK(Sinew(b, {"stats"}).out == Sinew(a, {"stats"}).out);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("exports tell nodes held back for review apart from nodes above the clearance") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Sinew(db, {"init"}).exit_code == 0);
  REQUIRE(Sinew(db, {"ingest", SourceDir() + "/corpus/notes/00-reference.json",
                     SourceDir() + "/tests/data/review-note.md"})
              .exit_code == 0);
  RunResult r = Sinew(db, {"export", "--format", "jsonl", "--clearance", "red"});
  REQUIRE(r.exit_code == 0);
  // The prose note proposed new nodes (Caspian Gas Company, LNG); nothing
  // is marked above TLP:RED.
  CHECK(r.err.find("left out above it: 0 nodes") != std::string::npos);
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m,
                            std::regex(R"(awaiting review \(--include-proposed\): (\d+) nodes)")));
  int held = std::stoi(m[1]);
  CHECK(held >= 2);
  RunResult all =
      Sinew(db, {"export", "--format", "jsonl", "--clearance", "red", "--include-proposed"});
  CHECK(all.err.find("awaiting review") == std::string::npos);
  // The held-back nodes are exactly the ones the second export adds.
  auto count_nodes = [](const std::string& jsonl) {
    int n = 0;
    std::istringstream in(jsonl);
    for (std::string line; std::getline(in, line);)
      if (line.find("\"kind\":\"node\"") != std::string::npos) ++n;
    return n;
  };
  CHECK(count_nodes(all.out) - count_nodes(r.out) == held);
}

}  // namespace sinew::testing
