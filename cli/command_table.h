// The command table: every subcommand as a row of data (its parameters, what
// it opens, the function that runs it). The command line (CLI11), the
// shell's help and completion, and the JSON API of `sinew serve` are all
// built from it, so a command means the same wherever it is asked. Private
// to cli/.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "query/export.h"
#include "query/query.h"
#include "query/render.h"
#include "store/store.h"

namespace sinew::cli {

// Everything one command line or API request can say; each command reads
// its own part.
struct Invocation {
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
};

// What a command opens before it runs.
enum class Needs {
  kNothing,  // no store, or one it manages itself (init, restore, shell, serve)
  kStore,    // the store as it is, read-only and unfiltered (check, dump, backup)
  kAsker,    // a snapshot as the asker may see it: clearance, dates and filters applied
  kWriter,   // takes the single-writer lock itself, once its input has been read
};

// A snapshot as one asker sees it (query::SeenBy), and their question's
// settings (filter, chain rule, edge types, cancel flag, the session's
// projections).
struct Asker {
  std::shared_ptr<Store> store;
  std::shared_ptr<query::ProjectionCache> projections;  // the session's, for this store
  std::unique_ptr<StoreView> view;
  query::Question q;
};
// The one way every question opens the store: the session's reader or a new
// one, a snapshot, the filter from `ctx` (a usage error names the option
// that does not parse) and the view as the asker may see it.
Result<Asker> OpenAsker(const Context& ctx);

// What Dispatch opened for a command, by its Needs.
struct Call {
  Invocation& inv;
  std::shared_ptr<Store> store;  // kStore
  Asker* asker = nullptr;        // kAsker
  const Context& ctx() const { return inv.ctx; }
};

// One parameter. The command line spells it `--name` (or as a positional
// word); the API takes it as `?api=value`. Values are only ever stored by
// `set`, which parses and checks them: no value is read as an option.
struct Param {
  enum class Kind { kPositional, kOption, kFlag };
  Kind kind = Kind::kOption;
  std::string name;   // "limit", "include-proposed"; a positional's help name
  std::string alias;  // "-o", "-r"
  std::string api;    // the API's name for it; "" = the API never takes it
  std::string help;
  std::string type_name;  // shown in help: TEXT, INT, NUMBER, DATE
  bool required = false;
  int values = 1;  // 1, 2 (exactly two), or -1 (any number, repeatable)
  std::function<Status(Invocation&, const std::vector<std::string>&)> set;
};

struct Command {
  std::string name, help;
  Needs needs = Needs::kNothing;
  bool api = false;  // answered by GET /api/NAME (only commands that read)
  std::vector<Param> params;
  Status (*run)(Call&, std::ostream&) = nullptr;
  // Settings a command changes after its parameters are read and before the
  // store is opened (export: TLP:GREEN unless told otherwise).
  void (*adjust)(Invocation&) = nullptr;
  // The --format values it answers in, checked before anything is opened;
  // empty = it checks for itself.
  std::vector<std::string> formats = {};
  // It shows the record rather than analysing it: by default every link
  // that ever held, not only those valid today (Context::history).
  bool history = false;
};

// Every command, in the order help lists them.
const std::vector<Command>& Commands();
const Command* FindCommand(const std::string& name);

// Opens what `command` needs and runs it with the parameters already set.
Status Execute(const Command& command, Invocation& inv, std::ostream& out);

// Writes an answer to ctx.output when given (creating or replacing the
// file; "-" is standard output), else to `out`.
Status WriteAnswer(const Context& ctx, const std::string& text, std::ostream& out);
// The picture formats (--format dot, svg, png) of a set of edges and their
// end nodes, `highlight`ed ones drawn bold; svg and png through Graphviz.
Status WritePicture(const Context& ctx, const StoreView& view, const std::string& title,
                    const std::vector<const query::EdgeView*>& edges,
                    const std::vector<std::string>& highlight, std::ostream& out);
// A usage error unless ctx.format is one of `allowed`.
Status CheckFormat(const Context& ctx, std::initializer_list<const char*> allowed);

// ---- The commands, one function each, by family ----
// store_commands.cc
Status RunInit(Call& call, std::ostream& out);
Status RunStats(Call& call, std::ostream& out);
Status RunCheck(Call& call, std::ostream& out);
Status RunDump(Call& call, std::ostream& out);
Status RunBackup(Call& call, std::ostream& out);
Status RunRestore(Call& call, std::ostream& out);
// ingest_command.cc
Status RunIngest(Call& call, std::ostream& out);
// node_commands.cc
Status RunShow(Call& call, std::ostream& out);
Status RunFind(Call& call, std::ostream& out);
// analysis_commands.cc
Status RunDeps(Call& call, std::ostream& out);
Status RunChains(Call& call, std::ostream& out);
Status RunPath(Call& call, std::ostream& out);
Status RunImpact(Call& call, std::ostream& out);
Status RunCritical(Call& call, std::ostream& out);
Status RunSubstitutes(Call& call, std::ostream& out);
Status RunAsymmetry(Call& call, std::ostream& out);
Status RunEvidence(Call& call, std::ostream& out);
Status RunTimeline(Call& call, std::ostream& out);
Status RunConflicts(Call& call, std::ostream& out);
Status RunDiff(Call& call, std::ostream& out);
// export_command.cc
Status RunExport(Call& call, std::ostream& out);
// query_command.cc
Status RunQuery(Call& call, std::ostream& out);
// review_command.cc
Status RunReview(Call& call, std::ostream& out);
// serve_exec.cc
Status RunServe(Call& call, std::ostream& out);
// shell.cc
Status RunShellCommand(Call& call, std::ostream& out);
// help_commands.cc
Status RunCompletion(Call& call, std::ostream& out);
Status RunManual(Call& call, std::ostream& out);

}  // namespace sinew::cli
