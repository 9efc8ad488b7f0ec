// The command line: CLI11 built from the command table (command_table.h),
// one parse per call, then the command's Needs opened and its function run.
// main(), the shell and the fuzzers all come through Dispatch.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command_table.h"

namespace sinew::cli {
namespace {

// The product's version, from the build (CMake's project version).
#ifndef SINEW_VERSION
#define SINEW_VERSION "0.0.0"
#endif

struct Parse {
  Invocation inv;
  const Command* chosen = nullptr;
  Status bad_value;  // the first value a parameter refused
};

void AddParam(CLI::App* cmd, const Param& param, Parse* p) {
  auto store = [p, &param](const std::vector<std::string>& values) {
    Status s = param.set(p->inv, values);
    if (!s.ok() && p->bad_value.ok()) p->bad_value = s;
  };
  CLI::Option* o = nullptr;
  std::string names = param.kind == Param::Kind::kPositional ? param.name : "--" + param.name;
  if (!param.alias.empty()) names += "," + param.alias;
  if (param.kind == Param::Kind::kFlag) {
    o = cmd->add_flag_callback(
        names, [store] { store({"true"}); }, param.help);
  } else if (param.values == 1) {
    o = cmd->add_option_function<std::string>(
        names, [store](const std::string& v) { store({v}); }, param.help);
  } else {
    o = cmd->add_option_function<std::vector<std::string>>(names, store, param.help);
    if (param.values == 2) o->expected(2);
  }
  if (!param.type_name.empty() && param.kind != Param::Kind::kFlag) o->type_name(param.type_name);
  if (param.required) o->required();
}

bool Wanted(const std::string& only, const std::string& name) {
  return only.empty() || only == name;
}

// The table as CLI11 sees it. Only the command named `only` gets its
// options ("" builds them all): a fresh process parses one command, and
// building every option of every command cost about 2.5 million
// instructions, a tenth of a cold question.
std::unique_ptr<CLI::App> BuildApp(Parse* p, const std::string& only = "") {
  auto app = std::make_unique<CLI::App>(
      "sinew: an embedded knowledge graph and evidence store for dependency analysis");
  app->require_subcommand(1);
  app->fallthrough();
  app->set_version_flag("--version", "sinew " SINEW_VERSION);
  Context& ctx = p->inv.ctx;
  app->add_option("--db", ctx.db, "Store directory (default $SINEW_DB, else ./sinew.db)");
  app->add_option("--analyst", ctx.analyst, "Who ingests and decides (default $SINEW_ANALYST)");
  app->add_option("--wait", ctx.wait,
                  "Seconds a writing command waits while another process writes (default 0: "
                  "say who holds the store and exit)")
      ->check(CLI::Range(0.0, 86400.0));
  for (const Command& c : Commands()) {
    CLI::App* cmd = app->add_subcommand(c.name, c.help);
    if (!Wanted(only, c.name)) continue;
    for (const Param& param : c.params) AddParam(cmd, param, p);
    const Command* row = &c;
    cmd->callback([p, row] { p->chosen = row; });
  }
  app->add_option("--format", ctx.format, "Output: table, json, csv, dot, svg or png");
  return app;
}

int Report(const Context& ctx, const Status& s, std::ostream& err) {
  if (s.ok()) return 0;
  if (s.code() == Status::Code::kCancelled) {
    err << "cancelled\n";
    return 1;
  }
  if (ctx.format == "json") {
    err << query::JsonText(nlohmann::json{{"error", ErrorJson(s)}}, -1) << "\n";
  } else {
    err << "sinew: " << TerminalSafe(s.ToString()) << "\n";
  }
  return s.code() == Status::Code::kUsage ? 2 : 1;
}

}  // namespace

nlohmann::json ErrorJson(const Status& s) {
  const SourcePlace& place = s.place();
  nlohmann::json e = {{"message", s.message()}};
  e["file"] = place.file.empty() ? nlohmann::json() : nlohmann::json(place.file);
  e["line"] = place.line > 0 ? nlohmann::json(place.line) : nlohmann::json();
  e["column"] = place.column > 0 ? nlohmann::json(place.column) : nlohmann::json();
  if (!place.pointer.empty()) e["pointer"] = place.pointer;
  if (!s.more().empty()) e["more"] = s.more();
  return e;
}

int Dispatch(const std::vector<std::string>& args, const Context& defaults, std::ostream& out,
             std::ostream& err, Status* outcome) {
  Status ignored;
  Status& result = outcome ? *outcome : ignored;
  result = Status::Ok();
  Parse p;
  p.inv.ctx = defaults;
  // First the bare table (commands without their options) to find which
  // command this is, then the table with that command's options.
  const std::string kBare = " ";
  auto app = BuildApp(&p, kBare);
  std::string command;
  // Name an unknown command plainly rather than as a missing one.
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // A top-level option that takes a value: skip the value too.
    const CLI::Option* opt = a.rfind("--", 0) == 0 ? app->get_option_no_throw(a) : nullptr;
    if ((opt && opt->get_type_size() != 0 && a.find('=') == std::string::npos) || a == "--format") {
      ++i;
      continue;
    }
    if (a.rfind("-", 0) == 0) continue;
    if (!FindCommand(a)) {
      err << "sinew: unknown command '" << a << "' (see sinew --help)\n";
      return 2;
    }
    command = a;
    break;
  }
  app = BuildApp(&p, command);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app->parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app->help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    out << app->help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion& v) {
    out << v.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    // A subcommand's own --help arrives here too.
    if (e.get_exit_code() == 0) {
      for (auto* sub : app->get_subcommands())
        if (sub->parsed()) out << sub->help();
      return 0;
    }
    err << "sinew: " << e.what() << " (see sinew --help)\n";
    result = Status::Usage(e.what());
    return 2;
  }
  if (!p.bad_value.ok()) {
    result = p.bad_value;
    return Report(p.inv.ctx, result, err);
  }
  if (!p.chosen) {
    result = Status::Usage("no command");
    return 2;
  }
  // Text answers reach a terminal: whatever a source put in a quote or a
  // title, control characters are shown escaped, never sent as they are
  // (JSON escapes its own; pictures and files are written untouched).
  const std::string& f = p.inv.ctx.format;
  bool text = (f == "table" || f == "csv" || f == "dot") && p.chosen->name != "dump" &&
              p.chosen->name != "shell" && p.chosen->name != "serve";
  if (text) {
    std::ostringstream answer;
    result = Execute(*p.chosen, p.inv, answer);
    out << TerminalSafe(answer.str());
  } else {
    result = Execute(*p.chosen, p.inv, out);
  }
  return Report(p.inv.ctx, result, err);
}

std::vector<std::pair<std::string, std::string>> CommandList() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Command& c : Commands()) out.emplace_back(c.name, c.help);
  return out;
}

std::vector<std::string> OptionsOf(const std::string& command) {
  std::vector<std::string> out;
  const Command* c = FindCommand(command);
  if (!c) return out;
  out.push_back("--help");
  for (const Param& p : c->params)
    if (p.kind != Param::Kind::kPositional) out.push_back("--" + p.name);
  return out;
}

std::string HelpOf(const std::string& command) {
  if (!FindCommand(command)) return "";
  Parse p;
  auto app = BuildApp(&p, command);
  return app->get_subcommand(command)->help();
}

}  // namespace sinew::cli
