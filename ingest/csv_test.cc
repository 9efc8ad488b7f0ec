// CSV tables with a mapping: the bp 2020 pipeline-gas matrix from
// corpus/tables/bp, checked against the file itself; malformed tables.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ingest/ingest.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace sinew::ingest {
namespace {

std::string Read(const std::string& path) { return testing::ReadAll(path); }

std::unique_ptr<Store> Reference(const testing::TempDir& dir) {
  auto store =
      Store::Create(dir / "db", Read(std::string(SINEW_SOURCE_DIR) + "/corpus/schema.json"), "s");
  REQUIRE(store.ok());
  auto ref = ReadFile(std::string(SINEW_SOURCE_DIR) + "/corpus/notes/00-reference.json");
  REQUIRE(ref.ok());
  REQUIRE((*store)->Apply(ref.value()).ok());
  return std::move(store).value();
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string f;
  while (std::getline(in, f, ',')) out.push_back(f);
  return out;
}

}  // namespace

TEST_CASE("bp's pipeline gas matrix becomes China's imports by exporter, with real volumes") {
  std::string csv_path = std::string(SINEW_SOURCE_DIR) +
                         "/corpus/tables/bp/bp_statreview2021_gas_trade_movts_pipeline.csv";
  std::string csv = Read(csv_path);
  REQUIRE_MESSAGE(!csv.empty(), "needs " << csv_path);
  std::string mapping =
      Read(std::string(SINEW_SOURCE_DIR) + "/corpus/mappings/bp-2021-gas-pipeline.json");
  // The expected values, read from the file here without sinew's reader.
  std::vector<std::string> header, china;
  int china_line = 0, n = 0;
  std::stringstream lines(csv);
  std::string line;
  while (std::getline(lines, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("To,", 0) == 0) header = Fields(line);
    if (line.rfind("China,", 0) == 0) {
      china = Fields(line);
      china_line = n;
    }
  }
  REQUIRE(header.size() == china.size());
  auto value = [&](const std::string& col) {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == col) return std::stod(china[i]);
    return -1.0;
  };
  testing::TempDir dir;
  auto store = Reference(dir);
  auto view = store->View();
  auto b = ReadCsvTable(csv, csv_path, mapping, "bp.json", *view);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  std::map<std::string, double> got;
  for (const auto& o : b->observations) {
    CHECK(o.subject == "china");
    CHECK(o.unit == "bcm");
    CHECK(o.period == "2020");
    CHECK(o.evidence.locator.paragraph == china_line);  // the file's row
    got[o.object] = o.low;
  }
  CHECK(got.size() == 5);
  CHECK(got["turkmenistan"] == doctest::Approx(value("Turkmenistan")));
  CHECK(got["russia"] == doctest::Approx(value("Russian Federation")));
  CHECK(got["kazakhstan"] == doctest::Approx(value("Kazakhstan")));
  CHECK(got["uzbekistan"] == doctest::Approx(value("Uzbekistan")));
  CHECK(got["myanmar"] == doctest::Approx(value("Myanmar")));
  bool turkmen = false;
  for (const auto& e : b->edges) {
    CHECK(e.type == "supplies");
    CHECK(e.dst == "china");
    if (e.src == "turkmenistan") {
      turkmen = true;
      REQUIRE(e.evidence[0].strength);
      CHECK(*e.evidence[0].strength ==
            doctest::Approx(value("Turkmenistan") / value("Total imports")));
    }
  }
  CHECK(turkmen);
  REQUIRE(store->Apply(b.value()).ok());
  auto bad = store->View()->Check();
  REQUIRE(bad.ok());
  CHECK(bad->empty());
}

TEST_CASE("malformed tables and mappings get clear errors with their place") {
  testing::TempDir dir;
  auto store = Reference(dir);
  auto view = store->View();
  std::string mapping =
      Read(std::string(SINEW_SOURCE_DIR) + "/corpus/mappings/bp-2021-gas-pipeline.json");
  std::string head = "title\nunit\nTo,Kazakhstan,Total imports\n";
  auto err = [&](const std::string& csv, const std::string& map = "") {
    auto r = ReadCsvTable(csv, "t.csv", map.empty() ? mapping : map, "m.json", *view);
    REQUIRE_FALSE(r.ok());
    return r.status();
  };
  Status wide = err(head + "China,1,2,3\n");
  CHECK(wide.message().find("fields") != std::string::npos);
  CHECK(wide.place().line == 4);
  Status nan = err(head + "China,lots,2\n");
  CHECK(nan.message().find("'lots' is not a number") != std::string::npos);
  CHECK(nan.place().line == 4);
  CHECK(nan.place().column == 2);
  CHECK(err(head + "\"China,1,2\n").message().find("never closed") != std::string::npos);
  CHECK(err(head + "Japan,1,1\n").message().find("selected no values") != std::string::npos);
  CHECK(err(head + "China,1,1\n", "{").message().find("not valid JSON") != std::string::npos);
  CHECK(err(head + "China,1,1\n", R"({"format": "sinew-csv-mapping/1"})")
            .message()
            .find("needs \"source\"") != std::string::npos);
  auto good = ReadCsvTable(head + "China,1.5,1.5\n", "t.csv", mapping, "m.json", *view);
  REQUIRE(good.ok());
  CHECK(good->observations.size() == 1);
}

