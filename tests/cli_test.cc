// The sinew binary's contract: exit codes, errors with places, a store left
// unchanged by a failed ingest, one writer at a time beside any readers.
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

RunResult Sinew(const TempDir& tmp, std::vector<std::string> args) {
  args.insert(args.begin(), {SinewBinary(), "--db", tmp / "db"});
  return Run(args, {{"SINEW_NOW", "2026-01-01T00:00:00Z"}});
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

const char* kNote = R"({"source": {"id": "n", "title": "N", "reliability": "B"},
 "nodes": [{"id": "russia", "type": "state"}, {"id": "china", "type": "state"}],
 "edges": [{"src": "russia", "type": "depends_on", "dst": "china", "domain": "trade",
            "evidence": [{"quote": "Russia buys from China."}]}]})";

}  // namespace

TEST_CASE("--help lists every command") {
  RunResult r = Run({SinewBinary(), "--help"});
  CHECK(r.exit_code == 0);
  for (const char* cmd : {"init", "ingest", "show", "find", "stats", "check", "backup", "restore",
                          "review", "dump"}) {
    CAPTURE(cmd);
    CHECK(r.out.find(std::string("  ") + cmd + " ") != std::string::npos);
  }
}

TEST_CASE("usage errors exit 2, data errors exit 1, success exits 0") {
  TempDir tmp;
  CHECK(Sinew(tmp, {"frobnicate"}).exit_code == 2);
  CHECK(Sinew(tmp, {"show"}).exit_code == 2);
  CHECK(Sinew(tmp, {"--format", "xml", "stats"}).exit_code == 2);
  RunResult missing = Sinew(tmp, {"stats"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no store at") != std::string::npos);
  CHECK(Sinew(tmp, {"init"}).exit_code == 0);
  CHECK(Sinew(tmp, {"init"}).exit_code == 1);  // never over an existing store
  CHECK(Sinew(tmp, {"show", "atlantis"}).exit_code == 1);
  CHECK(Sinew(tmp, {"show", "x", "--domain", "space"}).exit_code == 2);
}

TEST_CASE("a failed ingest names file, line and column and leaves the store unchanged") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  Write(tmp / "good.json", kNote);
  REQUIRE(Sinew(tmp, {"ingest", tmp / "good.json"}).exit_code == 0);
  std::string before = Sinew(tmp, {"dump"}).out;
  REQUIRE(!before.empty());
  std::string bad = kNote;
  bad.replace(bad.find("\"trade\""), 7, "\"space\"");
  Write(tmp / "bad.json", bad);
  RunResult r = Sinew(tmp, {"ingest", tmp / "bad.json"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.json:3:") != std::string::npos);
  CHECK(r.err.find("unknown domain 'space' (at /edges/0/domain)") != std::string::npos);
  CHECK(Sinew(tmp, {"dump"}).out == before);

  RunResult js = Sinew(tmp, {"--format", "json", "ingest", tmp / "bad.json"});
  CHECK(js.exit_code == 1);
  auto err = nlohmann::json::parse(js.err);
  CHECK(err["error"]["line"] == 3);
  CHECK(err["error"]["column"].get<int>() > 0);
  CHECK(err["error"]["file"] == tmp / "bad.json");

  // A later broken file stops the whole command before anything is written.
  Write(tmp / "broken.json", "{\"source\": ");
  Write(tmp / "other.json",
        std::string(kNote).replace(std::string(kNote).find("\"n\""), 3, "\"other\""));
  RunResult two = Sinew(tmp, {"ingest", tmp / "other.json", tmp / "broken.json"});
  CHECK(two.exit_code == 1);
  CHECK(Sinew(tmp, {"dump"}).out == before);
}

TEST_CASE("a dry run reports what would change and writes nothing") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  Write(tmp / "good.json", kNote);
  std::string before = Sinew(tmp, {"dump"}).out;
  RunResult r = Sinew(tmp, {"ingest", "--dry-run", tmp / "good.json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("checked") != std::string::npos);
  CHECK(Sinew(tmp, {"dump"}).out == before);
}

TEST_CASE("a second writer gets 'store in use' with the holder's pid, and readers still read") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  Write(tmp / "good.json", kNote);
  REQUIRE(Sinew(tmp, {"ingest", tmp / "good.json"}).exit_code == 0);
  auto holder = Store::Open(tmp / "db", OpenMode::kReadWrite);
  REQUIRE(holder.ok());
  RunResult w = Sinew(tmp, {"ingest", tmp / "good.json"});
  CHECK(w.exit_code == 1);
  CHECK(w.err.find("store in use") != std::string::npos);
  CHECK(w.err.find("process " + std::to_string(::getpid())) != std::string::npos);
  RunResult r = Sinew(tmp, {"show", "russia"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("depends on china") != std::string::npos);
  CHECK(Sinew(tmp, {"check"}).exit_code == 0);
}

TEST_CASE("backup and restore through the CLI give an identical dump") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  Write(tmp / "good.json", kNote);
  REQUIRE(Sinew(tmp, {"ingest", tmp / "good.json"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"backup", tmp / "bk"}).exit_code == 0);
  RunResult restored = Run({SinewBinary(), "--db", tmp / "copy", "restore", tmp / "bk"});
  REQUIRE(restored.exit_code == 0);
  CHECK(Run({SinewBinary(), "--db", tmp / "copy", "dump"}).out == Sinew(tmp, {"dump"}).out);
  CHECK(Run({SinewBinary(), "--db", tmp / "copy", "check"}).exit_code == 0);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("pictures render through Graphviz, and say how to install it when it is missing") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
  RunResult svg = Sinew(tmp, {"chains", "chinese-banks", "the-west", "--format", "svg"});
  REQUIRE(svg.exit_code == 0);
  CHECK(svg.out.find("<svg") != std::string::npos);
  CHECK(svg.out.find("Chinese banks") != std::string::npos);
  CHECK(svg.out.find("depends on") != std::string::npos);
  RunResult png = Sinew(tmp, {"show", "cr-929", "--format", "png", "-o", tmp / "card.png"});
  REQUIRE(png.exit_code == 0);
  std::ifstream in(tmp / "card.png", std::ios::binary);
  std::string head(8, '\0');
  in.read(head.data(), 8);
  CHECK(head == "\x89PNG\r\n\x1a\n");
  RunResult none = Run({SinewBinary(), "--db", tmp / "db", "show", "cr-929", "--format", "svg"},
                       {{"PATH", "/nonexistent"}});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("Graphviz is not installed") != std::string::npos);
  CHECK(none.err.find("apt-get install graphviz") != std::string::npos);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("bad text notes leave the store exactly as it was") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"ingest", SourceDir() + "/corpus/notes/00-reference.json"}).exit_code == 0);
  std::string before = Sinew(tmp, {"dump"}).out;
  for (const char* bad :
       {"binary-note.txt", "latin1-note.txt", "unclosed-note.md", "bad-date-note.md"}) {
    CAPTURE(bad);
    RunResult r = Sinew(tmp, {"ingest", SourceDir() + "/tests/data/" + bad});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(std::string(bad) + ":") != std::string::npos);  // file:line:column
    CHECK(Sinew(tmp, {"dump"}).out == before);
  }
  Write(tmp / "empty.md", "---\ntitle: nothing\n---\n\n");
  RunResult empty = Sinew(tmp, {"ingest", tmp / "empty.md"});
  CHECK(empty.exit_code == 1);
  CHECK(empty.err.find("no text") != std::string::npos);
  Write(tmp / "long.txt", std::string((1 << 20) + 5, 'a'));
  CHECK(Sinew(tmp, {"ingest", tmp / "long.txt"}).err.find("longer than 1 MiB") !=
        std::string::npos);
  CHECK(Sinew(tmp, {"dump"}).out == before);
}

