// Malformed and hostile inputs through `sinew ingest`, each with the error an
// analyst should read (file, line and column or field, and the reason), exit
// code 1, and the store exactly as it was (a full dump compared after each).
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

struct Case {
  std::string name;
  std::string file;                 // written into the scratch directory (empty: none)
  std::string content;              // its bytes
  std::vector<std::string> args;    // after `ingest`; "@" stands for the file's path
  std::vector<std::string> expect;  // substrings of stderr, in any order
  int exit_code = 1;
};

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// A structured note with one node a1 and whatever `rest` adds.
std::string Note(const std::string& rest, const std::string& id = "hostile") {
  return R"({"source": {"id": ")" + id + R"(", "title": "Hostile note"},)" + "\n" + rest + "}";
}
std::string OneEdge(const std::string& evidence_fields, const std::string& edge_fields = "") {
  return Note(R"("nodes": [{"id": "a1", "type": "company"}],
"edges": [{"src": "a1", "type": "depends_on", "dst": "china", "domain": "trade")" +
              edge_fields + R"(, "evidence": [{"quote": "a1 buys from China")" + evidence_fields +
              "}]}]");
}

const char* kRowsMapping = R"({"format": "sinew-csv-mapping/1",
  "source": {"id": "hostile-table", "title": "Hostile table", "reliability": "B"},
  "rows": {"header_row": 1, "src": "src", "dst": "dst", "type": "type", "domain": "domain",
           "period_value": "2020"},
  "edge": {"type": "depends_on"}, "credibility": 2, "new_nodes": {"type": "company"}})";

std::string Stix(const std::string& objects) {
  return R"({"type": "bundle", "id": "bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33", "objects": )" +
         objects + "}";
}
const char* kIdentity = R"({"type": "identity", "spec_version": "2.1",
  "id": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": "2020-01-01T00:00:00Z",
  "modified": "2020-01-01T00:00:00Z", "name": "Hostile Holdings", "identity_class": "organization"})";

