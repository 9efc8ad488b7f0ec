// The markings matrix: a store holding TLP:CLEAR, GREEN, AMBER, AMBER+STRICT
// and RED evidence, asked every question and exported in every format at
// every clearance. Two checks per answer:
//  - nothing marked above the clearance appears (canary words in quotes,
//    titles, names and aliases; nodes only such evidence asserts);
//  - the answer is exactly the answer of a store that never held anything
//    above the clearance, so no score, count, rank or "did you mean" hint
//    can carry a trace of it either.
// Exports alone may say how much they left out (a count, never what).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/commands.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

using nlohmann::json;

const std::vector<std::string> kLevels = {"clear", "green", "amber", "amber+strict", "red"};

int Rank(const std::string& level) {
  for (size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == level) return static_cast<int>(i);
  FAIL("unknown level " << level);
  return -1;
}

std::string Tlp(const std::string& level) {
  std::string up = level;
  for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "TLP:" + up;
}

struct Ev {
  Ev(std::string q, std::string l = "", std::string st = "supports", double s = 0.5, double r = 0.5,
     int c = 2, std::string status = "accepted")
      : quote(std::move(q)),
        level(std::move(l)),
        stance(std::move(st)),
        strength(s),
        replaceability(r),
        credibility(c),
        status(std::move(status)) {}
  std::string quote, level;  // level "" = the source's
  std::string stance;
  double strength, replaceability;
  int credibility;
  std::string status;
};
struct Edge {
  std::string src, type, dst, domain;
  std::vector<Ev> evidence;
};
struct Node {
  std::string id, type, name;
  std::vector<std::string> aliases;
};
struct Figure {
  std::string subject, object, metric, unit, period, quote, level;
  double low, high;
};
struct Source {
  std::string id, title, level;
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::vector<Figure> figures;
};

// Words that must never show below their level; each names its level.
const std::vector<std::pair<std::string, std::string>> kCanaries = {
    {"canary-amber", "amber"},
    {"kestrel", "amber"},
    {"canary-strict", "amber+strict"},
    {"canary-red", "red"},
    {"nightjar", "red"}};