TEST_CASE("bp's LNG matrix: exporters named over two header rows, China's imports by exporter") {
  std::string csv_path =
      std::string(SINEW_SOURCE_DIR) + "/corpus/tables/bp/bp_statreview2021_gas_trade_movts_lng.csv";
  std::string csv = Read(csv_path);
  REQUIRE_MESSAGE(!csv.empty(), "needs " << csv_path);
  std::string mapping =
      Read(std::string(SINEW_SOURCE_DIR) + "/corpus/mappings/bp-2021-gas-lng.json");
  // The file read here: header rows 3 and 4 joined, China's row.
  std::vector<std::vector<std::string>> lines;
  std::stringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(Fields(line));
  }
  REQUIRE(lines.size() > 30);
  std::vector<std::string> header(lines[3].size());
  for (int h : {2, 3})
    for (size_t c = 0; c < lines[h].size() && c < header.size(); ++c) {
      std::string cell = lines[h][c];
      while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
      if (!cell.empty()) header[c] = header[c].empty() ? cell : header[c] + " " + cell;
    }
  std::vector<std::string> china;
  for (const auto& l : lines)
    if (!l.empty() && l[0] == "China") china = l;
  REQUIRE(china.size() == header.size());
  auto value = [&](const std::string& col) {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == col) return std::stod(china[i]);
    return -1.0;
  };
  size_t nonzero = 0;
  for (size_t i = 1; i + 1 < header.size(); ++i)
    if (header[i].rfind("Other", 0) != 0 && std::stod(china[i]) != 0) ++nonzero;
  testing::TempDir dir;
  auto store = Reference(dir);
  auto view = store->View();
  auto b = ReadCsvTable(csv, csv_path, mapping, "lng.json", *view);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  std::map<std::string, double> got;
  for (const auto& o : b->observations) {
    CHECK(o.subject == "china");
    CHECK(o.metric == "lng_imports");
    got[o.object] = o.low;
  }
  CHECK(got.size() == nonzero);
  CHECK(got["australia"] == doctest::Approx(value("Australia")));
  CHECK(got["qatar"] == doctest::Approx(value("Qatar")));
  CHECK(got["russia"] == doctest::Approx(value("Russian Federation")));
  CHECK(got["trinidad-tobago"] == doctest::Approx(value("Trinidad & Tobago")));
  CHECK(got["papua-new-guinea"] == doctest::Approx(value("Papua New Guinea")));
  for (const auto& e : b->edges) {
    CHECK(e.dst == "china");
    CHECK(got[e.src] >= 0.5);  // the mapping's min_value
    REQUIRE(e.evidence[0].strength);
    CHECK(*e.evidence[0].strength ==
          doctest::Approx(got[e.src] / value("Total imports")).epsilon(1e-6));
  }
  REQUIRE(store->Apply(b.value()).ok());
}