std::vector<Case> Cases() {
  std::vector<Case> c;
  auto json = [&](std::string name, std::string content, std::vector<std::string> expect) {
    c.push_back({std::move(name), "n.json", std::move(content), {"@"}, std::move(expect)});
  };
  // ---- Structured notes: syntax ----
  json("truncated JSON", R"({"source": {"id": "x")", {"n.json:1:", "unexpected end of input"});
  json("empty file", "", {"n.json:1:1:", "unexpected end of input"});
  json("only whitespace", "  \n\n ", {"n.json:", "unexpected end of input"});
  json("top level is an array", "[]", {"n.json:1:1:", "a note must be a JSON object"});
  json("top level is a string", "\"note\"", {"n.json:1:1:", "a note must be a JSON object"});
  json("trailing garbage", Note("\"nodes\": []") + " trailing", {"n.json:", "syntax error"});
  json("comments are not JSON", "// a note\n" + Note("\"nodes\": []"), {"n.json:1:1:"});
  json("NaN is not JSON", OneEdge(R"(, "strength": NaN)"), {"n.json:", "syntax error"});
  json("duplicate key", R"({"source": {"id": "a", "title": "t"}, "source": {"id": "b"}})",
       {"n.json:1:", "duplicate key \"source\""});
  json("NUL byte inside a string",
       Note(std::string("\"nodes\": [{\"id\": \"a\0b\", ", 24) + "\"type\": \"company\"}]"),
       {"n.json:2:", "a NUL byte"});
  json("invalid UTF-8 in a name",
       Note("\"nodes\": [{\"id\": \"a1\", \"type\": \"company\", \"name\": \"Bad \xff\xfe\"}]"),
       {"n.json:", "ill-formed UTF-8"});
  json("overlong UTF-8 encoding of '/'",
       Note("\"nodes\": [{\"id\": \"a1\", \"type\": \"company\", \"name\": \"\xc0\xaf\"}]"),
       {"n.json:", "ill-formed UTF-8"});
  json("unpaired UTF-16 surrogate escape",
       Note(R"("nodes": [{"id": "a1", "type": "company", "name": "\ud800"}])"),
       {"n.json:", "surrogate"});
  json("arrays nested 100,000 deep",
       Note("\"defaults\": " + Repeat("[", 100000) + Repeat("]", 100000)),
       {"n.json:", "nesting deeper than 64 levels"});
  json("objects nested 50,000 deep",
       Note("\"defaults\": " + Repeat("{\"a\": ", 50000) + "1" + Repeat("}", 50000)),
       {"n.json:", "nesting deeper than 64 levels"});
  // ---- Structured notes: wrong types and values ----
  json("source id is a number", R"({"source": {"id": 5, "title": "t"}})",
       {"n.json:1:", "/source/id"});
  json("nodes is an object", Note(R"("nodes": {"id": "a1"})"), {"n.json:2:", "/nodes"});
  json(
      "evidence is a string",
      Note(
          R"("nodes": [{"id": "a1", "type": "company"}], "edges": [{"src": "a1", "type": "depends_on", "dst": "china", "domain": "trade", "evidence": "trust me"}])"),
      {"n.json:", "/edges/0/evidence"});
  json("aliases not strings",
       Note(R"("nodes": [{"id": "a1", "type": "company", "aliases": [1, 2]}])"),
       {"n.json:", "/nodes/0/aliases"});
  json("number too large for a double", OneEdge(R"(, "strength": 1e400)"),
       {"n.json:", "number overflow"});
  json("credibility beyond any integer", OneEdge(R"(, "credibility": 99999999999999999999)"),
       {"n.json:", "credibility", "whole number"});
  json("negative strength", OneEdge(R"(, "strength": -0.5)"),
       {"n.json:", "\"strength\" must be between 0 and 1"});
  json("replaceability above 1", OneEdge(R"(, "replaceability": 1.5)"),
       {"n.json:", "\"replaceability\" must be between 0 and 1"});
  json("credibility 9", OneEdge(R"(, "credibility": 9)"), {"n.json:", "credibility"});
  json("reliability Z", OneEdge(R"(, "reliability": "Z")"), {"n.json:", "reliability"});
  json("impossible date", OneEdge(R"(, "valid_from": "2021-13-45")"), {"n.json:", "valid_from"});
  json("time runs backwards", OneEdge(R"(, "valid_from": "2021", "valid_to": "2014")"),
       {"n.json:", "valid_from 2021 is after valid_to 2014"});
  json("unknown marking", OneEdge(R"(, "marking": "TLP:PURPLE")"), {"n.json:", "TLP:PURPLE"});
  json("unknown modality", OneEdge(R"(, "modality": "rumoured")"), {"n.json:", "rumoured"});
  json(
      "empty quote",
      Note(
          R"("nodes": [{"id": "a1", "type": "company"}], "edges": [{"src": "a1", "type": "depends_on", "dst": "china", "domain": "trade", "evidence": [{"quote": ""}]}])"),
      {"n.json:", "evidence needs a quote"});
  json("unknown top-level field", Note(R"("nodes": [], "frobs": 1)"),
       {"n.json:2:", "unknown field \"frobs\""});
  // ---- Structured notes: ids, references, graph shape ----
  json("empty node id", Note(R"("nodes": [{"id": "", "type": "company"}])"),
       {"n.json:2:", "must be a slug"});
  json("node id with spaces and capitals",
       Note(R"("nodes": [{"id": "Big Corp", "type": "company"}])"),
       {"n.json:2:", "node id 'Big Corp' must be a slug"});
  json("source id climbing out with ..", R"({"source": {"id": "../../etc/passwd", "title": "t"}})",
       {"n.json:1:", "source id '../../etc/passwd' must be a slug"});
  json("unknown node type", Note(R"("nodes": [{"id": "a1", "type": "spaceship"}])"),
       {"n.json:2:", "unknown node type 'spaceship'"});
  json("unknown edge type", OneEdge("").replace(OneEdge("").find("depends_on"), 10, "adores"),
       {"n.json:", "unknown edge type 'adores'"});
  json("unknown domain", OneEdge("").replace(OneEdge("").find("\"trade\""), 7, "\"astrology\""),
       {"n.json:", "astrology"});
  json("edge to a node nobody declared",
       OneEdge("").replace(OneEdge("").find("\"china\""), 7, "\"atlantis\""),
       {"n.json:", "unknown node 'atlantis'"});
  json("self-loop", OneEdge("").replace(OneEdge("").find("\"china\""), 7, "\"a1\""),
       {"n.json:", "joins 'a1' to itself"});
  json("node declared twice",
       Note(R"("nodes": [{"id": "a1", "type": "company"}, {"id": "a1", "type": "company"}])"),
       {"n.json:2:", "node 'a1' is declared twice"});
  json("an existing node retyped", Note(R"("nodes": [{"id": "china", "type": "company"}])"),
       {"n.json:2:", "node 'china' is a state"});
  json("alias explosion: 5,000 aliases on one node",
       [] {
         std::string aliases;
         for (int i = 0; i < 5000; ++i)
           aliases += (i ? ", \"alias " : "\"alias ") + std::to_string(i) + "\"";
         return Note(R"("nodes": [{"id": "a1", "type": "company", "aliases": [)" + aliases + "]}]");
       }(),
       {"n.json:2:", "node 'a1' has 5000 aliases; at most 1000"});
  json(
      "a name of 100,000 bytes",
      Note(R"("nodes": [{"id": "a1", "type": "company", "name": ")" + Repeat("x", 100000) + "\"}]"),
      {"n.json:2:", "longer than 1024 bytes"});
  json("a quote on one 5 MB line",
       OneEdge("").replace(OneEdge("").find("a1 buys"), 18, Repeat("a1 buys ", 650000)),
       {"n.json:", "a quote of 5200000 bytes; at most 65536"});
  // ---- Markings never fail open (#24) ----
  json("an empty source marking", R"({"source": {"id": "x", "title": "t", "marking": ""}})",
       {"n.json:1:", "bad marking ''", "/source/marking"});
  json("an empty evidence marking", OneEdge(R"(, "marking": "")"),
       {"n.json:", "bad marking ''", "/marking"});
  // ---- Control characters and NUL (#24) ----
  json("an escape sequence in a name",
       Note(R"("nodes": [{"id": "a1", "type": "company", "name": "Acme \u001b[2J Corp"}])"),
       {"n.json:2:", "control character (U+001B)"});
  json("a NUL in an alias (once matched lookups of the name before it)",
       Note(R"("nodes": [{"id": "a1", "type": "company", "aliases": ["china\u0000 alias"]}])"),
       {"n.json:2:", "control character (U+0000)"});
  json("a right-to-left override in a name",
       Note(R"("nodes": [{"id": "a1", "type": "company", "name": "evil\u202egnp.exe"}])"),
       {"n.json:2:", "U+202E"});
  json("a NUL in a quote", OneEdge(R"(, "basis": "ok")").replace(
                               OneEdge(R"(, "basis": "ok")").find("a1 buys"), 7, "a1\\u0000 b"),
       {"n.json:", "the evidence's quote holds a NUL character"});
  json("a NUL in props",
       Note(R"("nodes": [{"id": "a1", "type": "company", "props": {"k": ["v\u0000"]}}])"),
       {"n.json:2:", "NUL character in props"});
  json("text after a NUL byte (once ignored)",
       std::string("{\"source\": {\"id\": \"x\", \"title\": \"t\"}}\0 and more", 45),
       {"n.json:1:38:", "a NUL byte"});
  json("a UTF-16 note", std::string("\xff\xfe{\0\"\0}\0", 8), {"n.json", "UTF-16"});
  json("an id of 10 MB is not echoed whole",
       R"({"source": {"id": ")" + Repeat("X", 10 << 20) + R"(", "title": "t"}})",
       {"n.json:1:", "must be a slug", "XXX..."});
  // ---- Structured notes: sources ----
  c.push_back({"a note posing as another note's revision",
               "n.json",
               Note(R"("nodes": [])", "sinew-reference-actors"),
               {"@"},
               {"n.json:1:", "source 'sinew-reference-actors' is already in the store from",
                "00-reference.json", "--replace"}});
  c.push_back({"two files naming one source in one command",
               "n.json",
               Note(R"("nodes": [])"),
               {"@", "@2"},
               {"hostile", "also"}});
  // ---- Text notes ----
  auto text = [&](std::string name, std::string file, std::string content,
                  std::vector<std::string> expect) {
    c.push_back({std::move(name), std::move(file), std::move(content), {"@"}, std::move(expect)});
  };
  text("front matter never closed", "t.md", "---\ntitle: never closed\n\nbody text\n",
       {"t.md:1:", "front matter"});
  text("impossible date in front matter", "t.md",
       "---\nid: hostile-text\ntitle: t\npublished: 2021-02-30\n---\nRussia buys from China.\n",
       {"t.md:4:", "published"});
  text("binary bytes", "t.txt",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0\0\0\0",
                   11) +
           "x",
       {"t.txt", "binary"});
  text("Latin-1 text (not UTF-8)", "t.md",
       "---\nid: hostile-text\ntitle: t\n---\nM\xfcnchen buys gas.\n", {"t.md:5:", "UTF-8"});
  text("empty text note", "t.md", "", {"t.md"});
  text("a line of 8 MiB", "t.md",
       "---\nid: hostile-text\ntitle: t\n---\n" + Repeat("Russia depends on China and ", 300000),
       {"t.md:5:1:", "a line longer than 1 MiB"});
  text("front matter id climbing out with ..", "t.md",
       "---\nid: ../../etc\ntitle: t\n---\nRussia buys from China.\n", {"t.md", "must be a slug"});
  // ---- CSV tables ----
  auto csv = [&](std::string name, std::string content, std::vector<std::string> expect,
                 std::string mapping = kRowsMapping) {
    Case k{
        std::move(name), "t.csv", std::move(content), {"@", "--mapping", "@m"}, std::move(expect)};
    k.args.push_back("#" + mapping);  // the mapping's text, written to m.json
    c.push_back(std::move(k));
  };
  csv("a column the mapping names is missing", "from,to\nrussia,china\n", {"t.csv:1:", "src"});
  csv("ragged row", "src,dst,type,domain\nrussia,china,depends_on,trade,extra,more\n",
      {"t.csv:2:"});
  csv("unterminated quote", "src,dst,type,domain\n\"russia,china,depends_on,trade\n",
      {"t.csv:2:1:", "never closed"});
  csv("empty table", "", {"t.csv"});
  csv("header only", "src,dst,type,domain\n", {"m.json", "selected no values"});
  csv("unknown edge type in a row", "src,dst,type,domain\nrussia,china,adores,trade\n",
      {"t.csv:2:", "adores"});
  csv("unknown domain in a row", "src,dst,type,domain\nrussia,china,depends_on,astrology\n",
      {"t.csv:2:", "astrology"});
  csv("empty party", "src,dst,type,domain\n,china,depends_on,trade\n", {"t.csv:2:"});
  csv("mapping is not JSON", "src,dst,type,domain\nrussia,china,depends_on,trade\n",
      {"m.json:1:12:", "not valid JSON", "unexpected end of input"}, "{\"format\": ");
  csv("mapping with a number too large for a double",
      "src,dst,type,domain\nrussia,china,depends_on,trade\n",
      {"m.json:1:", "number overflow parsing '1e999'"},
      R"({"format": "sinew-csv-mapping/1", "credibility": 1e999})");
  csv("mapping of another format", "src,dst,type,domain\nrussia,china,depends_on,trade\n",
      {"m.json", "format"}, R"({"format": "sinew-csv-mapping/9"})");
  csv("a header row past any integer (once read as -294967296)",
      "src,dst,type,domain\nrussia,china,depends_on,trade\n",
      {"m.json", "/rows/header_row", "4000000000"},
      R"({"format": "sinew-csv-mapping/1",
  "source": {"id": "hostile-table", "title": "Hostile table", "reliability": "B"},
  "rows": {"header_row": 4000000000, "src": "src", "dst": "dst", "type": "type", "domain": "domain",
           "period_value": "2020"},
  "edge": {"type": "depends_on"}, "credibility": 2, "new_nodes": {"type": "company"}})");
  c.push_back({"a table without a mapping",
               "t.csv",
               "src,dst\nrussia,china\n",
               {"@"},
               {"t.csv", "--mapping"}});
  // ---- STIX ----
  auto stix = [&](std::string name, std::string content, std::vector<std::string> expect) {
    c.push_back({std::move(name), "s.json", std::move(content), {"@"}, std::move(expect)});
  };
  stix("objects is not an array", Stix(R"({"type": "identity"})"), {"s.json:1:", "objects"});
  stix("an object without a type",
       Stix(R"([{"id": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}])"),
       {"s.json:1:", "type"});
  stix(
      "an id of another type",
      Stix(
          R"([{"type": "identity", "id": "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "name": "x"}])"),
      {"s.json:1:",
       "id 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' does not start with its type "
       "'identity--'"});
  stix("a truncated bundle", Stix(std::string("[") + kIdentity).substr(0, 200),
       {"s.json:2:", "syntax error"});
  stix(
      "a relationship whose source_ref is a number",
      Stix(
          std::string("[") + kIdentity +
          R"(, {"type": "relationship", "spec_version": "2.1", "id": "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "related-to", "source_ref": 7, "target_ref": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}])"),
      {"s.json:", "the relationship has no \"source_ref\""});
  stix("confidence 1000",
       Stix(std::string("[") +
            std::string(kIdentity).replace(std::string(kIdentity).find("\"name\""), 0,
                                           "\"confidence\": 1000, ") +
            "]"),
       {"s.json:", "confidence 1000 is not a whole number from 0 to 100"});
  // Malformed markings are errors, never read as unmarked (#24).
  for (const char* refs : {R"("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")",
                           R"([{"id": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}])",
                           "[5]", "[null]", R"(["TLP:RED"])"}) {
    std::string o = kIdentity;
    o.replace(o.find("\"name\""), 0, std::string("\"object_marking_refs\": ") + refs + ", ");
    stix(std::string("object_marking_refs given as ") + refs, Stix("[" + o + "]"),
         {"s.json:", "malformed marking", "object_marking_refs"});
  }
  {
    std::string o = kIdentity;
    o.replace(o.find("\"name\""), 0, R"("granular_markings": [{"selectors": ["name"]}], )");
    stix("a granular marking without its reference", Stix("[" + o + "]"),
         {"s.json:", "malformed marking", "marking_ref"});
  }
  // ---- JSON Lines exports ----
  auto jsonl = [&](std::string name, std::string content, std::vector<std::string> expect) {
    c.push_back({std::move(name), "x.jsonl", std::move(content), {"@"}, std::move(expect)});
  };
  jsonl("no header line",
        R"({"kind": "node", "id": "a1", "type": "company"})"
        "\n",
        {"x.jsonl:1:", "sinew-jsonl"});
  jsonl("broken JSON on line 3",
        R"({"format": "sinew-jsonl/1", "kind": "export", "clearance": "TLP:GREEN"})"
        "\n"
        R"({"kind": "source", "id": "s1", "title": "t", "file": "f", "content_hash": "x", "marking": "TLP:CLEAR"})"
        "\n"
        R"({"kind": "node", "id": )"
        "\n",
        {"x.jsonl:3:", "not JSON", "unexpected end of input"});
  jsonl("a newer format",
        R"({"format": "sinew-jsonl/9", "kind": "export"})"
        "\n",
        {"x.jsonl:1:", "sinew-jsonl/9", "upgrade"});
  jsonl("a number too large for a double (found by jsonl_fuzz)",
        R"({"format": "sinew-jsonl/1", "kind": "export", "left_out_edges": 92e8267})"
        "\n",
        {"x.jsonl:1:", "not JSON", "number overflow parsing '92e8267'"});
  jsonl("an unknown kind of line",
        R"({"format": "sinew-jsonl/1", "kind": "export", "clearance": "TLP:GREEN"})"
        "\n"
        R"({"kind": "spell", "id": "s1"})"
        "\n",
        {"x.jsonl:2:", "spell"});
  // ---- Paths ----
  c.push_back(
      {"no such file", "", "", {"no-such-note.json"}, {"no-such-note.json", "no such file"}});
  c.push_back({"a path climbing out with ..",
               "",
               "",
               {"../../no-such-dir/../note.json"},
               {"note.json", "no such file"}});
  c.push_back({"a directory without notes", "", "", {"@dir"}, {"no notes"}});
  c.push_back({"a named pipe (would block forever)", "", "", {"@fifo"}, {"not a regular file"}});
  c.push_back({"a device", "", "", {"/dev/zero"}, {"/dev/zero", "not a regular file"}});
  c.push_back({"rules file is a pipe",
               "t.md",
               "---\nid: hostile-text\ntitle: t\n---\nx.\n",
               {"@", "--rules", "@fifo"},
               {"rules file", "not a regular file"}});
  c.push_back({"an executable", "n.exe", "MZ\x90", {"@"}, {"n.exe", "cannot ingest '.exe' files"}});
  return c;
}

}  // namespace