std::vector<Source> Fixture() {
  std::vector<Source> s;
  s.push_back(
      {"open-brief",
       "An open brief",
       "clear",
       {{"russia", "state", "Russia", {"Russian Federation"}},
        {"china", "state", "China", {"PRC"}},
        {"huawei", "company", "Huawei", {}},
        {"comac", "company", "COMAC", {}},
        {"cr-929", "project", "CR-929", {"CR929"}}},
       {{"russia",
         "depends_on",
         "china",
         "trade",
         {{"Russia trades more with China each year.", "", "supports", 0.6, 0.4, 2},
          {"canary-amber trade is larger than reported.", "amber", "supports", 0.9, 0.1, 1}}},
        {"russia",
         "depends_on",
         "china",
         "technology",
         {{"Russian networks run on Chinese switches.", "", "supports", 0.5, 0.5, 2},
          {"canary-red says the switches are being replaced.", "red", "contradicts", 0.5, 0.5, 1}}},
        {"huawei", "supplies", "russia", "technology", {{"Huawei sells to Russian carriers."}}},
        {"russia",
         "participates_in",
         "cr-929",
         "technology",
         {{"Russia co-designs the CR-929.", "green"}}},
        {"comac", "participates_in", "cr-929", "technology", {{"COMAC leads the CR-929."}}},
        {"china",
         "supplies",
         "russia",
         "technology",
         {{"China may sell Russia chip tools.", "", "supports", 0.5, 0.5, 3, "proposed"},
          {"canary-amber China already sells the tools.", "amber", "supports", 0.7, 0.3, 2,
           "proposed"}}}},
       {{"china", "russia", "share_of_foreign_trade", "%", "2021",
         "China holds a fifth of Russian trade.", "", 20, 25},
        {"china", "russia", "share_of_foreign_trade", "%", "2022",
         "canary-red figure for the next year.", "red", 98765, 98765}}});
  s.push_back({"green-wire",
               "A community wire",
               "green",
               {{"china", "state", "China", {"Middle Kingdom"}}},
               {{"china",
                 "depends_on",
                 "russia",
                 "resources",
                 {{"China buys Russian gas by pipeline.", "", "supports", 0.4, 0.6, 3}}}},
               {}});
  s.push_back(
      {"amber-cable",
       "canary-amber cable title",
       "amber",
       {{"kestrel", "company", "Kestrel Works", {"canary-amber-kestrel"}},
        {"russia", "state", "Russia", {"canary-amber-alias"}}},
       {{"kestrel", "supplies", "huawei", "technology", {{"Kestrel makes Huawei's chips."}}},
        {"huawei", "depends_on", "kestrel", "technology", {{"Huawei needs Kestrel."}}},
        {"russia",
         "depends_on",
         "kestrel",
         "technology",
         {{"canary-amber Russia buys Kestrel parts.", "", "supports", 0.8, 0.2, 2}}},
        {"kestrel", "substitutes_for", "huawei", "technology", {{"Kestrel could stand in."}}}},
       {}});
  s.push_back(
      {"strict-memo",
       "A strict memo",
       "amber+strict",
       {},
       {{"cr-929",
         "depends_on",
         "kestrel",
         "technology",
         {{"canary-strict the airliner needs Kestrel avionics.", "", "supports", 0.7, 0.2, 2}}}},
       {}});
  s.push_back(
      {"red-source",
       "canary-red source title",
       "red",
       {{"nightjar", "company", "Nightjar Foundry", {"canary-red-nightjar"}},
        {"china", "state", "China", {"canary-red-alias"}}},
       {{"china", "depends_on", "nightjar", "technology", {{"canary-red China needs it."}}},
        {"nightjar", "supplies", "china", "technology", {{"canary-red It ships to China."}}},
        {"russia",
         "depends_on",
         "china",
         "trade",
         {{"canary-red the trade link is stronger.", "", "supports", 1.0, 0.0, 1}}},
        {"cr-929", "depends_on", "nightjar", "technology", {{"canary-red airframes."}}}},
       {}});
  // A claim marked below its source: its effective marking is the source's
  // (it once showed this title, id and grade at CLEAR).
  s.push_back({"red-low-claim",
               "canary-red title of a note with a low claim",
               "red",
               {},
               {{"huawei",
                 "supplies",
                 "china",
                 "technology",
                 {{"canary-red said to be CLEAR inside a RED note.", "clear"}}}},
               {}});
  return s;
}

// The note of `src` as a store cleared only to `cap` would have received it:
// evidence above `cap` removed, links and figures left without evidence dropped.
// Empty when the whole source is above `cap`.
std::string Render(const Source& src, int cap) {
  if (Rank(src.level) > cap) return "";
  auto level_of = [&](const std::string& l) { return Rank(l.empty() ? src.level : l); };
  json note = {
      {"format", "sinew-note/1"},
      {"source",
       {{"id", src.id}, {"title", src.title}, {"reliability", "B"}, {"marking", Tlp(src.level)}}},
      {"nodes", json::array()},
      {"edges", json::array()},
      {"observations", json::array()}};
  for (const auto& n : src.nodes)
    note["nodes"].push_back(
        {{"id", n.id}, {"type", n.type}, {"name", n.name}, {"aliases", n.aliases}});
  for (const auto& e : src.edges) {
    json ev = json::array();
    for (const auto& x : e.evidence) {
      if (level_of(x.level) > cap) continue;
      json j = {{"quote", x.quote},
                {"stance", x.stance},
                {"strength", x.strength},
                {"replaceability", x.replaceability},
                {"credibility", x.credibility},
                {"paraphrase", true},
                {"status", x.status}};
      if (!x.level.empty()) j["marking"] = Tlp(x.level);
      ev.push_back(j);
    }
    if (ev.empty()) continue;
    note["edges"].push_back(
        {{"src", e.src}, {"type", e.type}, {"dst", e.dst}, {"domain", e.domain}, {"evidence", ev}});
  }
  for (const auto& f : src.figures) {
    if (level_of(f.level) > cap) continue;
    json ev = {{"quote", f.quote}, {"paraphrase", true}};
    if (!f.level.empty()) ev["marking"] = Tlp(f.level);
    note["observations"].push_back({{"subject", f.subject},
                                    {"object", f.object},
                                    {"metric", f.metric},
                                    {"value", {{"low", f.low}, {"high", f.high}}},
                                    {"unit", f.unit},
                                    {"period", f.period},
                                    {"evidence", ev}});
  }
  return note.dump(1);
}

