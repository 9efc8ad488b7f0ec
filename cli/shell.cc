// `sinew shell`: every command at a prompt, with line editing, history kept
// between sessions, tab completion and session settings. Ctrl-C cancels the
// running command and keeps the shell; Ctrl-D leaves. When standard input is
// not a terminal it reads commands line by line with no prompt or colour.
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/command_table.h"
#include "store/store.h"

namespace sinew::cli {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<bool> g_running{false};

void OnInterrupt(int) {
  g_cancel.store(true);
  if (!g_running.load()) {
    // At the prompt: drop the line being typed and start a fresh one.
    (void)!::write(STDOUT_FILENO, "\n", 1);
    rl_on_new_line();
    rl_replace_line("", 0);
    rl_redisplay();
  }
}

}  // namespace

Result<std::vector<std::string>> SplitCommandLine(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  bool any = false;
  for (char c : line) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        cur.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
      any = true;
    } else if (c == ' ' || c == '\t') {
      if (any || !cur.empty()) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur.push_back(c);
    }
  }
  if (quote) return Status::Usage("unclosed quote");
  if (any || !cur.empty()) out.push_back(cur);
  return out;
}

namespace {

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

class Shell {
 public:
  explicit Shell(const Context& defaults) : ctx_(defaults) {
    ctx_.cancel = &g_cancel;
    ctx_.session = &session_;
    // The program's own arguments started the shell; a `serve` typed here
    // must not hand them to sinew-serve (it says to run it from a prompt).
    ctx_.command_line.clear();
  }

  int Run() {
    bool tty = ::isatty(STDIN_FILENO) != 0;
    return tty ? Interactive() : Script();
  }