TEST_CASE("hostile inputs: a clear error, exit 1, and the store unchanged") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Run({SinewBinary(), "--db", db, "init"}).exit_code == 0);
  REQUIRE(Run({SinewBinary(), "--db", db, "ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
  std::string before = Run({SinewBinary(), "--db", db, "dump"}).out;
  REQUIRE(before.size() > 1000);
  std::filesystem::create_directories(tmp / "empty-dir");
  REQUIRE(::mkfifo((tmp / "pipe.json").c_str(), 0600) == 0);

  std::vector<Case> cases = Cases();
  CHECK(cases.size() >= 60);
  for (const Case& k : cases) {
    CAPTURE(k.name);
    std::string dir = tmp / ("case-" + std::to_string(&k - cases.data()));
    std::filesystem::create_directories(dir);
    std::string path = dir + "/" + k.file;
    if (!k.file.empty()) {
      std::ofstream(path, std::ios::binary) << k.content;
    }
    std::vector<std::string> argv = {SinewBinary(), "--db", db, "ingest"};
    for (size_t i = 0; i < k.args.size(); ++i) {
      const std::string& a = k.args[i];
      if (a == "@")
        argv.push_back(path);
      else if (a == "@2") {  // the same note again under another name
        std::ofstream(dir + "/copy-" + k.file, std::ios::binary) << k.content;
        argv.push_back(dir + "/copy-" + k.file);
      } else if (a == "@m")
        argv.push_back(dir + "/m.json");
      else if (a[0] == '#')
        std::ofstream(dir + "/m.json", std::ios::binary) << a.substr(1);
      else if (a == "@dir")
        argv.push_back(tmp / "empty-dir");
      else if (a == "@fifo")
        argv.push_back(tmp / "pipe.json");
      else
        argv.push_back(a);
    }
    RunResult r = Run(argv);
    CAPTURE(r.err);
    CHECK(r.exit_code == k.exit_code);
    for (const std::string& e : k.expect) CHECK(r.err.find(e) != std::string::npos);
    CHECK(r.err.size() < 4000);                                // one clear message, not a flood
    CHECK(r.err.find("json.exception") == std::string::npos);  // our words, not the library's
    CHECK(Run({SinewBinary(), "--db", db, "dump"}).out == before);
  }
  CHECK(Run({SinewBinary(), "--db", db, "check"}).exit_code == 0);
}

// Work in proportion to size, whatever the shape (#24): a note on one line
// costs what it costs pretty-printed (once 100x: every value's column was
// counted from the line's start), and one run-on sentence of 1 MB what the
// same words cost as ordinary sentences (once it did not finish). This
// compares two runs of the same program on the same amount of input, so
// it asks about growth, not speed: a quadratic step makes the ratio tens or
// hundreds, noise makes it 1.5 at most.
TEST_CASE("hostile inputs take time in proportion to their size, whatever their shape") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Run({SinewBinary(), "--db", db, "init"}).exit_code == 0);
  REQUIRE(Run({SinewBinary(), "--db", db, "ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
  auto cpu = [&](const std::string& file) {
    RunResult r = Run({SinewBinary(), "--db", db, "ingest", "--dry-run", file});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.cpu_seconds;
  };
  // 100,000 nodes and 10,000 links, minified and pretty-printed.
  nlohmann::json note = {{"source", {{"id", "wide"}, {"title", "wide"}}},
                         {"nodes", nlohmann::json::array()},
                         {"edges", nlohmann::json::array()}};
  for (int i = 0; i < 100000; ++i)
    note["nodes"].push_back({{"id", "n" + std::to_string(i)}, {"type", "company"}});
  for (int i = 0; i < 100000; i += 10)
    note["edges"].push_back({{"src", "n" + std::to_string(i)},
                             {"type", "supplies"},
                             {"dst", "n" + std::to_string(i + 1)},
                             {"domain", "trade"},
                             {"evidence", {{{"quote", "q" + std::to_string(i)}}}}});
  std::ofstream(tmp / "one-line.json") << note.dump();
  std::ofstream(tmp / "pretty.json") << note.dump(2);
  double one_line = cpu(tmp / "one-line.json"), pretty = cpu(tmp / "pretty.json");
  CAPTURE(one_line);
  CAPTURE(pretty);
  CHECK(one_line <= 2 * pretty + 0.2);
  // About 1 MB of prose: one sentence, then the same words in sentences of 15.
  const std::vector<std::string> words = {"Russia", "supplies", "gas", "to", "China", "and",
                                          "the", "company", "relies", "on", "CNPC", "in", "2019"};
  std::string run_on, ordinary;
  for (size_t i = 0; run_on.size() < 990000; ++i) {
    const std::string& w = words[(i * 7 + i / 13) % words.size()];
    run_on += (i ? " " : "") + w;
    ordinary += (i ? (i % 15 == 0 ? ". " : " ") : "") + (i % 15 == 0 ? std::string(1, static_cast<char>(std::toupper(w[0]))) + w.substr(1) : w);
  }
  std::ofstream(tmp / "run-on.md") << "# Note\n\n" << run_on << ".\n";
  std::ofstream(tmp / "ordinary.md") << "# Note\n\n" << ordinary << ".\n";
  double long_sentence = cpu(tmp / "run-on.md"), sentences = cpu(tmp / "ordinary.md");
  CAPTURE(long_sentence);
  CAPTURE(sentences);
  CHECK(long_sentence <= 2 * sentences + 0.2);
}

}  // namespace sinew::testing
