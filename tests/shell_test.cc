// The shell, driven as a user would: through a pseudo-terminal (prompt,
// completion, history kept between sessions, Ctrl-C) and through a pipe.
#include <doctest/doctest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

// A shell under a pseudo-terminal. Waits are bounded so a broken shell fails
// the test instead of hanging it; nothing here measures speed.
class Terminal {
 public:
  Terminal(const std::string& db, const std::string& home) {
    struct winsize ws {};
    ws.ws_row = 40;
    ws.ws_col = 100;
    pid_ = ::forkpty(&fd_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
      ::setenv("HOME", home.c_str(), 1);
      ::setenv("TERM", "xterm", 1);
      ::setenv("SINEW_DB", db.c_str(), 1);
      ::unsetenv("SINEW_HISTORY");
      std::string bin = SinewBinary();
      ::execl(bin.c_str(), bin.c_str(), "shell", nullptr);
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }

  void Type(const std::string& keys) { REQUIRE(::write(fd_, keys.data(), keys.size()) > 0); }

  // Reads until `text` has appeared since the last Expect; false on timeout.
  bool Expect(const std::string& text, int seconds = 30) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (true) {
      size_t at = screen_.find(text, consumed_);
      if (at != std::string::npos) {
        consumed_ = at + text.size();
        return true;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      screen_.append(buf, static_cast<size_t>(n));
    }
  }

  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& screen() const { return screen_; }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  std::string screen_;
  size_t consumed_ = 0;
};

void LoadCorpus(const std::string& db) {
  REQUIRE(Run({SinewBinary(), "--db", db, "init"}).exit_code == 0);
  REQUIRE(Run({SinewBinary(), "--db", db, "ingest", SourceDir() + "/corpus/notes"}).exit_code == 0);
}

}  // namespace

TEST_CASE("piped commands run as a script, with no prompt, settings kept between lines") {
  TempDir tmp;
  LoadCorpus(tmp / "db");
  std::string script =
      "# a comment\n"
      "set format json\n"
      "set domain trade\n"
      "show settings\n"
      "stats\n"
      "deps china --depth 1\n"
      "set format table\n"
      "frobnicate\n"
      "find rusal\n";
  RunResult r = Run({SinewBinary(), "--db", tmp / "db", "shell"}, {}, script);
  CHECK(r.out.find("sinew>") == std::string::npos);
  CHECK(r.out.find("format          json") != std::string::npos);
  CHECK(r.out.find("domain          trade") != std::string::npos);
  CHECK(r.out.find("\"evidence\": ") != std::string::npos);             // stats as JSON
  CHECK(r.out.find("\"root\": \"china\"") != std::string::npos);        // deps as JSON
  CHECK(r.out.find("\"domain\": \"resources\"") == std::string::npos);  // domain filter held
  CHECK(r.err.find("unknown command 'frobnicate'") != std::string::npos);
  CHECK(r.out.find("rusal  RUSAL (company)") != std::string::npos);  // table again, after the error
  CHECK(r.exit_code == 1);                                           // one line failed
}

TEST_CASE("set timing on reports each command's time on stderr, off stops it") {
  TempDir tmp;
  LoadCorpus(tmp / "db");
  std::string script =
      "stats\n"
      "set timing on\n"
      "deps china --depth 1\n"
      "find rusal\n"
      "set timing off\n"
      "stats\n"
      "set timing maybe\n";
  RunResult r = Run({SinewBinary(), "--db", tmp / "db", "shell"}, {}, script);
  // Two commands ran while timing was on: two times, each a number of ms.
  size_t times = 0;
  for (size_t at = r.err.find("time: "); at != std::string::npos;
       at = r.err.find("time: ", at + 1)) {
    ++times;
    CHECK(std::strtod(r.err.c_str() + at + 6, nullptr) > 0);
  }
  CHECK(times == 2);
  CHECK(r.out.find("time: ") == std::string::npos);  // answers stay clean
  CHECK(r.err.find("timing is on or off") != std::string::npos);
  CHECK(r.exit_code == 1);
}

TEST_CASE("serve typed in the shell says to run it as a program, and the shell goes on") {
  TempDir tmp;
  LoadCorpus(tmp / "db");
  RunResult r = Run({SinewBinary(), "--db", tmp / "db", "shell"}, {}, "serve --port 0\nstats\n");
  CHECK(r.err.find("serve runs as a program of its own") != std::string::npos);
  CHECK(r.out.find("nodes") != std::string::npos);  // stats still answered
  CHECK(r.exit_code == 1);
}

