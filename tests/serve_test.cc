// `sinew serve`: every API endpoint answers with the CLI's JSON shape; bad
// requests get clear 4xx errors and never take the server down; clearance
// holds over HTTP as on the command line.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

using nlohmann::json;

// A running `sinew serve --port 0`, stopped with SIGTERM at the end.
class Served {
 public:
  explicit Served(const std::string& db, std::vector<std::string> extra = {}) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::vector<std::string> words = {SinewBinary(), "--db", db, "serve", "--port", "0"};
    words.insert(words.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      std::vector<char*> argv;
      for (auto& w : words) argv.push_back(w.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(fds[0]);
    size_t at = line.find("127.0.0.1:");
    REQUIRE(at != std::string::npos);
    port_ = std::stoi(line.substr(at + 10));
  }
  ~Served() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }
  bool alive() const { return ::kill(pid_, 0) == 0; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Reply {
  int status = 0;
  json body;
};

Reply Get(const Served& s, const std::string& path, const httplib::Headers& headers = {}) {
  httplib::Client cli("127.0.0.1", s.port());
  cli.set_read_timeout(60, 0);
  auto r = cli.Get(path.c_str(), headers);
  REQUIRE(r);
  Reply out{r->status, json()};
  try {
    out.body = json::parse(r->body);
  } catch (const json::exception&) {
    out.body = r->body;
  }
  return out;
}

// `v` percent-encoded for a query string.
std::string Encoded(const std::string& v) {
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void LoadCorpus(const TempDir& tmp) {
  REQUIRE(Run({SinewBinary(), "--db", tmp / "db", "init"}).exit_code == 0);
  REQUIRE(
      Run({SinewBinary(), "--db", tmp / "db", "ingest", SourceDir() + "/corpus/notes"}).exit_code ==
      0);
}

// Notes at CLEAR and at RED, for the tests of what the API shows.
void LoadOpenAndRed(const TempDir& tmp) {
  REQUIRE(Run({SinewBinary(), "--db", tmp / "db", "init"}).exit_code == 0);
  std::ofstream(tmp / "open.json")
      << R"({"source": {"id": "open", "title": "O", "marking": "TLP:CLEAR"},
 "nodes": [{"id": "china", "type": "state"}, {"id": "russia", "type": "state"}],
 "edges": [{"src": "russia", "type": "depends_on", "dst": "china", "domain": "trade",
            "evidence": [{"quote": "Russia buys from China."}]}]})";
  std::ofstream(tmp / "red.json")
      << R"({"source": {"id": "red", "title": "R", "marking": "TLP:RED"},
 "nodes": [{"id": "nightjar", "type": "company", "aliases": ["secret alias"]}],
 "edges": [{"src": "china", "type": "depends_on", "dst": "nightjar", "domain": "technology",
            "evidence": [{"quote": "A red word."}]}]})";
  for (const char* note : {"open.json", "red.json"})
    REQUIRE(Run({SinewBinary(), "--db", tmp / "db", "ingest", tmp / note}).exit_code == 0);
}

}  // namespace