// A store, and a session on it like the shell's: questions are answered in
// this process through the command table (fast enough to ask thousands), and
// projections are kept between them, so a cache shared across clearances
// would show here too.
struct Store {
  std::string db;
  std::unique_ptr<cli::SessionCache> session = std::make_unique<cli::SessionCache>();

  // Writes run the real binary, at a fixed time.
  RunResult Write(std::vector<std::string> args) const {
    args.insert(args.begin(), {SinewBinary(), "--db", db});
    return Run(args, {{"SINEW_NOW", "2026-01-01T00:00:00Z"}, {"SINEW_ANALYST", "matrix"}});
  }
  RunResult Ask(const std::vector<std::string>& args) const {
    cli::Context ctx;
    ctx.db = db;
    ctx.session = session.get();
    std::ostringstream out, err;
    // Exports report what they left out on standard error.
    std::streambuf* cerr = std::cerr.rdbuf(err.rdbuf());
    int code = cli::Dispatch(args, ctx, out, err);
    std::cerr.rdbuf(cerr);
    return {code, out.str(), err.str()};
  }
};

// A store holding every source's note as a store cleared to `cap` would.
Store Build(const TempDir& tmp, const std::string& name, int cap) {
  Store s{tmp / name};
  REQUIRE(s.Write({"init"}).exit_code == 0);
  const std::string notes = tmp / (name + "-notes");
  std::filesystem::create_directories(notes);
  for (const auto& src : Fixture()) {
    std::string text = Render(src, cap);
    if (text.empty()) continue;
    std::string path = notes + "/" + src.id + ".json";
    std::ofstream(path) << text;
    RunResult r = s.Write({"ingest", path});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  return s;
}

// Record ids (e12, ev3, ...) are numbered in ingest order, so a store that
// never held the hidden records numbers the rest differently.
std::string Normalise(const std::string& text) {
  static const std::regex ids(R"(\b(ev|e|o|n|s)[0-9]+\b)");
  static const std::regex stix_ids(
      R"(--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  static const std::regex left_out(R"(; left out above it: [^\n]*)");
  // The two stores read different files: the full notes and the cut ones.
  static const std::regex files(R"((mixed|only-[0-9])-notes/)");
  static const std::regex hashes(R"x("content_hash":"[0-9a-f]+")x");
  static const std::regex counted(R"x("left_out_(edges|evidence|nodes)":[0-9]+)x");
  std::string t = std::regex_replace(text, ids, "$1#");
  t = std::regex_replace(t, files, "notes/");
  t = std::regex_replace(t, hashes, R"x("content_hash":"#")x");
  t = std::regex_replace(t, counted, R"x("left_out_$1":"counted")x");
  t = std::regex_replace(t, stix_ids, "--uuid");
  return std::regex_replace(t, left_out, "; left out above it: (counted)");
}

// Every read command, in every text format it offers.
std::vector<std::vector<std::string>> Questions() {
  std::vector<std::vector<std::string>> q = {
      {"show", "russia"},
      {"show", "china"},
      {"show", "huawei"},
      {"show", "cr-929"},
      {"show", "kestrel"},
      {"show", "nightjar"},
      {"show", "Kestrel Works"},
      {"show", "canary-red-alias"},
      {"find", "kestrel"},
      {"find", "nightjar"},
      {"find", "canary"},
      {"find", "middle"},
      {"find", "russian"},
      {"find", "nightjr"},
      {"deps", "russia", "--via", "all"},
      {"deps", "china", "--reverse", "--via", "all"},
      {"deps", "cr-929", "--depth", "4"},
      {"chains", "russia", "china", "--via", "all"},
      {"chains", "russia", "kestrel", "--via", "all"},
      {"chains", "cr-929", "nightjar", "--via", "all"},
      {"chains", "huawei", "kestrel"},
      {"path", "russia", "kestrel", "--via", "all"},
      {"path", "cr-929", "china", "--via", "all", "--mode", "shortest"},
      {"impact", "china"},
      {"impact", "kestrel"},
      {"impact", "nightjar"},
      {"critical"},
      {"critical", "russia"},
      {"critical", "cr-929"},
      {"substitutes", "huawei", "--for", "russia"},
      {"substitutes", "china"},
      {"asymmetry", "russia", "china"},
      {"evidence", "russia", "china"},
      {"evidence", "huawei", "kestrel"},
      {"evidence", "china", "nightjar"},
      {"timeline", "russia"},
      {"timeline", "china", "russia"},
      {"stats"},
      {"query", "MATCH (n) RETURN n.id AS id, n.name AS name, n.aliases AS aliases ORDER BY id"},
      {"query",
       "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, r.confidence, r.evidence, "
       "r.sources ORDER BY a.id, type(r), b.id, r.confidence"},
      {"query", "MATCH (n) RETURN labels(n)[0] AS type, count(*) AS n ORDER BY type"},
      {"query",
       "CALL sinew.chains('cr-929', 'china', {maxDepth: 3}) YIELD rank, score, path "
       "RETURN rank, score, path"},
      {"query", "CALL sinew.impact('china') YIELD node, exposure RETURN node.id, exposure"},
      {"review", "list"},
      {"review", "list", "--by", "note"},
  };
  std::vector<std::vector<std::string>> all;
  for (const auto& args : q)
    for (const char* format : {"table", "json"}) {
      all.push_back(args);
      all.back().insert(all.back().end(), {"--format", format});
    }
  for (const char* format : {"jsonl", "graphml", "cypher", "dot", "stix"}) {
    all.push_back({"export", "--format", format});
    all.push_back({"export", "--format", format, "--around", "china", "--depth", "2"});
  }
  all.push_back({"export", "--format", "jsonl", "--chain", "russia", "kestrel", "--via", "all"});
  all.push_back({"deps", "russia", "--via", "all", "--format", "dot"});
  all.push_back({"chains", "russia", "china", "--via", "all", "--format", "csv"});
  return all;
}

std::string Joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

TEST_CASE("markings: at every clearance, every answer is the answer of a store without the rest") {
  TempDir tmp;
  Store mixed = Build(tmp, "mixed", Rank("red"));
  const auto questions = Questions();
  // Each canary is in the full store's answers, so its absence below means something.
  std::map<std::string, int> seen_at_red;
  for (size_t lvl = 0; lvl < kLevels.size(); ++lvl) {
    const std::string& clearance = kLevels[lvl];
    Store only = Build(tmp, "only-" + std::to_string(lvl), static_cast<int>(lvl));
    for (auto args : questions) {
      // Exports default to GREEN; say the level so every level is asked.
      args.insert(args.end(), {"--clearance", clearance});
      CAPTURE(clearance);
      CAPTURE(Joined(args));
      RunResult got = mixed.Ask(args);
      RunResult want = only.Ask(args);
      CHECK(got.exit_code == want.exit_code);
      CHECK(Normalise(got.out) == Normalise(want.out));
      CHECK(Normalise(got.err) == Normalise(want.err));
      // (An answer may echo the question: "no node 'nightjar'" is no leak.)
      const std::string asked = Joined(args);
      for (const auto& canary : kCanaries) {
        const std::string& word = canary.first;  // (clang 14 cannot CAPTURE a structured binding)
        const std::string& level = canary.second;
        if (asked.find(word) != std::string::npos) continue;
        bool shows =
            got.out.find(word) != std::string::npos || got.err.find(word) != std::string::npos;
        if (Rank(level) > static_cast<int>(lvl)) {
          CAPTURE(word);
          CHECK_FALSE(shows);
        }
        if (clearance == "red" && shows) ++seen_at_red[word];
      }
    }
  }
  for (const auto& canary : kCanaries) {
    const std::string& word = canary.first;
    CAPTURE(word);
    CHECK(seen_at_red[word] > 0);
  }
  // A claim above clearance is as absent as one never made, by id too.
  RunResult all = mixed.Ask({"stats", "--format", "json"});
  REQUIRE(all.exit_code == 0);
  const int total = json::parse(all.out).at("evidence").get<int>();
  for (size_t lvl = 0; lvl < kLevels.size(); ++lvl) {
    CAPTURE(kLevels[lvl]);
    RunResult stats = mixed.Ask({"stats", "--format", "json", "--clearance", kLevels[lvl]});
    REQUIRE(stats.exit_code == 0);
    int shown = 0;
    for (int id = 1; id <= total; ++id) {
      RunResult r = mixed.Ask({"review", "show", "ev" + std::to_string(id), "--clearance",
                               kLevels[lvl], "--format", "json"});
      CAPTURE(id);
      if (r.exit_code != 0) {
        CHECK(r.err.find("no evidence ev" + std::to_string(id)) != std::string::npos);
        continue;
      }
      ++shown;
      for (const auto& canary : kCanaries)
        if (Rank(canary.second) > static_cast<int>(lvl))
          CHECK(r.out.find(canary.first) == std::string::npos);
    }
    CHECK(shown == json::parse(stats.out).at("evidence").get<int>());
    if (kLevels[lvl] == "red") CHECK(shown == total);
  }
}

TEST_CASE(
    "markings: at every clearance, STIX and JSON Lines exports come back in as the same graph") {
  TempDir tmp;
  Store mixed = Build(tmp, "mixed", Rank("red"));
  for (size_t lvl = 0; lvl < kLevels.size(); ++lvl) {
    const std::string& clearance = kLevels[lvl];
    for (const std::string format : {"stix", "jsonl"}) {
      CAPTURE(clearance);
      CAPTURE(format);
      RunResult out = mixed.Write({"export", "--format", format, "--clearance", clearance});
      REQUIRE_MESSAGE(out.exit_code == 0, out.err);
      const std::string name = format + "-" + clearance;
      const std::string file = tmp / (name + (format == "stix" ? ".json" : ".jsonl"));
      std::ofstream(file, std::ios::binary) << out.out;
      Store back{tmp / ("back-" + name)};
      REQUIRE(back.Write({"init"}).exit_code == 0);
      RunResult in = back.Write({"ingest", file});
      REQUIRE_MESSAGE(in.exit_code == 0, in.err);
      RunResult again = back.Write({"export", "--format", format, "--clearance", clearance});
      REQUIRE(again.exit_code == 0);
      if (format == "stix") {
        CHECK(again.out == out.out);  // the same objects, ids and bytes
        if (clearance == "red") CHECK(out.out.find("\"x-sinew-observation\"") != std::string::npos);
      } else {
        // The same sources, nodes, links, evidence and figures. The header
        // counts what the first store held back, and each source line says
        // which file this store read it from: those two differ by design.
        auto lines = [](const std::string& text) {
          std::vector<std::string> kept;
          std::istringstream in(text);
          std::string line;
          for (bool first = true; std::getline(in, line); first = false) {
            if (first) continue;
            json j = json::parse(line);
            if (j.value("kind", "") == "source") {
              j.erase("file");
              j.erase("content_hash");
            }
            // Edge, figure and evidence ids are the store's own numbers.
            if (j.value("kind", "") == "edge" || j.value("kind", "") == "observation") {
              j.erase("id");
              if (j.contains("conflicts_with")) j["conflicts_with"] = j["conflicts_with"].size();
            }
            if (j.contains("evidence") && j["evidence"].is_array())
              for (auto& ev : j["evidence"]) ev.erase("id");
            kept.push_back(j.dump());
          }
          return kept;
        };
        std::vector<std::string> want = lines(out.out), got = lines(again.out);
        for (size_t k = 0; k < std::min(want.size(), got.size()); ++k)
          if (want[k] != got[k]) {
            MESSAGE("want: " << want[k].substr(0, 600) << "\ngot:  " << got[k].substr(0, 600));
            break;
          }
        CHECK(got == want);
        CHECK(want.size() > 3);
      }
    }
  }
}

TEST_CASE("markings: exports default to TLP:GREEN and count what they left out") {
  TempDir tmp;
  Store mixed = Build(tmp, "mixed", Rank("red"));
  RunResult r = mixed.Ask({"export", "--format", "jsonl"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("TLP:AMBER") == std::string::npos);
  CHECK(r.out.find("canary") == std::string::npos);
  CHECK(r.err.find("clearance TLP:GREEN") != std::string::npos);
  // kestrel and nightjar; the AMBER, STRICT and RED-only links (not the proposed one).
  CHECK(r.err.find("left out above it: 2 nodes, 9 links") != std::string::npos);
  RunResult red = mixed.Ask({"export", "--format", "jsonl", "--clearance", "red"});
  CHECK(red.err.find("left out above it: 0 nodes, 0 links, 0 evidence") != std::string::npos);
}

TEST_CASE("markings: a marked STIX object is not named by its id, hints or a link's quote") {
  TempDir tmp;
  Store st{tmp / "db"};
  REQUIRE(st.Write({"init"}).exit_code == 0);
  // A RED actor linked to an unmarked organisation by an unmarked relationship.
  std::ofstream(tmp / "bundle.json")
      << R"({"type": "bundle", "id": "bundle--1d6f1c2e-9e0a-4c7b-8a61-3f8d2b0c5e11", "objects": [
  {"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "created": "2022-10-01T00:00:00Z", "name": "TLP:RED", "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {"extension_type": "property-extension", "tlp_2_0": "red"}}},
  {"type": "identity", "spec_version": "2.1", "id": "identity--5b2c1a64-7d8e-4f90-a1b2-c3d4e5f60718", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Open Grid Operator", "identity_class": "organization"},
  {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Covert Panda Unit 99", "aliases": ["canary-red-alias-99"], "object_marking_refs": ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--0f1e2d3c-4b5a-4697-8877-665544332211", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "targets", "source_ref": "threat-actor--9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "target_ref": "identity--5b2c1a64-7d8e-4f90-a1b2-c3d4e5f60718"}
]})";
  RunResult in = st.Write({"ingest", tmp / "bundle.json"});
  INFO(in.err);
  REQUIRE(in.exit_code == 0);
  for (const char* level : {"clear", "green", "amber"}) {
    CAPTURE(level);
    for (std::vector<std::string> q : {std::vector<std::string>{"find", "panda"},
                                       {"find", "covert panda unit"},
                                       {"show", "open-grid-operator"},
                                       {"show", "covert-panda-unit-99"},
                                       {"show", "Covert Pnda Unit 99"},
                                       {"evidence", "open-grid-operator"},
                                       {"export", "--format", "jsonl"},
                                       {"export", "--format", "stix"},
                                       {"query", "MATCH (n) RETURN n.id, n.name"}}) {
      q.insert(q.end(), {"--clearance", level, "--format", q[0] == "export" ? q[2] : "json"});
      if (q[0] == "export") q.erase(q.begin() + 1, q.begin() + 3);
      CAPTURE(Joined(q));
      RunResult r = st.Ask(q);
      // Everything said back but the question itself ("no node 'x'" is no leak).
      std::string all = r.out + r.err;
      for (const std::string& word : q)
        for (size_t at; (at = all.find(word)) != std::string::npos;) all.erase(at, word.size());
      for (const char* word : {"panda", "Panda", "Covert", "covert", "canary-red"})
        CHECK(all.find(word) == std::string::npos);
    }
  }
  // At RED the actor is there, by name.
  RunResult red = st.Ask({"find", "panda", "--clearance", "red", "--format", "json"});
  CHECK(red.out.find("Covert Panda Unit 99") != std::string::npos);
}

}  // namespace sinew::testing
