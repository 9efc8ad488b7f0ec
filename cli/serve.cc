// `sinew serve`: the explorer's HTTP server (cpp-httplib). The JSON API runs
// the very command table the CLI and the shell run (Dispatch), so every
// answer has the CLI's JSON shape and honours filters and clearance the same
// way; one extra endpoint gives a node's neighbourhood for drawing. Requests
// are answered one at a time from the store's latest snapshot.
#include <httplib.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "query/query.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

// One API endpoint: the command it runs, its positional parameters (in
// order, required), and its optional parameters with the CLI option each
// becomes ("" = a flag that takes no value).
struct Endpoint {
  std::string command;
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<std::string> optional_positional;
};

// The filters every question takes, as the CLI spells them.
const std::vector<std::pair<std::string, std::string>> kFilters = {
    {"domain", "--domain"},      {"as_of", "--as-of"},
    {"known_at", "--known-at"},  {"min_confidence", "--min-confidence"},
    {"include_proposed", ""},    {"include_scenarios", ""},
    {"clearance", "--clearance"}};

const std::map<std::string, Endpoint>& Endpoints() {
  static const std::map<std::string, Endpoint> kEndpoints = {
      {"stats", {"stats", {}, {{"clearance", "--clearance"}, {"known_at", "--known-at"}}, {}}},
      {"find", {"find", {"q"}, {{"limit", "--limit"}}, {}}},
      {"show", {"show", {"id"}, {{"limit", "--limit"}}, {}}},
      {"deps", {"deps", {"id"}, {{"reverse", ""}, {"depth", "--depth"}, {"via", "--via"}}, {}}},
      {"chains",
       {"chains",
        {"from", "to"},
        {{"max_depth", "--max-depth"}, {"limit", "--limit"}, {"via", "--via"}, {"rule", "--rule"}},
        {}}},
      {"path", {"path", {"from", "to"}, {{"mode", "--mode"}, {"via", "--via"}}, {}}},
      {"impact", {"impact", {"id"}, {{"limit", "--limit"}}, {}}},
      {"critical", {"critical", {}, {{"via", "--via"}}, {"id"}}},
      {"substitutes", {"substitutes", {"id"}, {{"for", "--for"}}, {}}},
      {"asymmetry", {"asymmetry", {"a", "b"}, {}, {}}},
      {"evidence", {"evidence", {"a"}, {}, {"b"}}},
      {"timeline", {"timeline", {"id"}, {}, {"with"}}},
      {"query", {"query", {"cypher"}, {}, {}}},
  };
  return kEndpoints;
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

bool Truthy(const std::string& v) { return v.empty() || v == "1" || v == "true" || v == "yes"; }

class Server {
 public:
  Server(const Context& ctx, std::string static_dir)
      : ctx_(ctx), static_dir_(std::move(static_dir)) {
    ctx_.session = &session_;
    ctx_.format = "json";
  }

  void Routes(httplib::Server& http) {
    http.Get(R"(/api/([a-z]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      Answer(req.matches[1], req, res);
    });
    http.Post(R"(/api/([a-z]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.matches[1] != "query")
        return Fail(res, 405, "POST is only for /api/query (a Cypher query as the body)");
      std::lock_guard<std::mutex> lock(mu_);
      Answer("query", req, res);
    });
    // Writing methods have no place here: the store changes through ingest.
    auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
      Fail(res, 405, req.method + " is not allowed: the API only reads (GET; POST for /api/query)");
    };
    http.Put(R"(/.*)", not_allowed);
    http.Patch(R"(/.*)", not_allowed);
    http.Delete(R"(/.*)", not_allowed);
    // Only for failures no handler answered (an unknown path).
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status != 404)
        Fail(res, res.status, "bad request (HTTP " + std::to_string(res.status) + ")");
      else if (req.path.rfind("/api/", 0) == 0)
        Fail(res, 404, "no endpoint " + req.path + " (see GET /api/help)");
      else
        res.set_content("not found\n", "text/plain");
    });
    if (!static_dir_.empty()) http.set_mount_point("/", static_dir_);
  }

 private:
  void Answer(const std::string& name, const httplib::Request& req, httplib::Response& res) {
    if (name == "help") return Help(res);
    if (name == "schema") return Schema(req, res);
    if (name == "neighbourhood") return Around(req, res);
    auto it = Endpoints().find(name);
    if (it == Endpoints().end()) return Fail(res, 404, "no endpoint /api/" + name);
    const Endpoint& e = it->second;
    bool filters = e.command != "stats";  // stats takes only clearance and known_at
    std::set<std::string> known;
    std::vector<std::string> args = {e.command};
    for (const auto& p : e.positional) {
      known.insert(p);
      std::string v = Param(req, p);
      if (v.empty()) return Fail(res, 400, "missing parameter '" + p + "'");
      args.push_back(v);
    }
    for (const auto& p : e.optional_positional) {
      known.insert(p);
      if (req.has_param(p)) args.push_back(req.get_param_value(p));
    }
    std::vector<std::pair<std::string, std::string>> options = e.options;
    if (filters) options.insert(options.end(), kFilters.begin(), kFilters.end());
    for (const auto& [param, flag] : options) {
      known.insert(param);
      size_t n = req.get_param_value_count(param);
      for (size_t i = 0; i < n; ++i) {
        std::string v = req.get_param_value(param, i);
        if (flag.empty()) {
          if (Truthy(v)) args.push_back("--" + Dashed(param));  // a flag: reverse=1
        } else {
          args.push_back(flag);
          args.push_back(v);
        }
      }
    }
    // A POSTed query is the body, whatever its content type says.
    for (const auto& [k, v] : req.params)
      if (!known.count(k) && req.method != "POST")
        return Fail(res, 400, "unknown parameter '" + k + "' for /api/" + name);
    std::ostringstream out, err;
    Status outcome;
    (void)Dispatch(args, ctx_, out, err, &outcome);
    if (!outcome.ok()) {
      // The CLI's JSON error, with place, when it wrote one.
      try {
        json j = json::parse(err.str());
        return Reply(res, HttpStatus(outcome), j);
      } catch (const json::exception&) {
        return Fail(res, HttpStatus(outcome), outcome.message());
      }
    }
    res.status = 200;
    res.set_content(out.str(), "application/json; charset=utf-8");
  }

  static std::string Dashed(std::string s) {
    for (char& c : s)
      if (c == '_') c = '-';
    return s;
  }

  // A request parameter (the body for POST /api/query).
  static std::string Param(const httplib::Request& req, const std::string& name) {
    if (req.method == "POST" && name == "cypher") return req.body;
    return req.has_param(name) ? req.get_param_value(name) : "";
  }

  void Help(httplib::Response& res) {
    json list = json::object();
    for (const auto& [name, e] : Endpoints()) {
      json params = e.positional;
      for (const auto& p : e.optional_positional) params.push_back(p + "?");
      for (const auto& [p, flag] : e.options) params.push_back(p + "?");
      list[name] = params;
    }
    list["neighbourhood"] = {"id", "depth?", "limit?", "offset?"};
    list["schema"] = json::array();
    Reply(res, 200,
          {{"endpoints", list},
           {"filters",
            {"domain?", "as_of?", "known_at?", "min_confidence?", "include_proposed?",
             "include_scenarios?", "clearance?"}}});
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

  void Around(const httplib::Request& req, httplib::Response& res) {
    std::set<std::string> known = {"id", "depth", "limit", "offset"};
    for (const auto& [p, flag] : kFilters) known.insert(p);
    for (const auto& [k, v] : req.params)
      if (!known.count(k))
        return Fail(res, 400, "unknown parameter '" + k + "' for /api/neighbourhood");
    std::string id = Param(req, "id");
    if (id.empty()) return Fail(res, 400, "missing parameter 'id'");
    auto number = [&](const std::string& name, long fallback, long* v) {
      std::string text = Param(req, name);
      if (text.empty()) {
        *v = fallback;
        return true;
      }
      char* end = nullptr;
      *v = std::strtol(text.c_str(), &end, 10);
      return *end == '\0' && *v >= 0;
    };
    long depth, limit, offset;
    if (!number("depth", 1, &depth) || !number("limit", 200, &limit) ||
        !number("offset", 0, &offset))
      return Fail(res, 400, "depth, limit and offset are whole numbers");
    Context ctx = ctx_;
    for (const auto& [p, flag] : kFilters) {
      if (!req.has_param(p)) continue;
      std::string v = req.get_param_value(p);
      if (p == "domain") {
        for (size_t i = 0; i < req.get_param_value_count(p); ++i)
          ctx.domains.push_back(req.get_param_value(p, i));
      } else if (p == "as_of") {
        ctx.as_of = v;
      } else if (p == "known_at") {
        ctx.known_at = v;
      } else if (p == "clearance") {
        ctx.clearance = v;
      } else if (p == "min_confidence") {
        char* end = nullptr;
        ctx.min_confidence = std::strtod(v.c_str(), &end);
        if (*end != '\0') return Fail(res, 400, "min_confidence is a number from 0 to 1");
      } else if (p == "include_proposed") {
        ctx.include_proposed = Truthy(v);
      } else if (p == "include_scenarios") {
        ctx.include_scenarios = Truthy(v);
      }
    }
    Result<std::shared_ptr<Store>> store = OpenReader(ctx);
    if (!store.ok()) return Fail(res, HttpStatus(store.status()), store.status().message());
    auto raw = (*store)->View();
    Result<graph::EdgeFilter> filter = FilterOf(ctx, raw->schema());
    if (!filter.ok()) return Fail(res, HttpStatus(filter.status()), filter.status().message());
    auto view = query::SeenBy(std::move(raw), filter.value());
    query::Question q;
    q.filter = filter.value();
    q.projections = session_.projections();
    Result<query::Neighbourhood> n =
        query::NeighbourhoodOf(*view, id, static_cast<int>(depth), static_cast<size_t>(limit),
                               static_cast<size_t>(offset), q);
    if (!n.ok()) return Fail(res, HttpStatus(n.status()), n.status().message());
    Reply(res, 200, query::NeighbourhoodJson(n.value()));
  }

  Context ctx_;
  std::string static_dir_;
  SessionCache session_;
  std::mutex mu_;
};

httplib::Server* g_server = nullptr;

void Stop(int) {
  if (g_server) g_server->stop();
}

}  // namespace

Status ServeHttp(const Context& ctx, const ServeArgs& args, std::ostream& out) {
  if (args.port < 0 || args.port > 65535) return Status::Usage("--port is 0 to 65535");
  std::string dir = args.static_dir;
  if (dir.empty()) dir = std::string(SINEW_SOURCE_DIR) + "/explorer";
  if (!std::filesystem::is_directory(dir)) dir.clear();
  // The store must open before anyone is told to connect.
  Result<std::shared_ptr<Store>> store = OpenReader(ctx);
  if (!store.ok()) return store.status();
  store->reset();

  httplib::Server http;
  Server server(ctx, dir);
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
              << ", so other machines can read this store; there is no login\n";
  out << "sinew explorer on http://" << (args.bind == "0.0.0.0" ? "127.0.0.1" : args.bind) << ":"
      << port << "/ (store " << ctx.db << "; Ctrl-C stops)" << (dir.empty() ? " [API only]" : "")
      << std::endl;
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