TEST_CASE("the shell completes, keeps history between sessions, and leaves on Ctrl-D") {
  TempDir tmp;
  LoadCorpus(tmp / "db");
  {
    Terminal t(tmp / "db", tmp.path());
    REQUIRE(t.Expect("sinew> "));
    t.Type("sho\t");  // completes the command
    REQUIRE(t.Expect("show "));
    t.Type("cr-9\t");  // completes a node id
    REQUIRE(t.Expect("cr-929"));
    t.Type("\r");
    REQUIRE(t.Expect("CR-929 wide-body airliner (cr-929, project)"));
    REQUIRE(t.Expect("sinew> "));
    t.Type("deps russia --dom\t");  // completes an option
    REQUIRE(t.Expect("--domain"));
    t.Type("tal\t");  // completes a domain
    REQUIRE(t.Expect("talent"));
    t.Type("\r");
    REQUIRE(t.Expect("what Russia (russia) depends on"));
    REQUIRE(t.Expect("sinew> "));
    t.Type("set clearance amber\r");
    REQUIRE(t.Expect("sinew[amber]> "));
    t.Type("stats\r");
    REQUIRE(t.Expect("observations"));
    REQUIRE(t.Expect("sinew[amber]> "));
    t.Type("\x04");  // Ctrl-D
    CHECK(t.Wait() == 0);
  }
  std::ifstream history(tmp / ".sinew_history");
  std::string saved((std::istreambuf_iterator<char>(history)), std::istreambuf_iterator<char>());
  CHECK(saved.find("show cr-929") != std::string::npos);
  CHECK(saved.find("stats") != std::string::npos);
  {
    Terminal t(tmp / "db", tmp.path());
    REQUIRE(t.Expect("sinew> "));
    t.Type("\x1b[A\r");  // up arrow: the last command of the previous session
    REQUIRE(t.Expect("observations"));
    REQUIRE(t.Expect("sinew> "));
    t.Type("help chains\r");
    REQUIRE(t.Expect("--max-depth"));
    REQUIRE(t.Expect("sinew> "));
    t.Type("exit\r");
    CHECK(t.Wait() == 0);
  }
}

