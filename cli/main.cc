// sinew's entry point: registers the subcommands, parses the command line
// and maps a Status to an exit code (0 ok, 1 data or query failure, 2 usage).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace {

using sinew::Status;
using sinew::cli::Context;

int Report(const Context& ctx, const Status& s) {
  if (s.ok()) return 0;
  if (ctx.format == "json") {
    const sinew::SourcePlace& p = s.place();
    nlohmann::json err = {{"message", s.message()}};
    err["file"] = p.file.empty() ? nlohmann::json() : nlohmann::json(p.file);
    err["line"] = p.line > 0 ? nlohmann::json(p.line) : nlohmann::json();
    err["column"] = p.column > 0 ? nlohmann::json(p.column) : nlohmann::json();
    if (!p.pointer.empty()) err["pointer"] = p.pointer;
    if (!s.more().empty()) err["more"] = s.more();
    std::cerr << nlohmann::json{{"error", err}}.dump() << "\n";
  } else {
    std::cerr << "sinew: " << s.ToString() << "\n";
  }
  return s.code() == Status::Code::kUsage ? 2 : 1;
}

void AddFilters(CLI::App* cmd, Context* ctx) {
  cmd->add_option("--domain", ctx->domains, "Only links in this domain (repeatable)");
  cmd->add_option("--as-of", ctx->as_of, "Only links valid at this date (2014, 2021-09)");
  cmd->add_option("--min-confidence", ctx->min_confidence, "Only links at least this confident");
  cmd->add_flag("--include-proposed", ctx->include_proposed, "Also links awaiting review");
  cmd->add_flag("--include-scenarios", ctx->include_scenarios,
                "Also projected and hypothetical links");
  cmd->add_option("--clearance", ctx->clearance,
                  "Show nothing marked above this TLP (clear, green, amber, amber+strict, red)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sinew: an embedded knowledge graph and evidence store for dependency analysis"};
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  if (const char* db = std::getenv("SINEW_DB"); db && *db)
    ctx.db = db;
  else
    ctx.db = "sinew.db";
  if (const char* who = std::getenv("SINEW_ANALYST"); who && *who)
    ctx.analyst = who;
  else if (const char* user = std::getenv("USER"); user && *user)
    ctx.analyst = user;
  else
    ctx.analyst = "analyst";
  app.add_option("--db", ctx.db, "Store directory (default $SINEW_DB, else ./sinew.db)");
  app.add_option("--format", ctx.format, "Output: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--analyst", ctx.analyst, "Who ingests and decides (default $SINEW_ANALYST)");

  std::function<Status()> run;
  std::string schema_file, text, dir;
  int limit = 20;
  sinew::cli::IngestArgs ingest;
  sinew::cli::ReviewArgs review;

  auto* init = app.add_subcommand("init", "Create a store");
  init->add_option("--schema", schema_file,
                   "Schema JSON (default: the bundled corpus/schema.json)");
  init->callback([&] { run = [&] { return sinew::cli::RunInit(ctx, schema_file, std::cout); }; });

  auto* ing = app.add_subcommand("ingest", "Load notes: one transaction per file");
  ing->add_option("paths", ingest.paths, "Note files or directories of notes")->required();
  ing->add_flag("--dry-run", ingest.dry_run, "Validate only; write nothing");
  ing->callback([&] { run = [&] { return sinew::cli::RunIngest(ctx, ingest, std::cout); }; });

  auto* show = app.add_subcommand("show", "A node's card: aliases, links in and out, figures");
  show->add_option("id", text, "Node id or name")->required();
  AddFilters(show, &ctx);
  show->callback([&] { run = [&] { return sinew::cli::RunShow(ctx, text, std::cout); }; });

  auto* find = app.add_subcommand("find", "Nodes by name or alias, fuzzy");
  find->add_option("text", text, "What to look for")->required();
  find->add_option("--limit", limit, "At most this many matches (default 20)");
  AddFilters(find, &ctx);
  find->callback([&] { run = [&] { return sinew::cli::RunFind(ctx, text, limit, std::cout); }; });

  auto* rev = app.add_subcommand("review", "List, accept or reject proposed claims");
  rev->add_option("action", review.action, "list, accept or reject")
      ->required()
      ->check(CLI::IsMember({"list", "accept", "reject"}));
  rev->add_option("ids", review.ids, "Evidence ids (ev12 ...) for accept and reject");
  rev->add_option("--source", review.source, "Only claims from this source");
  rev->callback([&] { run = [&] { return sinew::cli::RunReview(ctx, review, std::cout); }; });

  auto* stats = app.add_subcommand("stats", "Counts of what the store holds");
  stats->callback([&] { run = [&] { return sinew::cli::RunStats(ctx, std::cout); }; });

  auto* check = app.add_subcommand("check", "Verify every invariant of the store");
  check->callback([&] { run = [&] { return sinew::cli::RunCheck(ctx, std::cout); }; });

  auto* dump = app.add_subcommand("dump", "Every key and value, as text (for diffing stores)");
  dump->callback([&] { run = [&] { return sinew::cli::RunDump(ctx, std::cout); }; });

  auto* backup = app.add_subcommand("backup", "Consistent copy of the store into DIR");
  backup->add_option("dir", dir, "Target directory (must not exist)")->required();
  backup->callback([&] { run = [&] { return sinew::cli::RunBackup(ctx, dir, std::cout); }; });

  auto* restore = app.add_subcommand("restore", "Restore a backup DIR into the --db directory");
  restore->add_option("dir", dir, "Backup directory")->required();
  restore->callback([&] { run = [&] { return sinew::cli::RunRestore(ctx, dir, std::cout); }; });

  // Name an unknown command plainly rather than as a missing one.
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" || a == "--format" || a == "--analyst") {
      ++i;
      continue;
    }
    if (a.rfind("-", 0) == 0) continue;
    bool known = false;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
      known = known || sub->get_name() == a;
    if (!known) {
      std::cerr << "sinew: unknown command '" << a << "' (see sinew --help)\n";
      return 2;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return Report(ctx, run());
}