TEST_CASE("serve: every endpoint answers in the CLI's JSON shape") {
  TempDir tmp;
  LoadCorpus(tmp);
  Served s(tmp / "db");
  struct Case {
    std::string path;
    std::vector<std::string> keys;  // top-level keys the answer must carry
  };
  const std::vector<Case> cases = {
      {"/api/stats", {"nodes", "edges", "evidence", "sources"}},
      {"/api/find?q=rusal", {"matches"}},
      {"/api/show?id=cr-929", {"node", "in", "out"}},
      {"/api/deps?id=russia&depth=2", {"root", "edges"}},
      {"/api/deps?id=china&reverse=1", {"root", "edges"}},
      {"/api/chains?from=russia&to=china&max_depth=3&limit=2", {"chains", "from", "to"}},
      {"/api/path?from=russia&to=china&mode=shortest", {"chains"}},
      {"/api/impact?id=the-west&limit=5", {"root", "exposed", "as_of"}},
      {"/api/impact?id=the-west&all_time=1", {"root", "exposed", "as_of"}},
      {"/api/critical?id=russia", {"consumer", "domains", "as_of"}},
      {"/api/critical", {"articulation_points"}},
      {"/api/substitutes?id=russian-pipeline-gas&for=china", {"provider", "substitutes"}},
      {"/api/asymmetry?a=russia&b=china&domain=trade", {"domains"}},
      {"/api/evidence?a=russia&b=china", {"edges"}},
      {"/api/conflicts", {"contested", "figures"}},
      {"/api/timeline?id=russia&with=china", {"items"}},
      {"/api/query?cypher=MATCH%20(n%3Astate)%20RETURN%20n.id%20AS%20id", {"columns", "rows"}},
      {"/api/neighbourhood?id=china&depth=2&limit=5", {"root", "nodes", "edges", "total"}},
      {"/api/schema", {"node_types", "edge_types", "domains"}},
      {"/api/help", {"endpoints", "filters"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    Reply r = Get(s, c.path);
    CHECK(r.status == 200);
    for (const auto& k : c.keys) {
      CAPTURE(k);
      CHECK(r.body.contains(k));
    }
  }
  // By default links valid today count; all_time lifts that and says so.
  CHECK(Get(s, "/api/impact?id=the-west").body["as_of"].is_string());
  CHECK(Get(s, "/api/impact?id=the-west&all_time=1").body["as_of"].is_null());
  // The same answer as the command line, byte for byte in JSON.
  RunResult cli = Run({SinewBinary(), "--db", tmp / "db", "--format", "json", "chains", "russia",
                       "china", "--max-depth", "3", "--limit", "2"});
  CHECK(json::parse(cli.out) ==
        Get(s, "/api/chains?from=russia&to=china&max_depth=3&limit=2").body);
  // Neighbourhoods are paged: a page of two, then the next.
  Reply first = Get(s, "/api/neighbourhood?id=china&limit=2");
  Reply second = Get(s, "/api/neighbourhood?id=china&limit=2&offset=2");
  REQUIRE(first.body["edges"].size() == 2);
  CHECK(first.body["total"].get<int>() > 2);
  CHECK(first.body["edges"][0]["id"] != second.body["edges"][0]["id"]);
  // A hub's card can be cut to its strongest links, saying how many there were.
  Reply cut = Get(s, "/api/show?id=china&limit=2");
  CHECK(cut.body["out"].size() == 2);
  CHECK(cut.body["out_total"].get<int>() > 2);
  CHECK(cut.body["out"][0]["weight"].get<double>() >= cut.body["out"][1]["weight"].get<double>());
  CHECK_FALSE(Get(s, "/api/show?id=china").body.contains("out_total"));
  // POST /api/query takes the query as the body.
  httplib::Client cli_http("127.0.0.1", s.port());
  auto posted = cli_http.Post("/api/query", "MATCH (n) RETURN count(n) AS n", "text/plain");
  REQUIRE(posted);
  CHECK(posted->status == 200);
  CHECK(json::parse(posted->body)["rows"][0][0] == Get(s, "/api/stats").body["nodes"]);
}

TEST_CASE("serve: malformed requests get clear 4xx errors and the server keeps answering") {
  TempDir tmp;
  LoadCorpus(tmp);
  Served s(tmp / "db");
  struct Case {
    std::string path;
    int status;
    std::string message;  // part of the error message
  };
  const std::vector<Case> cases = {
      {"/api/chains?from=russia", 400, "missing parameter 'to'"},
      {"/api/show", 400, "missing parameter 'id'"},
      {"/api/deps?id=russia&bogus=1", 400, "unknown parameter 'bogus'"},
      {"/api/deps?id=russia&depth=deep", 400, "depth"},
      {"/api/chains?from=russia&to=china&rule=sideways", 400, "rule"},
      {"/api/show?id=nowhere", 404, "no node 'nowhere'"},
      {"/api/show?id=russia&clearance=purple", 400, "clearance"},
      {"/api/show?id=russia&as_of=yesterday", 400, "as-of"},
      {"/api/nothing", 404, "no endpoint /api/nothing"},
      {"/api/neighbourhood?id=china&depth=9", 400, "depth is 1 to 3"},
      {"/api/neighbourhood?id=china&limit=-1", 400, "whole numbers"},
      {"/api/neighbourhood?id=china&colour=red", 400, "unknown parameter 'colour'"},
      {"/api/query?cypher=MATCH%20(n%20RETURN%20n", 422, "SyntaxError (UnexpectedSyntax)"},
      {"/api/query?cypher=CREATE%20(%3Ax)", 422, "scratch"},
      {"/api/find?q=%FF%FE", 200, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    Reply r = Get(s, c.path);
    CHECK(r.status == c.status);
    if (!c.message.empty()) {
      REQUIRE(r.body.contains("error"));
      CHECK(r.body["error"]["message"].get<std::string>().find(c.message) != std::string::npos);
    }
  }
  Reply bad_cypher = Get(s, "/api/query?cypher=MATCH%20(n)%20RETURN%20m");
  CHECK(bad_cypher.body["error"]["line"] == 1);
  CHECK(bad_cypher.body["error"]["column"] == 18);
  httplib::Client http("127.0.0.1", s.port());
  auto del = http.Delete("/api/stats");
  REQUIRE(del);
  CHECK(del->status == 405);
  auto post = http.Post("/api/stats", "", "text/plain");
  REQUIRE(post);
  CHECK(post->status == 405);
  // Garbage on the socket is answered (or dropped), never fatal.
  httplib::Client raw("127.0.0.1", s.port());
  auto odd = raw.Get("/api/show?id=%00%00");
  REQUIRE(odd);
  CHECK(odd->status >= 400);
  CHECK(s.alive());
  CHECK(Get(s, "/api/stats").status == 200);
}

TEST_CASE("serve: the API honours clearance exactly as the CLI does") {
  TempDir tmp;
  LoadOpenAndRed(tmp);
  Served s(tmp / "db", {"--clearance", "red"});
  Reply red = Get(s, "/api/neighbourhood?id=china");
  Reply green = Get(s, "/api/neighbourhood?id=china&clearance=green");
  CHECK(red.body.dump().find("nightjar") != std::string::npos);
  CHECK(green.body.dump().find("nightjar") == std::string::npos);
  CHECK(green.body["total"] == 1);
  CHECK(Get(s, "/api/show?id=nightjar&clearance=green").status == 404);
  CHECK(Get(s, "/api/find?q=secret&clearance=green").body["matches"].empty());
  CHECK(Get(s, "/api/stats?clearance=green").body["nodes"] == 2);
  CHECK(Get(s, "/api/query?clearance=green&cypher=MATCH%20(n)%20RETURN%20n.id")
            .body.dump()
            .find("nightjar") == std::string::npos);
}

}  // namespace sinew::testing

namespace sinew::testing {
namespace {

TEST_CASE("serve: no request value is ever read as an option, and no request writes") {
  TempDir tmp;
  LoadCorpus(tmp);
  std::string before = Run({SinewBinary(), "--db", tmp / "db", "dump"}).out;
  Served s(tmp / "db");
  // Every parameter of every endpoint, given values a command line would
  // read as options: to write a file, to read another store, to ask for help.
  Reply help = Get(s, "/api/help");
  REQUIRE(help.status == 200);
  std::string target = tmp / "written";
  std::vector<std::string> hostile = {
      "--output=" + target, "-o", "--db=" + tmp / "other", "--help", "-", "--format=png"};
  int asked = 0;
  for (const auto& [endpoint, params] : help.body["endpoints"].items()) {
    std::vector<std::string> names;
    for (const auto& p : params) names.push_back(p.get<std::string>());
    for (const auto& f : help.body["filters"]) names.push_back(f.get<std::string>());
    for (std::string name : names) {
      if (!name.empty() && name.back() == '?') name.pop_back();
      for (const auto& v : hostile) {
        std::string path = "/api/" + endpoint + "?" + name + "=" + Encoded(v);
        // The other required parameters, harmless.
        for (const char* other : {"id", "a", "b", "from", "to", "q"})
          if (name != other) path += std::string("&") + other + "=russia";
        CAPTURE(path);
        Reply r = Get(s, path);
        CHECK(r.status < 500);
        ++asked;
      }
    }
  }
  CHECK(asked > 100);
  CHECK_FALSE(std::filesystem::exists(target));
  CHECK_FALSE(std::filesystem::exists(tmp / "other"));
  CHECK(s.alive());
  CHECK(Run({SinewBinary(), "--db", tmp / "db", "dump"}).out == before);
  // A value that names a file is only ever a node name here.
  Reply r = Get(s, "/api/critical?id=" + Encoded("--output=" + target));
  CHECK(r.status == 404);
  CHECK_FALSE(std::filesystem::exists(target));
}

TEST_CASE("serve: Host and Origin are checked, and answers stop at the server's clearance") {
  TempDir tmp;
  LoadOpenAndRed(tmp);
  {
    Served s(tmp / "db");
    // DNS rebinding: a page at evil.com resolved to 127.0.0.1.
    Reply rebound = Get(s, "/api/stats", {{"Host", "evil.com"}});
    CHECK(rebound.status == 403);
    CHECK(rebound.body["error"]["message"].get<std::string>().find("Host") != std::string::npos);
    Reply other_site = Get(s, "/api/stats", {{"Origin", "http://evil.com"}});
    CHECK(other_site.status == 403);
    Reply own = Get(s, "/api/stats", {{"Origin", "http://127.0.0.1:" + std::to_string(s.port())}});
    CHECK(own.status == 200);
    CHECK(Get(s, "/api/stats", {{"Host", "localhost:" + std::to_string(s.port())}}).status == 200);
    // Without --clearance the server answers at TLP:GREEN, and refuses more.
    CHECK(Get(s, "/api/neighbourhood?id=china").body.dump().find("nightjar") == std::string::npos);
    CHECK(Get(s, "/api/show?id=nightjar").status == 404);
    CHECK(Get(s, "/api/stats").body["nodes"] == 2);
    Reply more = Get(s, "/api/show?id=china&clearance=red");
    CHECK(more.status == 403);
    CHECK(Get(s, "/api/neighbourhood?id=china&clearance=amber").status == 403);
    CHECK(Get(s, "/api/show?id=china&clearance=clear").status == 200);
  }
  Served red(tmp / "db", {"--clearance", "red"});
  CHECK(Get(red, "/api/show?id=nightjar").status == 200);
  CHECK(Get(red, "/api/show?id=nightjar&clearance=green").status == 404);
}

TEST_CASE("serve: limits on bodies, methods, files, slow clients and long questions") {
  TempDir tmp;
  LoadCorpus(tmp);
  // A dense graph whose chains run for ever, to be cut by the time limit.
  {
    std::ofstream note(tmp / "dense.json");
    note << R"({"source": {"id": "dense", "title": "dense"}, "nodes": [)";
    const int n = 24;
    for (int i = 0; i < n; ++i)
      note << (i ? "," : "") << "{\"id\": \"d" << i << "\", \"type\": \"company\"}";
    note << "], \"edges\": [";
    bool first = true;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i == j) continue;
        note << (first ? "" : ",") << "{\"src\": \"d" << i << "\", \"type\": \"depends_on\", "
             << "\"dst\": \"d" << j
             << "\", \"domain\": \"trade\", \"evidence\": [{\"quote\": \"q\"}]}";
        first = false;
      }
    note << "]}";
  }
  REQUIRE(Run({SinewBinary(), "--db", tmp / "db", "ingest", tmp / "dense.json"}).exit_code == 0);
  Served s(tmp / "db");
  httplib::Client http("127.0.0.1", s.port());
  http.set_read_timeout(60, 0);
  // A body over 1 MiB is refused, not read whole and echoed.
  auto big = http.Post("/api/query", std::string(2 << 20, 'x'), "text/plain");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(big->body.size() < 1000);
  // OPTIONS, like every writing method, is not allowed.
  auto options = http.Options("/api/stats");
  REQUIRE(options);
  CHECK(options->status == 405);
  // Only the explorer's own files are served.
  for (const char* path :
       {"/setup.sh", "/test/explorer.test.mjs", "/node_modules/.package-lock.json",
        "/../CMakeLists.txt", "/package.json"}) {
    CAPTURE(path);
    auto r = http.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
  }
  // A question past the time limit is cancelled with a clear answer.
  {
    Served hurried(tmp / "db", {"--timeout", "1"});
    Reply slow = Get(hurried, "/api/chains?from=d0&to=d1&max_depth=12&cap=1000000000000");
    CHECK(slow.status == 503);
    CHECK(slow.body["error"]["message"].get<std::string>().find("longer than 1 s") !=
          std::string::npos);
  }
  // A query holding too many rows stops with an error, not an out-of-memory
  // kill (on a server with time enough to reach the cap under a sanitizer).
  {
    Served patient(tmp / "db", {"--timeout", "600"});
    Reply rows =
        Get(patient, "/api/query?cypher=" + Encoded("MATCH (a),(b),(c),(d) RETURN count(*) AS n"));
    CHECK(rows.status == 422);
    CHECK(rows.body["error"]["message"].get<std::string>().find("ResourceError") !=
          std::string::npos);
  }
  // Slow clients (a header line every second or two) hold workers, not the
  // server: a plain request is still answered, well within the client's
  // patience (it waited 58 s before).
  std::vector<int> socks;
  for (int i = 0; i < 70; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(s.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    std::string start = "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    REQUIRE(::write(fd, start.data(), start.size()) > 0);
    socks.push_back(fd);
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      for (int fd : socks) (void)!::write(fd, "X-A: b\r\n", 8);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    }
  });
  httplib::Client patient("127.0.0.1", s.port());
  // 30 s: the watchdog frees a trickling worker after 5 s; the margin is for
  // a sanitizer build on a busy machine (it failed once at 15 s so).
  patient.set_read_timeout(30, 0);
  patient.set_connection_timeout(30, 0);
  auto answered = patient.Get("/api/stats");
  done = true;
  trickle.join();
  for (int fd : socks) ::close(fd);
  REQUIRE(answered);
  CHECK(answered->status == 200);
  CHECK(s.alive());
}

TEST_CASE("serve: sinew runs the sinew-serve program beside it, and says so when it is missing") {
  TempDir tmp;
  LoadCorpus(tmp);
  // In process (the shell, a test) there is no program to hand over to.
  cli::Context ctx;
  ctx.db = tmp / "db";
  std::ostringstream out, err;
  CHECK(cli::Dispatch({"serve", "--port", "0"}, ctx, out, err) == 2);
  CHECK(err.str().find("serve runs as a program of its own") != std::string::npos);
  // A sinew copied away from its sinew-serve names the program it looked for.
  std::string lone = tmp / "lone-sinew";
  std::filesystem::copy_file(SinewBinary(), lone);
  RunResult r = Run({lone, "--db", tmp / "db", "serve", "--port", "0"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(tmp / "sinew-serve") != std::string::npos);
  CHECK(r.err.find("No such file") != std::string::npos);
}

}  // namespace
}  // namespace sinew::testing
