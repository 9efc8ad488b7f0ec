// Readers, writers and backups at the same time, through the real binary:
// one writer at a time (the second waits or exits, as asked), every reader
// and every backup sees one committed state, never half of an ingest.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "store/store.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

RunResult Sinew(const TempDir& tmp, std::vector<std::string> args) {
  args.insert(args.begin(), {SinewBinary(), "--db", tmp / "db"});
  return Run(args);
}

// A table of `rows` dependency links among a few hundred firms: big enough
// that its ingest takes a while, loaded through a rows mapping.
void WriteTable(const TempDir& tmp, int rows) {
  std::ofstream csv(tmp / "links.csv");
  csv << "src,dst,type,domain\n";
  for (int i = 0; i < rows; ++i)
    csv << "firm-" << i % 701 << ",firm-" << (i * 7 + 3) % 499 + 701 << ",depends_on,trade\n";
  std::ofstream mapping(tmp / "mapping.json");
  mapping << R"({"format": "sinew-csv-mapping/1",
    "source": {"id": "links", "title": "Links table", "reliability": "B", "kind": "dataset"},
    "rows": {"header_row": 1, "src": "src", "dst": "dst", "type": "type", "domain": "domain",
             "period_value": "2020"},
    "edge": {"type": "depends_on"}, "credibility": 2,
    "new_nodes": {"type": "company"}})";
}

void LoadCorpus(const TempDir& tmp) {
  REQUIRE(Sinew(tmp, {"init"}).exit_code == 0);
  REQUIRE(Sinew(tmp, {"ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
}

uint64_t EdgesIn(const RunResult& stats) {
  REQUIRE(stats.exit_code == 0);
  return nlohmann::json::parse(stats.out).at("edges").get<uint64_t>();
}

bool Running(int pid, int* status) { return ::waitpid(pid, status, WNOHANG) == 0; }

}  // namespace

TEST_CASE("a second writer exits naming the holder, or waits for it with --wait") {
  TempDir tmp;
  LoadCorpus(tmp);
  WriteTable(tmp, 50);
  std::string before = Sinew(tmp, {"dump"}).out;
  auto holder = Store::Open(tmp / "db", OpenMode::kReadWrite);
  REQUIRE(holder.ok());
  std::vector<std::string> ingest = {"ingest", tmp / "links.csv", "--mapping",
                                     tmp / "mapping.json"};

  RunResult refused = Sinew(tmp, ingest);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("store in use") != std::string::npos);
  CHECK(refused.err.find("process " + std::to_string(::getpid())) != std::string::npos);
  CHECK(refused.err.find("--wait SECONDS") != std::string::npos);  // says how to wait instead
  std::vector<std::string> brief = {"--wait", "0.3"};
  brief.insert(brief.end(), ingest.begin(), ingest.end());
  RunResult gave_up = Sinew(tmp, brief);
  CHECK(gave_up.exit_code == 1);
  CHECK(gave_up.err.find("store in use") != std::string::npos);
  CHECK(Sinew(tmp, {"dump"}).out == before);  // nothing written by either

  // The holder finishes while the second writer waits; then it writes.
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    holder.value().reset();
  });
  std::vector<std::string> patient = {"--wait", "60"};
  patient.insert(patient.end(), ingest.begin(), ingest.end());
  RunResult waited = Sinew(tmp, patient);
  release.join();
  CHECK(waited.exit_code == 0);
  CHECK(waited.out.find("+50 edges") != std::string::npos);
  CHECK(Sinew(tmp, {"check"}).exit_code == 0);
  CHECK(Sinew(tmp, {"--wait", "-1", "stats"}).exit_code == 2);  // not a number of seconds
}

TEST_CASE("queries and backups see one committed state while an ingest writes") {
  TempDir tmp;
  LoadCorpus(tmp);
  WriteTable(tmp, 60000);
  uint64_t before = EdgesIn(Sinew(tmp, {"stats", "--format", "json"}));
  std::string dump_before = Sinew(tmp, {"dump"}).out;

  int pid = Spawn({SinewBinary(), "--db", tmp / "db", "ingest", tmp / "links.csv", "--mapping",
                   tmp / "mapping.json"});
  REQUIRE(pid > 0);
  int status = 0, asked = 0, backups = 0;
  std::set<uint64_t> seen;
  bool running = true;
  while (running) {
    running = Running(pid, &status);
    seen.insert(EdgesIn(Sinew(tmp, {"stats", "--format", "json"})));
    ++asked;
    if (backups < 3) {
      // A backup taken now is one whole state: the one before or after.
      std::string bk = tmp / ("bk" + std::to_string(backups));
      RunResult b = Sinew(tmp, {"backup", bk});
      REQUIRE(b.exit_code == 0);
      ++backups;
    }
  }
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  uint64_t after = EdgesIn(Sinew(tmp, {"stats", "--format", "json"}));
  CHECK(after > before);
  for (uint64_t n : seen) CHECK((n == before || n == after));
  std::string dump_after = Sinew(tmp, {"dump"}).out;
  for (int i = 0; i < backups; ++i) {
    std::string copy = tmp / ("copy" + std::to_string(i));
    REQUIRE(
        Run({SinewBinary(), "--db", copy, "restore", tmp / ("bk" + std::to_string(i))}).exit_code ==
        0);
    CHECK(Run({SinewBinary(), "--db", copy, "check"}).exit_code == 0);
    std::string dump = Run({SinewBinary(), "--db", copy, "dump"}).out;
    CHECK((dump == dump_before || dump == dump_after));
  }
  MESSAGE(asked << " questions and " << backups << " backups during the ingest");
}

TEST_CASE("a backup runs while another process holds the writer lock") {
  TempDir tmp;
  LoadCorpus(tmp);
  auto holder = Store::Open(tmp / "db", OpenMode::kReadWrite);
  REQUIRE(holder.ok());
  RunResult b = Sinew(tmp, {"backup", tmp / "bk"});
  REQUIRE(b.exit_code == 0);
  holder.value().reset();
  REQUIRE(Run({SinewBinary(), "--db", tmp / "copy", "restore", tmp / "bk"}).exit_code == 0);
  CHECK(Run({SinewBinary(), "--db", tmp / "copy", "dump"}).out == Sinew(tmp, {"dump"}).out);
  CHECK(Run({SinewBinary(), "--db", tmp / "copy", "check"}).out.find("every invariant holds") !=
        std::string::npos);
  // Never over an existing directory, and no half copy left behind on refusal.
  RunResult again = Sinew(tmp, {"backup", tmp / "bk"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already exists") != std::string::npos);
}

}  // namespace sinew::testing
