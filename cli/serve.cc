// `sinew serve`: the explorer's HTTP server (cpp-httplib). Each API endpoint
// is a row of the command table (command_table.h): a request's parameters
// are matched by name to the row's typed parameters and stored by their
// setters, so no value is ever read as an option, and the answer is the
// CLI's JSON. Only commands that read are endpoints; nothing the API does
// writes. docs/explorer.md lists the endpoints, docs/reliability.md the
// limits enforced here:
// - Host must be a loopback name or the --bind address, and Origin (when a
//   browser sends one) that same host, against DNS rebinding and other
//   sites' pages;
// - answers are at most TLP:GREEN unless the server was started with
//   --clearance (a request may ask for less, never more);
// - a request body is at most 1 MiB; one request runs at most --timeout
//   seconds (then it is cancelled); a connection that has not sent its
//   whole request within 5 s is closed; 64 workers read connections, so a
//   slow client holds one worker, not the server, and at most 4 questions
//   are answered at once (the others wait their turn within their timeout).
#include <dirent.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <list>
#include <mutex>
#include <semaphore>
#include <set>
#include <sstream>
#include <thread>

#include "cli/command_table.h"
#include "cli/serve_watchdog.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxBody = 1 << 20;  // bytes in a POST body
constexpr size_t kWorkers = 64;       // connections read at once (a slow client holds one)
constexpr int kAnswering = 4;         // questions answered at once (each may take memory)

// The explorer's own files: nothing else under its folder is served (not
// its tests, its setup script or the rest of node_modules).
const std::map<std::string, std::string>& StaticFiles() {
  static const std::map<std::string, std::string> kFiles = {
      {"/", "index.html"},
      {"/index.html", "index.html"},
      {"/explorer.js", "explorer.js"},
      {"/explorer.css", "explorer.css"},
      {"/node_modules/cytoscape/dist/cytoscape.min.js",
       "node_modules/cytoscape/dist/cytoscape.min.js"},
      {"/node_modules/cytoscape-svg/cytoscape-svg.js",
       "node_modules/cytoscape-svg/cytoscape-svg.js"},
  };
  return kFiles;
}