  // Completion candidates for the word being typed, given the words before it.
  std::vector<std::string> Candidates(const std::vector<std::string>& before,
                                      const std::string& prefix) {
    std::vector<std::string> pool;
    if (before.empty()) {
      for (const auto& [name, help] : CommandList()) pool.push_back(name);
      for (const char* w : {"help", "set", "exit", "quit"}) pool.push_back(w);
    } else if (before[0] == "set" && before.size() == 1) {
      pool = {"format",   "as-of",     "known-at", "clearance", "domain", "min-confidence",
              "proposed", "scenarios", "rule",     "via",       "graph",  "timing"};
    } else if (before[0] == "set" && before.size() == 2) {
      const std::string& k = before[1];
      if (k == "format")
        pool = {"table", "json", "csv", "dot"};
      else if (k == "clearance")
        pool = {"clear", "green", "amber", "amber+strict", "red"};
      else if (k == "domain")
        pool = Vocabulary().domains, pool.push_back("all");
      else if (k == "via")
        pool = Vocabulary().edge_types, pool.push_back("all");
      else if (k == "proposed" || k == "scenarios" || k == "timing")
        pool = {"on", "off"};
      else if (k == "rule")
        pool = {"product", "min"};
      else if (k == "graph")
        pool = {"store", "scratch"};
    } else if (before[0] == "help") {
      for (const auto& [name, help] : CommandList()) pool.push_back(name);
    } else if (before.back() == "--domain") {
      pool = Vocabulary().domains;
    } else if (before.back() == "--via") {
      pool = Vocabulary().edge_types;
    } else if (before.back() == "--format") {
      pool = {"table", "json", "csv", "dot", "svg", "png"};
    } else if (before.back() == "--clearance") {
      pool = {"clear", "green", "amber", "amber+strict", "red"};
    } else if (prefix.rfind("-", 0) == 0) {
      pool = OptionsOf(before[0]);
    } else {
      pool = Vocabulary().nodes;
      for (const auto& t : Vocabulary().node_types) pool.push_back(t);
    }
    std::vector<std::string> out;
    for (const auto& p : pool)
      if (p.rfind(prefix, 0) == 0) out.push_back(p);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  struct Words_ {
    std::vector<std::string> nodes, node_types, domains, edge_types;
  };

  // Node ids the session's settings may see (completion must not name a
  // node above clearance) and the schema's words; read again whenever the
  // store or those settings changed.
  const Words_& Vocabulary() {
    Result<std::shared_ptr<Store>> store = OpenReader(ctx_);
    std::string settings =
        ctx_.clearance + "\n" + ctx_.known_at + "\n" + (ctx_.include_proposed ? "proposed" : "");
    if (store.ok() && session_.generation() == vocabulary_of_ && settings == vocabulary_for_)
      return vocabulary_;
    vocabulary_ = Words_{};
    vocabulary_of_ = store.ok() ? session_.generation() : 0;
    vocabulary_for_ = settings;
    if (store.ok()) {
      auto view = (*store)->View();
      Result<graph::EdgeFilter> filter = FilterOf(ctx_, view->schema());
      if (filter.ok())
        (void)view->ForEachNode([&](const NodeRecord& n) {
          if (query::NodeVisible(*view, n, filter.value())) vocabulary_.nodes.push_back(n.slug);
          return vocabulary_.nodes.size() < 200000;
        });
      for (const auto& [t, d] : view->schema().node_types()) vocabulary_.node_types.push_back(t);
      vocabulary_.domains = view->schema().domains();
      for (const auto& e : view->schema().edge_types()) vocabulary_.edge_types.push_back(e.name);
    }
    return vocabulary_;
  }

  std::string Prompt() const {
    std::vector<std::string> bits;
    if (ctx_.format != "table") bits.push_back(ctx_.format);
    if (!ctx_.as_of.empty()) bits.push_back("as-of " + ctx_.as_of);
    if (ctx_.all_time) bits.push_back("all-time");
    if (!ctx_.known_at.empty()) bits.push_back("known-at " + ctx_.known_at);
    if (!ctx_.clearance.empty()) bits.push_back(ctx_.clearance);
    if (!ctx_.domains.empty()) bits.push_back(Join(ctx_.domains, ","));
    if (ctx_.include_proposed) bits.push_back("+proposed");
    if (ctx_.include_scenarios) bits.push_back("+scenarios");
    return bits.empty() ? "sinew> " : "sinew[" + Join(bits, " ") + "]> ";
  }

  std::string Settings() const {
    std::ostringstream s;
    s << "store           " << ctx_.db << "\n"
      << "format          " << ctx_.format << "\n"
      << "as-of           "
      << (!ctx_.as_of.empty() ? ctx_.as_of
          : ctx_.all_time     ? "(all time)"
                              : "(today)")
      << "\n"
      << "known-at        " << (ctx_.known_at.empty() ? "(now)" : ctx_.known_at) << "\n"
      << "clearance       " << (ctx_.clearance.empty() ? "red (everything)" : ctx_.clearance)
      << "\n"
      << "domain          " << (ctx_.domains.empty() ? "(all)" : Join(ctx_.domains, ", ")) << "\n"
      << "min-confidence  " << ctx_.min_confidence << "\n"
      << "proposed        " << (ctx_.include_proposed ? "on" : "off") << "\n"
      << "scenarios       " << (ctx_.include_scenarios ? "on" : "off") << "\n"
      << "rule            " << ctx_.rule << "\n"
      << "via             " << (ctx_.via.empty() ? "(depends_on)" : Join(ctx_.via, ", ")) << "\n"
      << "graph           " << (ctx_.scratch ? "scratch (Cypher sketches here)" : "store") << "\n"
      << "timing          " << (timing_ ? "on" : "off") << "\n";
    return s.str();
  }

  Status Set(const std::vector<std::string>& w) {
    if (w.size() != 3) return Status::Usage("set NAME VALUE (see 'show settings')");
    const std::string &k = w[1], &v = w[2];
    bool none = v == "none" || v == "all" || v == "off" || v == "any";
    if (k == "format") {
      if (v != "table" && v != "json" && v != "csv" && v != "dot")
        return Status::Usage("format is table, json, csv or dot");
      ctx_.format = v;
    } else if (k == "as-of") {
      // "set as-of all" asks about every link that ever held; "today" (or
      // "none") goes back to the default.
      ctx_.all_time = v == "all" || v == "any";
      ctx_.as_of = none || v == "today" ? "" : v;
    } else if (k == "known-at") {
      ctx_.known_at = none ? "" : v;
    } else if (k == "clearance") {
      Result<Marking> m = ParseMarking(v);
      if (!m.ok()) return Status::Usage(m.status().message());
      ctx_.clearance = v;
    } else if (k == "domain") {
      ctx_.domains.clear();
      if (!none) {
        std::stringstream in(v);
        std::string d;
        while (std::getline(in, d, ',')) ctx_.domains.push_back(d);
      }
    } else if (k == "min-confidence") {
      char* end = nullptr;
      double c = std::strtod(v.c_str(), &end);
      if (*end != 0 || c < 0 || c > 1) return Status::Usage("min-confidence is 0 to 1");
      ctx_.min_confidence = c;
    } else if (k == "proposed" || k == "scenarios") {
      if (v != "on" && v != "off") return Status::Usage(k + " is on or off");
      (k == "proposed" ? ctx_.include_proposed : ctx_.include_scenarios) = v == "on";
    } else if (k == "rule") {
      if (v != "product" && v != "min") return Status::Usage("rule is product or min");
      ctx_.rule = v;
    } else if (k == "via") {
      ctx_.via.clear();
      if (!none) ctx_.via.push_back(v);
    } else if (k == "timing") {
      if (v != "on" && v != "off") return Status::Usage("timing is on or off");
      timing_ = v == "on";
    } else if (k == "graph") {
      // Cypher lines go to the store, or to this session's scratch graph,
      // where CREATE sketches; the sketch lives until the shell ends.
      if (v != "store" && v != "scratch") return Status::Usage("graph is store or scratch");
      ctx_.scratch = v == "scratch" ? &scratch_ : nullptr;
    } else {
      return Status::Usage("no setting '" + k + "' (see 'show settings')");
    }
    return Status::Ok();
  }

  void Help(const std::vector<std::string>& w, std::ostream& out) {
    if (w.size() > 1) {
      std::string h = HelpOf(w[1]);
      out << (h.empty() ? "no command '" + w[1] + "'\n" : h);
      return;
    }
    out << "commands (help COMMAND for its options):\n";
    for (const auto& [name, help] : CommandList())
      if (name != "shell")
        out << "  " << name << std::string(14 - std::min<size_t>(13, name.size()), ' ') << help
            << "\n";
    out << "shell:\n"
        << "  set NAME VALUE  format, as-of (a date, today, or all), known-at, clearance,\n"
        << "                  domain, min-confidence,\n"
        << "                  proposed, scenarios, rule, via (none clears), graph\n"
        << "                  (store, or scratch: Cypher CREATE sketches for this session),\n"
        << "                  timing (on: each command's time, on stderr)\n"
        << "  MATCH ...       any line starting MATCH, RETURN, WITH, UNWIND, CALL or CREATE\n"
        << "                  runs as openCypher (docs/cypher.md)\n"
        << "  show settings   the session's settings\n"
        << "  exit, Ctrl-D    leave; Ctrl-C cancels a running command\n";
  }

  // Runs one line; returns false when the shell should end.
  bool Execute(const std::string& line, int* failures) {
    // A Cypher query is typed as it is, quotes and all.
    if (query::LooksLikeCypher(line)) {
      if (Run({"query", line}) != 0) ++*failures;
      return true;
    }
    Result<std::vector<std::string>> w = SplitCommandLine(line);
    if (!w.ok()) {
      std::cerr << "sinew: " << w.status().message() << "\n";
      ++*failures;
      return true;
    }
    if (w->empty() || (*w)[0].rfind("#", 0) == 0) return true;
    const std::string& cmd = (*w)[0];
    if (cmd == "exit" || cmd == "quit") return false;
    if (cmd == "help") {
      Help(w.value(), std::cout);
      return true;
    }
    if (cmd == "set") {
      Status s = Set(w.value());
      if (!s.ok()) {
        std::cerr << "sinew: " << s.message() << "\n";
        ++*failures;
      }
      return true;
    }
    if (cmd == "show" && w->size() == 2 && (*w)[1] == "settings") {
      std::cout << Settings();
      return true;
    }
    if (cmd == "shell") {
      std::cerr << "sinew: already in the shell\n";
      return true;
    }
    if (Run(w.value()) != 0) ++*failures;
    return true;
  }

  // Runs one command through the command table; with timing on, says how
  // long it took, answer written (the benchmark reads it: docs/benchmarks.md).
  int Run(const std::vector<std::string>& args) {
    g_cancel.store(false);
    g_running.store(true);
    auto start = std::chrono::steady_clock::now();
    int rc = Dispatch(args, ctx_, std::cout, std::cerr);
    std::cout.flush();
    g_running.store(false);
    if (timing_) {
      std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
      char buf[64];
      std::snprintf(buf, sizeof buf, "time: %.3f ms\n", took.count());
      std::cerr << buf << std::flush;
    }
    return rc;
  }

  int Script() {
    int failures = 0;
    std::string line;
    while (std::getline(std::cin, line))
      if (!Execute(line, &failures)) break;
    return failures == 0 ? 0 : 1;
  }

  int Interactive() {
    const char* home = std::getenv("HOME");
    const char* custom = std::getenv("SINEW_HISTORY");
    std::string history =
        custom && *custom ? custom : std::string(home ? home : ".") + "/.sinew_history";
    using_history();
    stifle_history(2000);
    // append_history needs the file to exist; a first session creates it.
    if (read_history(history.c_str()) != 0) write_history(history.c_str());
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    rl_catch_signals = 0;
    std::cout << "sinew shell on " << ctx_.db << " — help lists the commands, Ctrl-D leaves\n";
    int failures = 0;
    while (true) {
      g_cancel.store(false);
      char* raw = readline(Prompt().c_str());
      if (raw == nullptr) {
        std::cout << "\n";
        break;
      }
      std::string line = raw;
      std::free(raw);
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      add_history(line.c_str());
      append_history(1, history.c_str());
      if (!Execute(line, &failures)) break;
    }
    history_truncate_file(history.c_str(), 2000);
    return 0;
  }

  SessionCache session_;         // before ctx_, which points at it
  query::ScratchGraph scratch_;  // so is this, when set graph scratch
  bool timing_ = false;          // set timing on: each command's time on stderr
  Context ctx_;
  Words_ vocabulary_;
  uint64_t vocabulary_of_ = 0;  // the session generation it was read from
  std::string vocabulary_for_;  // and the settings it was read for
};

Shell* g_shell = nullptr;

char* Generate(const char* text, int state) {
  static std::vector<std::string> matches;
  static size_t next = 0;
  if (state == 0) {
    std::string line(rl_line_buffer, static_cast<size_t>(rl_point));
    std::string prefix = text;
    line = line.substr(0, line.size() - prefix.size());
    Result<std::vector<std::string>> before = SplitCommandLine(line);
    matches = g_shell && before.ok() ? g_shell->Candidates(before.value(), prefix)
                                     : std::vector<std::string>{};
    next = 0;
  }
  if (next >= matches.size()) return nullptr;
  return strdup(matches[next++].c_str());
}

char** Complete(const char* text, int, int) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  return rl_completion_matches(text, Generate);
}

}  // namespace

Status RunShellCommand(Call& call, std::ostream&) {
  int rc = RunShell(call.ctx());
  return rc == 0 ? Status::Ok() : Status::Invalid("some commands failed");
}

int RunShell(const Context& defaults) {
  Shell shell(defaults);
  g_shell = &shell;
  rl_readline_name = "sinew";
  rl_attempted_completion_function = Complete;
  int rc = shell.Run();
  g_shell = nullptr;
  return rc;
}

}  // namespace sinew::cli
