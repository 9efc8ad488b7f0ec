// CSV tables with a mapping: the bp 2020 pipeline-gas matrix from
// ../shared/data/energy, checked against the file itself; malformed tables.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/ingest.h"
#include "tests/support/temp_dir.h"

namespace sinew::ingest {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Shared() {
  if (const char* s = std::getenv("SINEW_SHARED"); s && *s) return s;
  return std::string(SINEW_SOURCE_DIR) + "/../shared";
}

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
  std::string csv_path = Shared() + "/data/energy/bp_statreview2021_gas_trade_movts_pipeline.csv";
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

}  // namespace sinew::ingest