TEST_CASE("an edge list through a rows mapping: a link and a figure per row, shares per importer") {
  testing::TempDir dir;
  auto store = Reference(dir);
  auto view = store->View();
  std::string data = std::string(SINEW_SOURCE_DIR) + "/tests/data/";
  std::string csv = Read(data + "gas-flows-rows.csv");
  std::string mapping = Read(data + "gas-flows-rows.mapping.json");
  auto b = ReadCsvTable(csv, "rows.csv", mapping, "m.json", *view);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  // The four non-zero rows become figures and, being at least min_value 1, links.
  CHECK(b->observations.size() == 4);
  REQUIRE(b->edges.size() == 4);
  const EdgeDraft* turkmen = nullptr;
  for (const auto& e : b->edges)
    if (e.src == "turkmenistan" && e.dst == "china") turkmen = &e;
  REQUIRE(turkmen != nullptr);
  CHECK(turkmen->type == "supplies");
  CHECK(turkmen->evidence[0].locator.paragraph == 3);  // the file's line
  CHECK(turkmen->evidence[0].valid_from == "2020");
  REQUIRE(turkmen->evidence[0].strength);
  CHECK(*turkmen->evidence[0].strength == doctest::Approx(22.1 / (3.9 + 22.1 + 6.8)));
  for (const auto& o : b->observations)
    if (o.object == "russia") CHECK(o.subject == "china");
  REQUIRE(store->Apply(b.value()).ok());
  auto bad = store->View()->Check();
  REQUIRE(bad.ok());
  CHECK(bad->empty());

  auto err = [&](const std::string& text, const std::string& map) {
    auto r = ReadCsvTable(text, "rows.csv", map, "m.json", *store->View());
    REQUIRE_FALSE(r.ok());
    return r.status();
  };
  Status no_column = err("from,importer,year,bcm\nA,B,2020,1\n", mapping);
  CHECK(no_column.message().find("no column 'exporter'") != std::string::npos);
  CHECK(no_column.place().line == 1);
  Status nan = err("exporter,importer,year,bcm\nKazakhstan,China,2020,lots\n", mapping);
  CHECK(nan.message().find("'lots' is not a number") != std::string::npos);
  CHECK(nan.place().line == 2);
  CHECK(nan.place().column == 4);
  Status period = err("exporter,importer,year,bcm\nKazakhstan,China,20x0,1\n", mapping);
  CHECK(period.message().find("bad period '20x0'") != std::string::npos);
  std::string closed = mapping;
  closed.replace(closed.find("\"new_nodes\""), 11, "\"old_nodes\"");
  Status unknown = err("exporter,importer,year,bcm\nAtlantis,China,2020,1\n", closed);
  CHECK(unknown.message().find("'Atlantis' names no node") != std::string::npos);
  CHECK(unknown.place().column == 1);
  // An edge needs a type, from the mapping or a column.
  nlohmann::json untyped = nlohmann::json::parse(mapping);
  untyped["edge"].erase("type");
  Status no_type = err("exporter,importer,year,bcm\nKazakhstan,China,2020,1\n", untyped.dump());
  CHECK(no_type.message().find("edge needs a \"type\"") != std::string::npos);
  CHECK(no_type.place().pointer == "/edge/type");
}

TEST_CASE("a register of deals summed per pair and year: skips and shares over the period") {
  testing::TempDir dir;
  auto store = Reference(dir);
  std::string csv = Read(std::string(SINEW_SOURCE_DIR) + "/tests/data/deals-rows.csv");
  // Invented rows, one per deal (the shape of an arms-transfer register).
  nlohmann::json m = nlohmann::json::parse(
      Read(std::string(SINEW_SOURCE_DIR) + "/tests/data/deals-rows.mapping.json"));
  auto b = ReadCsvTable(csv, "deals.csv", m.dump(), "m.json", *store->View());
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  // Russia to China 2016: D1 and D3 (D6 cancelled), 34 units in one figure.
  const EdgeDraft* ru_cn = nullptr;
  for (const auto& e : b->edges)
    if (e.src == "russia" && e.dst == "china" && e.evidence[0].valid_from == "2016") ru_cn = &e;
  REQUIRE(ru_cn != nullptr);
  const EvidenceDraft& ev = ru_cn->evidence[0];
  CHECK(ev.key == "sum:Russia|China|2016");
  CHECK(ev.quote.find("34 units, sum of 2 rows: D1: 24 Su-35 fighter; D3: 10 Mi-171 helicopter") !=
        std::string::npos);
  CHECK(ev.quote.find("D6") == std::string::npos);
  CHECK(ev.locator.page == "2 rows: lines 2, 4");
  // China's 2016 total counts the unknown supplier's 30 (skipped by name,
  // still part of what China ordered) but not the cancelled deal: 24+10+30+4.
  REQUIRE(ev.strength);
  CHECK(*ev.strength == doctest::Approx(34.0 / 68.0));
  CHECK(ev.basis.find("of China's total (68 units)") != std::string::npos);
  // 2014 and 2016 are separate figures; India's is its own.
  int figures = 0;
  for (const auto& o : b->observations) {
    ++figures;
    if (o.object == "ukraine") CHECK(o.low == 4);
  }
  CHECK(figures == 4);  // RU-CN 2016, RU-CN 2014, RU-IN 2016, UA-CN 2016
  bool skipped_note = false;
  for (const auto& n : b->notes)
    if (n == "1 row a party in skip_names") skipped_note = true;
  CHECK(skipped_note);
  REQUIRE(store->Apply(b.value()).ok());

  auto err = [&](const nlohmann::json& map, const std::string& text) {
    auto r = ReadCsvTable(text, "deals.csv", map.dump(), "m.json", *store->View());
    REQUIRE_FALSE(r.ok());
    return r.status();
  };
  // Two spellings of one party are one figure; a sum past a double is refused.
  std::string head = "Deal,Supplier,Recipient,Year of order,Weapon,Number,Status\n";
  auto one = ReadCsvTable(head + "A,Russia,China,2016,x,2,ok\nB,RUSSIA,China,2016,y,3,ok\n",
                          "spell.csv", m.dump(), "m.json", *store->View());
  REQUIRE_MESSAGE(one.ok(), one.status().ToString());
  REQUIRE(one->observations.size() == 1);
  CHECK(one->observations[0].low == 5);
  Status huge = err(m, head + "A,Russia,China,2016,x,1e308,ok\nB,Russia,China,2016,y,1e308,ok\n");
  CHECK(huge.message().find("too large") != std::string::npos);
  // Two rows with one key: the second is named, with the first's line.
  std::string twice = csv + "D5,Russia,China,2016,tank,1,delivered\n";
  Status dup = err(m, twice);
  CHECK(dup.message() == "key 'D5' is already on line 6");
  CHECK(dup.place().line == 9);
  CHECK(dup.place().column == 1);
  nlohmann::json bad = m;
  bad["rows"]["quote"] = "{Deal} of {Calibre}";
  Status q = err(bad, csv);
  CHECK(q.message().find("'Calibre', which is no column") != std::string::npos);
  CHECK(q.place().pointer == "/rows/quote");
  bad = m;
  bad["rows"]["aggregate"] = "mean";
  CHECK(err(bad, csv).place().pointer == "/rows/aggregate");
  bad = m;
  bad["rows"]["skip_rows"] = {{"State", {"x"}}};
  CHECK(err(bad, csv).message().find("'State' is no column") != std::string::npos);
  bad = m;
  bad["names"] = {{"Russia", {{"slug", "russia"}}}};  // an object needs its type
  CHECK(err(bad, csv).place().pointer == "/names/Russia");
}

