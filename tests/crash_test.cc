// Crash safety: a child process ingesting many notes is killed with SIGKILL
// at random moments; after each kill the store opens, every invariant holds
// and each note is either wholly in (some version of it) or wholly out.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <random>

#include "store/store.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

constexpr int kNotes = 12;

// Version `v` of note `i`: its own nodes and a number of claims that changes
// from version to version, so a half-applied note would show.
int ClaimsIn(int i, int v) { return 5 + ((i + v) % 4) * 10; }

void WriteNote(const std::string& path, int i, int v) {
  std::ofstream out(path);
  out << "{\"source\": {\"id\": \"crash-" << i << "\", \"title\": \"Note " << i << " v" << v
      << "\", \"reliability\": \"C\"},\n \"nodes\": [";
  int n = ClaimsIn(i, v);
  for (int j = 0; j <= n; ++j)
    out << (j ? ",\n" : "") << "{\"id\": \"n-" << i << "-" << j
        << "\", \"type\": \"company\", \"name\": \"Firm " << i << "/" << j << "\"}";
  out << "],\n \"edges\": [";
  for (int j = 0; j < n; ++j)
    out << (j ? ",\n" : "") << "{\"src\": \"n-" << i << "-" << j
        << "\", \"type\": \"depends_on\", \"dst\": \"n-" << i << "-" << (j + 1)
        << "\", \"domain\": \"trade\", \"evidence\": [{\"key\": \"k" << j
        << "\", \"quote\": \"Firm " << j << " buys from firm " << j + 1 << ", version " << v
        << ".\", \"credibility\": 3}]}";
  out << "]}\n";
}

std::map<std::string, int> EvidenceBySource(const std::string& db) {
  auto store = Store::Open(db, OpenMode::kReadOnly);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  auto view = (*store)->View();
  auto bad = view->Check();
  REQUIRE(bad.ok());
  std::string all;
  for (const auto& b : bad.value()) all += b + "\n";
  CHECK_MESSAGE(bad->empty(), all);
  std::map<SourceId, std::string> slugs;
  REQUIRE(view->ForEachSource([&](const SourceRecord& s) {
                slugs[s.id] = s.slug;
                return true;
              })
              .ok());
  std::map<std::string, int> counts;
  REQUIRE(view->ForEachEvidence([&](const EvidenceRecord& e) {
                ++counts[slugs[e.source]];
                return true;
              })
              .ok());
  return counts;
}

}  // namespace

TEST_CASE("a store survives SIGKILL during ingest: each note wholly in or wholly out") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Run({SinewBinary(), "--db", db, "init"}).exit_code == 0);
  std::string notes = tmp / "notes";
  std::filesystem::create_directories(notes);
  std::mt19937 rng(20261128);
  std::vector<int> in_store(kNotes, 0);  // evidence count now in the store per note
  int interrupted = 0;
  for (int round = 0; round < 50; ++round) {
    CAPTURE(round);
    std::vector<int> next(kNotes);
    for (int i = 0; i < kNotes; ++i) {
      WriteNote(notes + "/note-" + std::to_string(100 + i) + ".json", i, round + 1);
      next[i] = ClaimsIn(i, round + 1);
    }
    int pid = Spawn({SinewBinary(), "--db", db, "ingest", notes});
    REQUIRE(pid > 0);
    ::usleep(static_cast<useconds_t>(rng() % 120000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++interrupted;
    std::map<std::string, int> counts = EvidenceBySource(db);
    for (int i = 0; i < kNotes; ++i) {
      CAPTURE(i);
      int got = counts["crash-" + std::to_string(i)];
      CHECK((got == in_store[i] || got == next[i]));
      in_store[i] = got;
    }
  }
  MESSAGE(interrupted << " of 50 ingests were killed before they finished");
  CHECK(interrupted > 0);
}

}  // namespace sinew::testing