TEST_CASE("review works in the shell as on the command line") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"ingest", SourceDir() + "/corpus/notes/00-reference.json"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"ingest", SourceDir() + "/tests/data/review-note.md"}).exit_code == 0);
  // The claim's id, from the queue as JSON.
  auto queue = nlohmann::json::parse(Sinew(tmp, {"review", "list", "--format", "json"}).out);
  std::string id;
  for (const auto& item : queue["items"])
    if (item["kind"] == "edge" && item["type"] == "depends_on" && item["src"] == "china")
      id = item["id"];
  REQUIRE(!id.empty());
  RunResult r = Run({SinewBinary(), "--db", tmp / "db", "shell"}, {},
                    "review list --by note\nreview accept " + id + "\nreview show " + id +
                        "\nevidence china turkmenistan\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("accepted " + id) != std::string::npos);
  CHECK(r.out.find(id + "  accepted  edge") != std::string::npos);
  CHECK(r.out.find("»China relies on Turkmenistan") != std::string::npos);
  CHECK(r.out.find("china —depends on→ turkmenistan [resources]") != std::string::npos);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("exports default to TLP:GREEN, leave out what is above it and say so") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  Write(tmp / "mixed.json",
        R"({"source": {"id": "mixed", "title": "M", "reliability": "B", "marking": "TLP:CLEAR"},
 "nodes": [{"id": "russia", "type": "state"}, {"id": "china", "type": "state"},
           {"id": "secret-co", "type": "company"}],
 "edges": [{"src": "russia", "type": "depends_on", "dst": "china", "domain": "trade",
            "evidence": [{"quote": "an open word"},
                         {"quote": "a red word about trade", "marking": "TLP:RED"}]},
           {"src": "secret-co", "type": "supplies", "dst": "china", "domain": "technology",
            "evidence": [{"quote": "only red knows this", "marking": "TLP:RED"}]}]})");
  REQUIRE(Sinew(tmp, {"ingest", tmp / "mixed.json"}).exit_code == 0);
  for (const char* format : {"jsonl", "graphml", "cypher", "dot"}) {
    CAPTURE(format);
    RunResult r = Sinew(tmp, {"export", "--format", format});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("red word") == std::string::npos);
    CHECK(r.out.find("only red knows") == std::string::npos);
    CHECK(r.err.find("clearance TLP:GREEN") != std::string::npos);
    CHECK(r.err.find("1 links, 1 evidence records") != std::string::npos);
  }
  RunResult red = Sinew(tmp, {"export", "--format", "jsonl", "--clearance", "red"});
  CHECK(red.out.find("only red knows") != std::string::npos);
  CHECK(red.err.find("left out above it: 0 nodes, 0 links, 0 evidence") != std::string::npos);
  // The mixed link's confidence at GREEN counts only the open record (B6:
  // 0.8 x 0.5); at RED the noisy-OR of both (1 - 0.6 x 0.6).
  RunResult green = Sinew(tmp, {"export", "--format", "jsonl"});
  CHECK(green.out.find("\"confidence\":0.4,") != std::string::npos);
  CHECK(green.out.find("\"confidence\":0.64") == std::string::npos);
  CHECK(red.out.find("\"confidence\":0.64") != std::string::npos);
  // Links are admitted on what the asker may see: at GREEN the mixed link's
  // confidence is 0.4, so a 0.5 floor drops it from cards and exports alike,
  // although its stored confidence (with the RED record) is 0.64.
  RunResult floor_green =
      Sinew(tmp, {"show", "russia", "--min-confidence", "0.5", "--clearance", "green"});
  CHECK(floor_green.out.find("depends on china") == std::string::npos);
  RunResult floor_red =
      Sinew(tmp, {"show", "russia", "--min-confidence", "0.5", "--clearance", "red"});
  CHECK(floor_red.out.find("depends on china") != std::string::npos);
  RunResult floor_export = Sinew(tmp, {"export", "--format", "jsonl", "--min-confidence", "0.5"});
  CHECK(floor_export.out.find("\"type\":\"depends_on\"") == std::string::npos);
  RunResult csv = Sinew(tmp, {"export", "--format", "csv"});
  CHECK(csv.exit_code == 2);
  CHECK(Sinew(tmp, {"export", "--format", "csv", "-o", tmp / "out"}).exit_code == 0);
  std::ifstream edges(tmp / "out/edges.csv");
  std::string header;
  std::getline(edges, header);
  CHECK(header.rfind("id,src,type,dst,domain", 0) == 0);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("structural and store errors of a note are reported in one pass") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  Write(tmp / "two-kinds.json", R"({"source": {"id": "n", "title": "N"},
 "nodes": [{"id": "russia", "type": "state"}, {"id": "china", "type": "country"}],
 "edges": [{"src": "russia", "type": "depends_on", "dst": "atlantis", "domain": "trade",
            "evidence": [{"quote": "q"}]},
           {"src": "russia", "type": "depends_on", "dst": "russia", "domain": "trade",
            "evidence": [{"quote": "q", "valid_from": "2021-13"}]}]})");
  std::string before = Sinew(tmp, {"dump"}).out;
  RunResult r = Sinew(tmp, {"ingest", tmp / "two-kinds.json"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad date '2021-13'") != std::string::npos);           // structural
  CHECK(r.err.find("unknown node type 'country'") != std::string::npos);  // the store's
  CHECK(r.err.find("unknown node 'atlantis'") != std::string::npos);      // the store's
  CHECK(r.err.find("two-kinds.json:3:59: unknown node 'atlantis'") != std::string::npos);
  CHECK(Sinew(tmp, {"dump"}).out == before);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("query runs openCypher on the store, with the analyses as procedures") {
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
  RunResult r = Sinew(tmp, {"query",
                            "MATCH (x)-[p:participates_in]->(:project {id: 'cr-929'}) "
                            "RETURN x.id AS partner ORDER BY partner"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("partner") != std::string::npos);
  CHECK(r.out.find("russia") != std::string::npos);
  CHECK(r.out.find("china") != std::string::npos);
  // The same answer as the named analysis, through the procedure.
  RunResult chains = Sinew(tmp, {"--format", "json", "chains", "russia", "china"});
  RunResult proc = Sinew(tmp, {"--format", "json", "query",
                               "CALL sinew.chains('russia', 'china') YIELD rank, score "
                               "RETURN rank, score"});
  REQUIRE(chains.exit_code == 0);
  REQUIRE(proc.exit_code == 0);
  nlohmann::json named = nlohmann::json::parse(chains.out);
  nlohmann::json called = nlohmann::json::parse(proc.out);
  REQUIRE(named["chains"].size() >= 1);
  REQUIRE(called["rows"].size() == named["chains"].size());
  CHECK(called["rows"][0][1] == named["chains"][0]["score"]);
  // Writing to the store is refused; sketching in a scratch graph works.
  RunResult create = Sinew(tmp, {"query", "CREATE (:state {id: 'x'})"});
  CHECK(create.exit_code == 1);
  CHECK(create.err.find("sinew query --scratch") != std::string::npos);
  Write(tmp / "sketch.cypher",
        "CREATE (:Firm {name: 'A'})-[:SUPPLIES]->(:Firm {name: 'B'});\n"
        "MATCH (b:Firm {name: 'B'}) CREATE (b)-[:SUPPLIES]->(:Firm {name: 'C'});\n");
  RunResult made = Sinew(tmp, {"query", "--scratch", "CREATE (:A)-[:T]->(:B), (:C)"});
  CHECK(made.out == "scratch graph: +3 nodes, +1 relationships (now 3 nodes, 1 relationships)\n");
  RunResult sketch = Sinew(tmp, {"query", "--scratch", "--load", tmp / "sketch.cypher",
                                 "MATCH p = (:Firm {name: 'A'})-[*]->(c) RETURN c.name AS c, "
                                 "length(p) AS hops ORDER BY hops"});
  INFO(sketch.err);
  CHECK(sketch.out.find("'B'  1") != std::string::npos);
  CHECK(sketch.out.find("'C'  2") != std::string::npos);
  // A malformed query says where.
  RunResult bad = Sinew(tmp, {"query", "MATCH (n RETURN n"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("query:1:10: SyntaxError (UnexpectedSyntax)") != std::string::npos);
  // The shell takes a Cypher line as typed.
  RunResult shell = Run({SinewBinary(), "--db", tmp / "db", "shell"}, {},
                        "MATCH (n:state {id: 'russia'}) RETURN n.name AS name\n");
  CHECK(shell.out.find("Russia") != std::string::npos);
  CHECK(shell.exit_code == 0);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("JSON answers stay JSON when the question holds bytes that are not UTF-8") {
  // Found by the explorer's API tests: the echoed question made the JSON
  // writer throw, and the process aborted.
  TempDir tmp;
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--format", "json", "find", "\xff\xfe"},
        std::vector<std::string>{"--format", "json", "show", "\xff"},
        std::vector<std::string>{"--format", "json", "query", "RETURN '\xff' AS x"}}) {
    CAPTURE(args[2]);
    RunResult r = Sinew(tmp, args);
    CHECK(r.exit_code >= 0);  // not killed by a signal
    CHECK(r.exit_code <= 1);
    const std::string& text = r.exit_code == 0 ? r.out : r.err;
    CHECK(nlohmann::json::accept(text));
  }
}

}  // namespace sinew::testing