TEST_CASE("Ctrl-C cancels a long query and keeps the shell") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Run({SinewBinary(), "--db", db, "init"}).exit_code == 0);
  // A dense dependency graph: simple chains between two nodes number in the
  // billions, so an uncapped enumeration runs until interrupted.
  {
    std::ofstream note(tmp / "dense.json");
    note << "{\"source\": {\"id\": \"dense\", \"title\": \"dense\"}, \"nodes\": [";
    const int n = 24;
    for (int i = 0; i < n; ++i)
      note << (i ? "," : "") << "{\"id\": \"d" << i << "\", \"type\": \"company\"}";
    note << "], \"edges\": [";
    bool first = true;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i == j) continue;
        note << (first ? "" : ",") << "{\"src\": \"d" << i
             << "\", \"type\": \"depends_on\", \"dst\": \"d" << j
             << "\", \"domain\": \"trade\", \"evidence\": [{\"quote\": \"q\"}]}";
        first = false;
      }
    note << "]}";
  }
  REQUIRE(Run({SinewBinary(), "--db", db, "ingest", tmp / "dense.json"}).exit_code == 0);
  Terminal t(db, tmp.path());
  REQUIRE(t.Expect("sinew> "));
  t.Type("chains d0 d1 --max-depth 12 --cap 1000000000000\r");
  REQUIRE(t.Expect("--cap 1000000000000"));
  ::usleep(300000);
  t.Type("\x03");  // Ctrl-C
  REQUIRE(t.Expect("cancelled"));
  REQUIRE(t.Expect("sinew> "));
  t.Type("find d1\r");
  REQUIRE(t.Expect("d1"));
  REQUIRE(t.Expect("sinew> "));
  t.Type("exit\r");
  CHECK(t.Wait() == 0);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("a long-running shell sees other processes' writes on its next command") {
  TempDir tmp;
  std::string db = tmp / "db";
  REQUIRE(Run({SinewBinary(), "--db", db, "init"}).exit_code == 0);
  auto note = [&](const std::string& name, const std::string& edges) {
    std::ofstream f(tmp / name);
    f << "{\"source\": {\"id\": \"" << name << "\", \"title\": \"" << name << "\"}, "
      << "\"nodes\": [{\"id\": \"alpha-works\", \"type\": \"company\"}, "
      << "{\"id\": \"beta-metals\", \"type\": \"company\"}, "
      << "{\"id\": \"gamma-ore\", \"type\": \"company\"}], \"edges\": [" << edges << "]}";
  };
  auto link = [](const std::string& a, const std::string& b) {
    return "{\"src\": \"" + a + "\", \"type\": \"depends_on\", \"dst\": \"" + b +
           "\", \"domain\": \"trade\", \"evidence\": [{\"quote\": \"" + a + " buys from " + b +
           "\"}]}";
  };
  note("first.json", link("alpha-works", "beta-metals"));
  REQUIRE(Run({SinewBinary(), "--db", db, "ingest", tmp / "first.json"}).exit_code == 0);
  Terminal t(db, tmp.path());
  REQUIRE(t.Expect("sinew> "));
  t.Type("chains alpha-works gamma-ore\r");
  REQUIRE(t.Expect("no chain found"));
  REQUIRE(t.Expect("sinew> "));
  // Another process adds the missing link while the shell is open; the
  // shell's next question (same filter, so a cached projection would be
  // reused if it were not dropped) must see it.
  note("second.json", link("beta-metals", "gamma-ore"));
  REQUIRE(Run({SinewBinary(), "--db", db, "ingest", tmp / "second.json"}).exit_code == 0);
  t.Type("chains alpha-works gamma-ore\r");
  REQUIRE(t.Expect("2 hops"));
  REQUIRE(t.Expect("gamma-ore"));
  REQUIRE(t.Expect("sinew> "));
  t.Type("exit\r");
  CHECK(t.Wait() == 0);
}

}  // namespace sinew::testing

namespace sinew::testing {

TEST_CASE("completion offers only nodes the session's clearance may see") {
  TempDir tmp;
  REQUIRE(Run({SinewBinary(), "--db", tmp / "db", "init"}).exit_code == 0);
  std::ofstream(tmp / "open.json")
      << R"({"source": {"id": "open", "title": "O", "marking": "TLP:CLEAR"},
 "nodes": [{"id": "nightingale", "type": "company"}, {"id": "china", "type": "state"}],
 "edges": [{"src": "china", "type": "depends_on", "dst": "nightingale", "domain": "technology",
            "evidence": [{"quote": "China needs it."}]}]})";
  std::ofstream(tmp / "red.json")
      << R"({"source": {"id": "red", "title": "R", "marking": "TLP:RED"},
 "nodes": [{"id": "nightjar", "type": "company"}],
 "edges": [{"src": "china", "type": "depends_on", "dst": "nightjar", "domain": "technology",
            "evidence": [{"quote": "A red word."}]}]})";
  for (const char* note : {"open.json", "red.json"})
    REQUIRE(Run({SinewBinary(), "--db", tmp / "db", "ingest", tmp / note}).exit_code == 0);
  Terminal t(tmp / "db", tmp.path());
  REQUIRE(t.Expect("sinew> "));
  t.Type("set clearance green\r");
  REQUIRE(t.Expect("sinew[green]> "));
  t.Type("show nigh\t");  // one node left to offer, so it completes in full
  REQUIRE(t.Expect("nightingale"));
  t.Type("\r");
  REQUIRE(t.Expect("is depended on by china"));
  REQUIRE(t.Expect("sinew[green]> "));
  t.Type("set clearance red\r");
  REQUIRE(t.Expect("sinew[red]> "));
  t.Type("show nigh\t");  // two now: readline rings and adds only what they share
  REQUIRE(t.Expect("show nigh\at"));
  t.Type("j\t\r");
  REQUIRE(t.Expect("nightjar (nightjar, company)"));
  REQUIRE(t.Expect("is depended on by china"));
  REQUIRE(t.Expect("sinew[red]> "));
  t.Type("\x04");
  CHECK(t.Wait() == 0);
  CHECK(t.screen().find("nightjar") > t.screen().find("set clearance red"));
}

}  // namespace sinew::testing
