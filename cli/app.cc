// The command table: every subcommand, its options and the function it runs.
// main() and the shell both parse through Dispatch(), so a command behaves
// the same typed at the prompt or on the command line.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"

namespace sinew::cli {
namespace {

// What one parse fills in; the command's callback picks its Run function.
struct Parsed {
  Context ctx;
  std::string schema_file, text, dir;
  int limit = 20;
  int show_limit = 0;
  IngestArgs ingest;
  ReviewArgs review;
  AnalysisArgs analysis;
  ExportArgs exp;
  QueryArgs query;
  ServeArgs serve;
  std::function<Status(std::ostream&)> run;
};

void AddClearance(CLI::App* cmd, Context* ctx) {
  cmd->add_option("--clearance", ctx->clearance,
                  "Show nothing marked above this TLP (clear, green, amber, amber+strict, red)");
  cmd->add_option("--known-at", ctx->known_at, "Only evidence recorded by this date");
}

void AddFilters(CLI::App* cmd, Context* ctx) {
  cmd->add_option("--domain", ctx->domains, "Only links in this domain (repeatable)");
  cmd->add_option("--as-of", ctx->as_of, "Only links valid at this date (2014, 2021-09)");
  cmd->add_option("--min-confidence", ctx->min_confidence, "Only links at least this confident");
  cmd->add_flag("--include-proposed", ctx->include_proposed, "Also links awaiting review");
  cmd->add_flag("--include-scenarios", ctx->include_scenarios,
                "Also projected and hypothetical links");
  AddClearance(cmd, ctx);
  cmd->add_option("--format", ctx->format, "table, json, csv, dot, svg or png");
  cmd->add_option("--output,-o", ctx->output, "Write the answer to this file");
}

bool Wanted(const std::string& only, const CLI::App* cmd) {
  return only.empty() || only == cmd->get_name();
}

// Builds the command table. Only the subcommand named `only` gets its
// options ("" builds them all): a fresh process parses one command, and
// building every option of every command cost about 2.5 million
// instructions, a tenth of a cold question.
std::unique_ptr<CLI::App> BuildApp(Parsed* p, const std::string& only = "") {
  auto app = std::make_unique<CLI::App>(
      "sinew: an embedded knowledge graph and evidence store for dependency analysis");
  app->require_subcommand(1);
  app->fallthrough();
  Context& ctx = p->ctx;
  app->add_option("--db", ctx.db, "Store directory (default $SINEW_DB, else ./sinew.db)");
  app->add_option("--analyst", ctx.analyst, "Who ingests and decides (default $SINEW_ANALYST)");
  app->add_option("--wait", ctx.wait,
                  "Seconds a writing command waits while another process writes (default 0: "
                  "say who holds the store and exit)")
      ->check(CLI::Range(0.0, 86400.0));
  auto on = [p](CLI::App* cmd, std::function<Status(std::ostream&)> fn) {
    cmd->callback([p, fn] { p->run = fn; });
  };
  AnalysisArgs& a = p->analysis;

  auto* init = app->add_subcommand("init", "Create a store");
  if (Wanted(only, init)) {
    init->add_option("--schema", p->schema_file, "Schema JSON (default: the bundled schema)");
    init->add_option("--format", ctx.format, "table or json");
    on(init, [p](std::ostream& o) { return RunInit(p->ctx, p->schema_file, o); });
  }

  auto* ing =
      app->add_subcommand("ingest", "Load notes, tables, STIX bundles, exports: one transaction");
  if (Wanted(only, ing)) {
    ing->add_option("paths", p->ingest.paths, "Note files or directories of notes")->required();
    ing->add_flag("--dry-run", p->ingest.dry_run, "Validate only; write nothing");
    ing->add_flag("--replace", p->ingest.replace,
                  "Let a note replace a source first ingested from another file (a revision)");
    ing->add_option("--mapping", p->ingest.mapping,
                    "How a .csv table (or STIX bundle) maps to the graph (JSON)");
    ing->add_option("--rules", p->ingest.rules,
                    "Extraction rules for text notes (default $SINEW_RULES, else bundled)");
    ing->add_option("--format", ctx.format, "table or json");
    on(ing, [p](std::ostream& o) { return RunIngest(p->ctx, p->ingest, o); });
  }

  auto* show = app->add_subcommand("show", "A node's card: aliases, links in and out, figures");
  if (Wanted(only, show)) {
    show->add_option("id", p->text, "Node id or name")->required();
    show->add_option("--limit", p->show_limit,
                     "At most this many links each way, strongest first (default 0: all)");
    AddFilters(show, &ctx);
    on(show, [p](std::ostream& o) { return RunShow(p->ctx, p->text, p->show_limit, o); });
  }

  auto* find = app->add_subcommand("find", "Nodes by name or alias, fuzzy");
  if (Wanted(only, find)) {
    find->add_option("text", p->text, "What to look for")->required();
    find->add_option("--limit", p->limit, "At most this many matches (default 20)");
    AddFilters(find, &ctx);
    on(find, [p](std::ostream& o) { return RunFind(p->ctx, p->text, p->limit, o); });
  }

  auto* deps = app->add_subcommand("deps", "What a node depends on (or who depends on it)");
  if (Wanted(only, deps)) {
    deps->add_option("id", a.a, "Node id or name")->required();
    deps->add_flag("--reverse,-r", a.reverse, "Who depends on it instead");
    deps->add_option("--depth", a.depth, "Levels of the tree (default 3)");
    deps->add_option("--via", ctx.via, "Edge types to follow (default depends_on; all)");
    AddFilters(deps, &ctx);
    on(deps, [p](std::ostream& o) { return RunDeps(p->ctx, p->analysis, o); });
  }

  auto* chains = app->add_subcommand("chains", "Dependency chains between two nodes, ranked");
  if (Wanted(only, chains)) {
    chains->add_option("from", a.a, "Start node")->required();
    chains->add_option("to", a.b, "End node")->required();
    chains->add_option("--max-depth", a.max_depth, "Longest chain in hops (default 4)");
    chains->add_option("--limit", a.limit, "Chains shown (default 10)");
    chains->add_option("--cap", a.cap, "Chains enumerated before stopping (default 100000)");
    chains->add_option("--via", ctx.via, "Edge types to follow (default depends_on; all)");
    chains->add_option("--rule", ctx.rule, "Chain score: product (default) or min");
    AddFilters(chains, &ctx);
    on(chains, [p](std::ostream& o) { return RunChains(p->ctx, p->analysis, o); });
  }

  auto* path = app->add_subcommand("path", "The strongest (or shortest) connection");
  if (Wanted(only, path)) {
    path->add_option("from", a.a, "Start node")->required();
    path->add_option("to", a.b, "End node")->required();
    path->add_option("--mode", a.mode, "strongest (default) or shortest");
    path->add_option("--via", ctx.via, "Edge types to follow (default depends_on; all)");
    AddFilters(path, &ctx);
    on(path, [p](std::ostream& o) { return RunPath(p->ctx, p->analysis, o); });
  }

  auto* impact = app->add_subcommand("impact", "Who is exposed if a node is cut, and how badly");
  if (Wanted(only, impact)) {
    impact->add_option("id", a.a, "The node cut or sanctioned")->required();
    impact->add_option("--limit", a.exposed,
                       "How many exposed nodes to show (default 50; 0 = all)");
    AddFilters(impact, &ctx);
    on(impact, [p](std::ostream& o) { return RunImpact(p->ctx, p->analysis, o); });
  }

  auto* critical = app->add_subcommand("critical", "Single points of failure");
  if (Wanted(only, critical)) {
    critical->add_option("id", a.a, "A consumer (omit for the whole graph's cut points)");
    critical->add_option("--via", ctx.via, "Edge types (whole graph: default all)");
    AddFilters(critical, &ctx);
    on(critical, [p](std::ostream& o) { return RunCritical(p->ctx, p->analysis, o); });
  }

  auto* subs = app->add_subcommand("substitutes", "Alternatives to a provider");
  if (Wanted(only, subs)) {
    subs->add_option("id", a.a, "The provider")->required();
    subs->add_option("--for", a.b, "The consumer who needs the alternative");
    AddFilters(subs, &ctx);
    on(subs, [p](std::ostream& o) { return RunSubstitutes(p->ctx, p->analysis, o); });
  }

  auto* asym = app->add_subcommand("asymmetry", "Mutual dependence compared, per domain");
  if (Wanted(only, asym)) {
    asym->add_option("a", a.a, "One side")->required();
    asym->add_option("b", a.b, "The other side")->required();
    AddFilters(asym, &ctx);
    on(asym, [p](std::ostream& o) { return RunAsymmetry(p->ctx, p->analysis, o); });
  }

  auto* ev = app->add_subcommand("evidence", "Every evidence record behind a link");
  if (Wanted(only, ev)) {
    ev->add_option("a", a.a, "A node, or an edge id like e12")->required();
    ev->add_option("b", a.b, "The other node");
    AddFilters(ev, &ctx);
    on(ev, [p](std::ostream& o) { return RunEvidence(p->ctx, p->analysis, o); });
  }

  auto* tl = app->add_subcommand("timeline", "Dated evidence and figures, in order");
  if (Wanted(only, tl)) {
    tl->add_option("id", a.a, "Node id or name")->required();
    tl->add_option("id2", a.b, "Only what links it to this node");
    AddFilters(tl, &ctx);
    on(tl, [p](std::ostream& o) { return RunTimeline(p->ctx, p->analysis, o); });
  }

  auto* exp = app->add_subcommand(
      "export", "The graph for other tools: graphml, dot, jsonl, csv, cypher, stix");
  if (Wanted(only, exp)) {
    exp->add_option("--around", p->exp.around, "Only the neighbourhood of this node");
    exp->add_option("--depth", p->exp.depth, "--around: how many links out (default 1)");
    exp->add_option("--chain", p->exp.chain, "Only the links of the ranked chains FROM TO")
        ->expected(2);
    exp->add_option("--max-depth", p->exp.max_depth, "--chain: longest chain (default 4)");
    exp->add_option("--limit", p->exp.limit, "--chain: how many chains (default 10)");
    AddFilters(exp, &ctx);
    on(exp, [p](std::ostream& o) { return RunExport(p->ctx, p->exp, o, std::cerr); });
  }

  auto* query = app->add_subcommand(
      "query", "An openCypher read query on the store (or a CREATE sketch with --scratch)");
  if (Wanted(only, query)) {
    query->add_option("cypher", p->query.text, "The query, in quotes")->required();
    query->add_option("--param", p->query.params,
                      "NAME=VALUE, VALUE a Cypher literal (repeatable)");
    query->add_flag("--scratch", p->query.scratch,
                    "Run on an empty in-memory graph (CREATE works there), not the store");
    query->add_option("--load", p->query.load,
                      "--scratch: run this Cypher script first (repeatable)");
    AddFilters(query, &ctx);
    on(query, [p](std::ostream& o) { return RunQuery(p->ctx, p->query, o); });
  }

  auto* serve = app->add_subcommand(
      "serve", "The web explorer and its JSON API on this machine (http://127.0.0.1:7474/)");
  if (Wanted(only, serve)) {
    serve->add_option("--port", p->serve.port, "Port (default 7474; 0 picks a free one)");
    serve->add_option("--bind", p->serve.bind,
                      "Address to listen on (default 127.0.0.1; anything else is reachable by "
                      "other machines)");
    serve->add_option("--static", p->serve.static_dir, "Serve the explorer from this directory");
    on(serve, [p](std::ostream& o) { return RunServe(p->ctx, p->serve, o); });
  }

  auto* rev = app->add_subcommand(
      "review", "The queue of proposed claims: list, show, accept, reject, edit, merge");
  if (Wanted(only, rev)) {
    rev->add_option("action", p->review.action, "list, show, accept, reject, edit or merge")
        ->required()
        ->check(CLI::IsMember({"list", "show", "accept", "reject", "edit", "merge"}));
    rev->add_option("ids", p->review.ids,
                    "Evidence ids (ev12 ...); for merge: the proposed node, then the existing one");
    rev->add_option("--source", p->review.source, "Only claims from this source (a note's id)");
    rev->add_option("--by", p->review.by, "list order: confidence (default) or note")
        ->check(CLI::IsMember({"confidence", "note"}));
    rev->add_option("--above", p->review.above,
                    "accept: every proposed claim at least this confident");
    rev->add_option("--type", p->review.type, "edit: another edge type");
    rev->add_flag("--reverse", p->review.reverse, "edit: swap the direction");
    rev->add_option("--domain", p->review.domain, "edit: another domain");
    rev->add_option("--modality", p->review.modality,
                    "edit: observed, assessed, projected, hypothetical");
    rev->add_option("--from", p->review.from, "edit: when it starts (none clears)");
    rev->add_option("--to", p->review.to, "edit: when it ends (none clears)");
    rev->add_option("--format", ctx.format, "table or json");
    AddClearance(rev, &ctx);
    on(rev, [p](std::ostream& o) { return RunReview(p->ctx, p->review, o); });
  }

  auto* shell = app->add_subcommand("shell", "Interactive: every command, with history");
  if (Wanted(only, shell)) {
    on(shell, [p](std::ostream&) {
      int rc = RunShell(p->ctx);
      return rc == 0 ? Status::Ok() : Status::Invalid("some commands failed");
    });
  }

  auto* stats = app->add_subcommand("stats", "Counts of what the store holds");
  if (Wanted(only, stats)) {
    stats->add_option("--format", ctx.format, "table or json");
    AddClearance(stats, &ctx);
    on(stats, [p](std::ostream& o) { return RunStats(p->ctx, o); });
  }

  auto* check = app->add_subcommand("check", "Verify every invariant of the store");
  if (Wanted(only, check)) {
    check->add_option("--format", ctx.format, "table or json");
    on(check, [p](std::ostream& o) { return RunCheck(p->ctx, o); });
  }

  auto* dump = app->add_subcommand("dump", "Every key and value, as text (for diffing stores)");
  if (Wanted(only, dump)) {
    on(dump, [p](std::ostream& o) { return RunDump(p->ctx, o); });
  }

  auto* backup = app->add_subcommand("backup", "Consistent copy of the store into DIR");
  if (Wanted(only, backup)) {
    backup->add_option("dir", p->dir, "Target directory (must not exist)")->required();
    on(backup, [p](std::ostream& o) { return RunBackup(p->ctx, p->dir, o); });
  }

  auto* restore = app->add_subcommand("restore", "Restore a backup DIR into the --db directory");
  if (Wanted(only, restore)) {
    restore->add_option("dir", p->dir, "Backup directory")->required();
    on(restore, [p](std::ostream& o) { return RunRestore(p->ctx, p->dir, o); });
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
    const SourcePlace& p = s.place();
    nlohmann::json e = {{"message", s.message()}};
    e["file"] = p.file.empty() ? nlohmann::json() : nlohmann::json(p.file);
    e["line"] = p.line > 0 ? nlohmann::json(p.line) : nlohmann::json();
    e["column"] = p.column > 0 ? nlohmann::json(p.column) : nlohmann::json();
    if (!p.pointer.empty()) e["pointer"] = p.pointer;
    if (!s.more().empty()) e["more"] = s.more();
    err << query::JsonText(nlohmann::json{{"error", e}}, -1) << "\n";
  } else {
    err << "sinew: " << s.ToString() << "\n";
  }
  return s.code() == Status::Code::kUsage ? 2 : 1;
}

}  // namespace

int Dispatch(const std::vector<std::string>& args, const Context& defaults, std::ostream& out,
             std::ostream& err, Status* outcome) {
  Status ignored;
  Status& result = outcome ? *outcome : ignored;
  result = Status::Ok();
  Parsed p;
  p.ctx = defaults;
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
    bool known = false;
    for (const auto* sub : app->get_subcommands([](CLI::App*) { return true; }))
      known = known || sub->get_name() == a;
    if (!known) {
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
  if (!p.run) {
    result = Status::Usage("no command");
    return 2;
  }
  result = p.run(out);
  return Report(p.ctx, result, err);
}

std::vector<std::pair<std::string, std::string>> CommandList() {
  Parsed p;
  auto app = BuildApp(&p);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto* sub : app->get_subcommands([](CLI::App*) { return true; }))
    out.emplace_back(sub->get_name(), sub->get_description());
  return out;
}

std::vector<std::string> OptionsOf(const std::string& command) {
  Parsed p;
  auto app = BuildApp(&p);
  std::vector<std::string> out;
  CLI::App* sub = nullptr;
  try {
    sub = app->get_subcommand(command);
  } catch (const CLI::OptionNotFound&) {
    return out;
  }
  for (const auto* opt : sub->get_options())
    for (const auto& name : opt->get_lnames()) out.push_back("--" + name);
  return out;
}

std::string HelpOf(const std::string& command) {
  Parsed p;
  auto app = BuildApp(&p);
  try {
    return app->get_subcommand(command)->help();
  } catch (const CLI::OptionNotFound&) {
    return "";
  }
}

}  // namespace sinew::cli