std::string ContentType(const std::string& file) {
  auto ends = [&](const char* ext) {
    std::string e = ext;
    return file.size() >= e.size() && file.compare(file.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

int HttpStatus(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kUsage:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kInvalid:
      return 422;
    case Status::Code::kBusy:
    case Status::Code::kCancelled:
      return 503;
    default:
      return 500;
  }
}

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(query::JsonText(body, -1), "application/json; charset=utf-8");
}

void Fail(httplib::Response& res, int status, const std::string& message) {
  Reply(res, status, {{"error", {{"message", message}}}});
}

class Server {
 public:
  Server(const Context& ctx, std::string static_dir, Marking ceiling, int timeout,
         std::set<std::string> hosts, Watchdog* dog)
      : ctx_(ctx),
        static_dir_(std::move(static_dir)),
        ceiling_(ceiling),
        timeout_(timeout),
        hosts_(std::move(hosts)),
        dog_(dog) {
    ctx_.session = &session_;
    ctx_.format = "json";
    ctx_.output.clear();
    ctx_.command_line.clear();
  }

  void Routes(httplib::Server& http) {
    http.set_payload_max_length(kMaxBody);
    http.set_read_timeout(5, 0);
    http.set_write_timeout(5, 0);
    http.set_keep_alive_timeout(5);
    http.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      dog_->Answering(req.remote_port, true);
      std::string why = Refused(req);
      if (why.empty()) return httplib::Server::HandlerResponse::Unhandled;
      Fail(res, 403, why);
      return httplib::Server::HandlerResponse::Handled;
    });
    http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Cache-Control", "no-store");
      dog_->Answering(req.remote_port, false);
    });
    http.Get(R"(/api/([a-z]+))", [this](const httplib::Request& req, httplib::Response& res) {
      Answer(req.matches[1], req, res);
    });
    http.Post(R"(/api/([a-z]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.matches[1] != "query")
        return Fail(res, 405, "POST is only for /api/query (a Cypher query as the body)");
      Answer("query", req, res);
    });
    http.Get(R"(/.*)",
             [this](const httplib::Request& req, httplib::Response& res) { Static(req, res); });
    // Writing methods have no place here: the store changes through ingest.
    auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", "GET, POST");
      Fail(res, 405, req.method + " is not allowed: the API only reads (GET; POST for /api/query)");
    };
    http.Put(R"(/.*)", not_allowed);
    http.Patch(R"(/.*)", not_allowed);
    http.Delete(R"(/.*)", not_allowed);
    http.Options(R"(/.*)", not_allowed);
    // Only for failures no handler answered.
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 413)
        Fail(res, 413, "the request is larger than " + std::to_string(kMaxBody) + " bytes");
      else if (res.status != 404)
        Fail(res, res.status, "bad request (HTTP " + std::to_string(res.status) + ")");
      else if (req.path.rfind("/api/", 0) == 0)
        Fail(res, 404, "no endpoint " + Excerpt(req.path) + " (see GET /api/help)");
      else
        res.set_content("not found\n", "text/plain");
    });
  }

 private:
  // Why a request is refused before any handler sees it ("" = it is not):
  // a Host that is not this server (DNS rebinding), or an Origin of
  // another site.
  std::string Refused(const httplib::Request& req) const {
    std::string host = req.get_header_value("Host");
    if (!hosts_.count(HostName(host)))
      return "the Host header '" + Excerpt(host) +
             "' is not this server (a loopback name or the --bind address)";
    if (req.has_header("Origin")) {
      std::string origin = req.get_header_value("Origin");
      std::string rest = origin.rfind("http://", 0) == 0 ? origin.substr(7) : "";
      if (rest.empty() || !hosts_.count(HostName(rest)))
        return "requests from the page at '" + Excerpt(origin) + "' are not answered";
    }
    return "";
  }

  // "127.0.0.1:7474" -> "127.0.0.1"; "[::1]:7474" -> "::1".
  static std::string HostName(const std::string& host) {
    if (!host.empty() && host[0] == '[') {
      size_t close = host.find(']');
      return close == std::string::npos ? host : host.substr(1, close - 1);
    }
    return host.substr(0, host.find(':'));
  }

  void Static(const httplib::Request& req, httplib::Response& res) {
    auto it = StaticFiles().find(req.path);
    if (static_dir_.empty() || it == StaticFiles().end() || !req.params.empty()) {
      res.status = 404;
      res.set_content("not found\n", "text/plain");
      return;
    }
    Result<std::string> bytes = ReadSettingsFile(static_dir_ + "/" + it->second, "explorer file");
    if (!bytes.ok()) {
      res.status = 404;
      res.set_content("not found\n", "text/plain");
      return;
    }
    res.set_content(bytes.value(), ContentType(it->second));
  }

  // The request's parameters stored into a fresh invocation through the
  // row's setters; an unknown parameter, a repeated single one or a bad
  // value is a 400 naming it.
  Status Bind(const Command& c, const httplib::Request& req, Invocation* inv) const {
    std::set<std::string> given;
    for (const auto& [k, v] : req.params) {
      if (req.method == "POST" && c.name == "query" && k == "cypher")
        return Status::Usage("the query is the body of a POST, not a parameter");
      given.insert(k);
    }
    for (const std::string& k : given) {
      const Param* param = nullptr;
      for (const Param& p : c.params)
        if (!p.api.empty() && p.api == k) param = &p;
      if (!param) return Status::Usage("unknown parameter '" + Excerpt(k) + "' for /api/" + c.name);
      std::vector<std::string> values;
      for (size_t i = 0; i < req.get_param_value_count(k); ++i)
        values.push_back(req.get_param_value(k, i));
      if (param->values == 1 && values.size() > 1)
        return Status::Usage("parameter '" + k + "' is given more than once");
      if (param->values == 2 && values.size() != 2)
        return Status::Usage("parameter '" + k + "' takes two values");
      Status s = param->set(*inv, values);
      if (!s.ok()) return Status::Usage("parameter '" + k + "': " + s.message());
    }
    if (req.method == "POST" && c.name == "query") {
      inv->query.text = req.body;
      given.insert("cypher");
    }
    for (const Param& p : c.params)
      if (p.required && !p.api.empty() && !given.count(p.api))
        return Status::Usage("missing parameter '" + p.api + "'");
    return Status::Ok();
  }

  // The asker's clearance: the server's unless the request asks for less.
  Status Clear(Context* ctx) const {
    if (ctx->clearance.empty()) {
      ctx->clearance = MarkingName(ceiling_);
      return Status::Ok();
    }
    Result<Marking> m = ParseMarking(ctx->clearance);
    if (!m.ok()) return Status::Usage("clearance: " + m.status().message());
    if (m.value() > ceiling_)
      return Status::PermissionDenied(std::string("this server answers at most at ") +
                                      MarkingName(ceiling_) + " (serve --clearance)");
    return Status::Ok();
  }

  void Answer(const std::string& name, const httplib::Request& req, httplib::Response& res) {
    if (name == "help") return Help(res);
    if (name == "schema") return Schema(req, res);
    if (name == "neighbourhood") return Around(req, res);
    const Command* c = FindCommand(name);
    if (!c || !c->api) return Fail(res, 404, "no endpoint /api/" + Excerpt(name));
    Invocation inv;
    inv.ctx = ctx_;
    Status s = Bind(*c, req, &inv);
    if (s.ok()) s = Clear(&inv.ctx);
    if (s.ok()) s = Run(*c, &inv, res);
    if (!s.ok()) {
      int status = s.code() == Status::Code::kPermissionDenied ? 403 : HttpStatus(s);
      Status shown =
          s.code() == Status::Code::kCancelled
              ? Status::Cancelled("the question took longer than " + std::to_string(timeout_) +
                                  " s (serve --timeout); narrow it")
              : s;
      Reply(res, status, {{"error", ErrorJson(shown)}});
    }
  }

  // Runs a bound command with a deadline on it, once a place among those
  // answered at once is free.
  Status Run(const Command& c, Invocation* inv, httplib::Response& res) {
    if (!answering_.try_acquire_for(std::chrono::seconds(timeout_)))
      return Status::Busy("the server is busy with other questions; ask again");
    struct Release {
      std::counting_semaphore<kAnswering>* s;
      ~Release() { s->release(); }
    } release{&answering_};
    std::atomic<bool> cancel{false};
    inv->ctx.cancel = &cancel;
    Watchdog::Handle h = dog_->Add(Clock::now() + std::chrono::seconds(timeout_), &cancel);
    std::ostringstream out;
    Status s = Execute(c, *inv, out);
    dog_->Remove(h);
    if (!s.ok()) return s;
    res.status = 200;
    res.set_content(out.str(), "application/json; charset=utf-8");
    return Status::Ok();
  }

  void Help(httplib::Response& res) {
    json list = json::object();
    json filters = json::array();
    for (const Command& c : Commands()) {
      if (!c.api) continue;
      json params = json::array();
      for (const Param& p : c.params) {
        if (p.api.empty()) continue;
        bool filter = p.api == "domain" || p.api == "as_of" || p.api == "all_time" ||
                      p.api == "known_at" || p.api == "min_confidence" ||
                      p.api == "include_proposed" || p.api == "include_scenarios" ||
                      p.api == "clearance";
        if (filter && c.name != "stats") {
          if (c.name == "show") filters.push_back(p.api + "?");
          continue;
        }
        params.push_back(p.required ? p.api : p.api + "?");
      }
      list[c.name] = params;
    }
    list["neighbourhood"] = {"id", "depth?", "limit?", "offset?"};
    list["schema"] = json::array();
    Reply(res, 200,
          {{"endpoints", list},
           {"filters", filters},
           {"clearance", MarkingName(ceiling_)},
           {"timeout_seconds", timeout_}});
  }

  void Schema(const httplib::Request& req, httplib::Response& res) {
    if (!req.params.empty()) return Fail(res, 400, "/api/schema takes no parameters");
    Result<std::shared_ptr<Store>> store = OpenReader(ctx_);
    if (!store.ok()) return Fail(res, HttpStatus(store.status()), store.status().message());
    const sinew::Schema& s = (*store)->schema();
    json types = json::array(), edges = json::array();
    for (const auto& [t, d] : s.node_types()) types.push_back(t);
    for (const auto& e : s.edge_types())
      edges.push_back({{"name", e.name},
                       {"forward", e.forward},
                       {"reverse", e.reverse},
                       {"directed", e.directed}});
    Reply(res, 200, {{"node_types", types}, {"edge_types", edges}, {"domains", s.domains()}});
  }

  // A node's neighbourhood to draw, with the filters `show` takes.
  void Around(const httplib::Request& req, httplib::Response& res) {
    const Command* show = FindCommand("show");
    Invocation inv;
    inv.ctx = ctx_;
    std::map<std::string, long> numbers = {{"depth", 1}, {"limit", 200}, {"offset", 0}};
    std::string id;
    for (const auto& [k, v] : req.params) {
      if (req.get_param_value_count(k) > 1 && k != "domain")
        return Fail(res, 400, "parameter '" + Excerpt(k) + "' is given more than once");
      if (k == "id") {
        id = v;
      } else if (numbers.count(k)) {
        char* end = nullptr;
        long x = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || x < 0 || x > 1000000)
          return Fail(res, 400, "depth, limit and offset are whole numbers");
        numbers[k] = x;
      } else {
        const Param* param = nullptr;
        for (const Param& p : show->params)
          if (!p.api.empty() && p.api == k && p.kind != Param::Kind::kPositional && k != "limit")
            param = &p;
        if (!param)
          return Fail(res, 400, "unknown parameter '" + Excerpt(k) + "' for /api/neighbourhood");
        std::vector<std::string> values;
        for (size_t i = 0; i < req.get_param_value_count(k); ++i)
          values.push_back(req.get_param_value(k, i));
        Status s = param->set(inv, values);
        if (!s.ok()) return Fail(res, 400, "parameter '" + k + "': " + s.message());
      }
    }
    if (id.empty()) return Fail(res, 400, "missing parameter 'id'");
    Status cleared = Clear(&inv.ctx);
    if (!cleared.ok())
      return Fail(res, cleared.code() == Status::Code::kPermissionDenied ? 403 : 400,
                  cleared.message());
    inv.ctx.history = true;  // a drawing of the record: all time unless as_of says a year
    Result<Asker> a = OpenAsker(inv.ctx);
    if (!a.ok()) return Fail(res, HttpStatus(a.status()), a.status().message());
    Result<query::Neighbourhood> n = query::NeighbourhoodOf(
        *a->view, id, static_cast<int>(numbers["depth"]), static_cast<size_t>(numbers["limit"]),
        static_cast<size_t>(numbers["offset"]), a->q);
    if (!n.ok()) return Reply(res, HttpStatus(n.status()), {{"error", ErrorJson(n.status())}});
    Reply(res, 200, query::NeighbourhoodJson(n.value()));
  }

  Context ctx_;
  std::string static_dir_;
  Marking ceiling_;
  int timeout_;
  std::set<std::string> hosts_;
  Watchdog* dog_;
  SessionCache session_;
  std::counting_semaphore<kAnswering> answering_{kAnswering};
};