TEST_CASE("OFAC's SDN list as a register: vessels under E.O. 14024 counted per flag") {
  testing::TempDir dir;
  auto store = Reference(dir);
  std::string path = std::string(SINEW_SOURCE_DIR) + "/corpus/lists/ofac-sdn/sdn-2024-05-03.csv.gz";
  Result<std::string> text = ReadListFile(path);
  REQUIRE(text.ok());
  // The expected counts, read here line by line: a field is quoted ("" an
  // escaped quote) or bare (OFAC's null, -0-).
  std::map<std::string, int> expected;
  int unflagged = 0;
  std::stringstream in(text.value());
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        f.back() += line[++i];
      else if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted)
        f.emplace_back();
      else if (c != '\r')
        f.back() += c;
    }
    if (f.size() < 10 || f[2] != "vessel" || f[3] != "RUSSIA-EO14024") continue;
    std::string flag = f[9];
    while (!flag.empty() && flag.back() == ' ') flag.pop_back();
    if (flag == "-0-")
      ++unflagged;
    else
      ++expected[flag];
  }
  REQUIRE(expected.size() > 5);
  std::string mapping =
      Read(std::string(SINEW_SOURCE_DIR) + "/corpus/mappings/ofac-sdn-russia-vessels.json");
  auto b = ReadCsvTable(text.value(), path, mapping, "vessels.json", *store->View());
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  REQUIRE(b->observations.size() == expected.size());
  std::set<std::string> made;
  for (const auto& n : b->nodes) made.insert(n.slug);
  // The figures sit on the programme's node (the reference store's, or made
  // from the mapping's names when the store lacks it); flags the store does
  // not hold become states.
  REQUIRE((made.count("eo-14024") || store->View()->NodeBySlug("eo-14024").ok()));
  for (const auto& n : b->nodes)
    if (n.slug == "eo-14024")
      CHECK(n.type == "policy");
    else
      CHECK(n.type == "state");
  int total = 0;
  for (const auto& o : b->observations) {
    CHECK(o.subject == "eo-14024");
    CHECK(o.metric == "designated_vessels_by_flag");
    CHECK(o.unit == "vessels");
    CHECK(o.period == "2024-05-03");
    // The quote begins with the flag as the list writes it.
    std::string flag = o.evidence.quote.substr(0, o.evidence.quote.find(", RUSSIA-EO14024"));
    INFO(flag);
    CHECK(o.low == expected[flag]);
    total += static_cast<int>(o.low);
    CHECK(o.evidence.key.rfind("count:", 0) == 0);
    CHECK(o.evidence.quote.find("(2024-05-03): " + std::to_string(static_cast<int>(o.low)) +
                                " vessels, count of ") != std::string::npos);
  }
  CHECK(expected["Russia"] > 100);
  int all = total + unflagged;
  CHECK(all > 200);
  bool noted = false;
  for (const auto& n : b->notes)
    if (n == std::to_string(unflagged) + " rows a party in skip_names") noted = true;
  CHECK(noted);
  REQUIRE(store->Apply(b.value()).ok());
  auto bad = store->View()->Check();
  REQUIRE(bad.ok());
  CHECK(bad->empty());
}

}  // namespace sinew::ingest