httplib::Server* g_server = nullptr;

void Stop(int) {
  if (g_server) g_server->stop();
}

// Where the explorer's files are: --static, else installed beside the
// program (PREFIX/share/sinew/explorer for PREFIX/bin/sinew), else the
// source tree it was built from.
std::string ExplorerDir(const std::string& given) {
  namespace fs = std::filesystem;
  if (!given.empty()) return fs::is_directory(given) ? given : "";
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = self.parent_path().parent_path() / "share" / "sinew" / "explorer";
    if (fs::is_regular_file(installed / "index.html", ec)) return installed.string();
  }
  std::string source = std::string(SINEW_SOURCE_DIR) + "/explorer";
  return fs::is_directory(source, ec) ? source : "";
}

}  // namespace

Status ServeHttp(const Context& ctx, const ServeArgs& args, std::ostream& out) {
  if (args.port < 0 || args.port > 65535) return Status::Usage("--port is 0 to 65535");
  std::string dir = ExplorerDir(args.static_dir);
  if (!args.static_dir.empty() && dir.empty())
    return Status::Usage("--static " + args.static_dir + " is not a directory");
  Marking ceiling = Marking::kGreen;
  if (!ctx.clearance.empty()) {
    Result<Marking> m = ParseMarking(ctx.clearance);
    if (!m.ok()) return Status::Usage("--clearance: " + m.status().message());
    ceiling = m.value();
  }
  // The store must open before anyone is told to connect.
  Result<std::shared_ptr<Store>> store = OpenReader(ctx);
  if (!store.ok()) return store.status();
  store->reset();

  std::set<std::string> hosts = {"127.0.0.1", "localhost", "::1", args.bind};
  Watchdog dog;
  httplib::Server http;
  Server server(ctx, dir, ceiling, args.timeout, hosts, &dog);
  server.Routes(http);
  int port = args.port;
  if (port == 0) {
    port = http.bind_to_any_port(args.bind);
    if (port < 0) return Status::Io("cannot listen on " + args.bind);
  } else if (!http.bind_to_port(args.bind, port)) {
    return Status::Io("cannot listen on " + args.bind + ":" + std::to_string(port) +
                      " (in use? try --port 0 for any free port)");
  }
  if (args.bind != "127.0.0.1" && args.bind != "localhost" && args.bind != "::1")
    std::cerr << "sinew: warning: serving on " << args.bind
              << ", so other machines can read this store (up to " << MarkingName(ceiling)
              << "); there is no login\n";
  out << "sinew explorer on http://" << (args.bind == "0.0.0.0" ? "127.0.0.1" : args.bind) << ":"
      << port << "/ (store " << ctx.db << "; answers up to " << MarkingName(ceiling)
      << "; Ctrl-C stops)" << (dir.empty() ? " [API only]" : "") << std::endl;
  if (!dir.empty()) std::cerr << "sinew: the explorer's files are served from " << dir << "\n";
  g_server = &http;
  std::signal(SIGINT, Stop);
  std::signal(SIGTERM, Stop);
  bool ok = http.listen_after_bind();
  g_server = nullptr;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!ok) return Status::Io("the server stopped with an error");
  return Status::Ok();
}

}  // namespace sinew::cli
