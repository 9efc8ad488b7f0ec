// The command line, the shell and the web server: one command table
// (command_table.h, private) that all three parse and run through, so a
// command behaves the same typed at the prompt, on the command line or asked
// over HTTP. Each command opens what its row says it needs, calls one public
// function of a module and prints the result.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "query/query.h"
#include "store/status.h"

namespace sinew::cli {

class SessionCache;

// What every command shares: where the store is, how to print, which edges
// a question may see.
struct Context {
  std::string db;
  std::string format = "table";  // table | json
  std::vector<std::string> domains;
  std::string as_of, clearance, known_at;
  double min_confidence = 0;
  bool include_proposed = false, include_scenarios = false;
  bool all_time = false;  // every link that ever held, not only those valid today
  // The command shows the record (cards, evidence, timelines, exports,
  // queries), not an analysis: its default is all time, not today.
  bool history = false;
  std::string analyst;                        // who makes decisions and ingests
  std::string rule = "product";               // chain scoring: product | min
  std::vector<std::string> via;               // edge types chains and paths follow
  std::string output;                         // write the answer to this file instead
  const std::atomic<bool>* cancel = nullptr;  // set by Ctrl-C in the shell
  double wait = 0;                  // seconds a writing command waits for another writer to finish
  SessionCache* session = nullptr;  // the shell's open store, kept between commands
  query::ScratchGraph* scratch = nullptr;  // the shell's scratch graph, when it sketches
  // The program's own arguments when it runs as `sinew ...` (main sets them);
  // `serve` hands them on to the sinew-serve program.
  std::vector<std::string> command_line;
};

// What a long-lived session (the shell, the web server) keeps between
// commands: the store open read-only and the projections built from it.
// Both are replaced when the store's files change, so each command sees
// every write committed before it started, from one snapshot. Safe to use
// from several threads at once (the server answers requests in parallel).
class SessionCache {
 public:
  struct Opened {
    std::shared_ptr<Store> store;
    // Projections of this store instance only: a question still reading an
    // older instance files what it builds there, never beside newer data.
    std::shared_ptr<query::ProjectionCache> projections;
  };
  Result<Opened> Open(const std::string& db);
  Result<std::shared_ptr<Store>> Reader(const std::string& db);
  // Goes up each time the store is (re)opened.
  uint64_t generation() const;

 private:
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  std::string db_;
  Opened opened_;
};

// The question settings of `ctx` (domains, dates, confidence, clearance) as
// a filter; a usage error names the option that does not parse.
Result<graph::EdgeFilter> FilterOf(const Context& ctx, const Schema& schema);

// A rules, mapping or script file, read as notes are (so a pipe or a
// directory is refused by name rather than read forever); `what` names it
// in the error.
Result<std::string> ReadSettingsFile(const std::string& path, const std::string& what);

// The store for reading: the session's when there is one, else opened now.
Result<std::shared_ptr<Store>> OpenReader(const Context& ctx);
// The store for writing, taking the single-writer lock; waits ctx.wait
// seconds for another writer, then says who holds it.
Result<std::unique_ptr<Store>> OpenWriter(const Context& ctx);

struct ServeArgs {
  int port = 7474;
  std::string bind = "127.0.0.1";  // another address only when asked, with a warning
  std::string static_dir;          // the explorer's files (default: installed beside sinew)
  int timeout = 10;                // seconds one API request may take
};

struct QueryArgs {
  std::string text;                 // the Cypher query
  std::vector<std::string> params;  // NAME=VALUE, VALUE a Cypher literal
  bool scratch = false;             // an empty in-memory graph instead of the store
  std::vector<std::string> load;    // Cypher scripts run on the scratch graph first
};

struct AnalysisArgs {
  std::string a, b;                // the node(s) asked about
  bool reverse = false;            // deps: who depends on A
  int depth = 3;                   // deps
  int max_depth = 4;               // chains
  int limit = 10;                  // chains
  int exposed = 50;                // impact: how many exposed nodes to show (0 = all)
  long cap = 100000;               // chains enumerated before truncating
  std::string mode = "strongest";  // path
};

struct IngestArgs {
  std::vector<std::string> paths;
  bool dry_run = false;
  bool replace = false;  // a source may replace one ingested from another file
  std::string rules;     // extraction rules for text notes; default $SINEW_RULES, else bundled
  std::string mapping;   // how a .csv table maps to nodes, edges and observations
  std::string list;      // a sanctions list read as such: "ofac-sdn"
  std::string snapshot;  // the list's date (YYYY-MM-DD)
};

struct ReviewArgs {
  std::string action;  // list | show | accept | reject | edit | merge
  std::vector<std::string> ids;
  std::string source;
  std::string by = "confidence";                 // list order: confidence | note
  double above = -1;                             // accept/reject everything this confident
  std::string kind;                              // edge | node | mention | figure
  std::string type, domain, modality, from, to;  // edit
  std::string name;                              // edit of a proposed node
  bool reverse = false;                          // edit
};

// Serves the JSON API and the explorer until SIGINT or SIGTERM: the handler
// the sinew-serve program registers (the only program that links the HTTP
// library, serve.cc); sinew itself runs sinew-serve, installed beside it,
// with ctx.command_line (serve_exec.cc).
using ServeHandler = Status (*)(const Context&, const ServeArgs&, std::ostream&);
void SetServeHandler(ServeHandler handler);
// serve.cc: the server itself.
Status ServeHttp(const Context& ctx, const ServeArgs& args, std::ostream& out);

// What part of the graph an export takes: all of it, a neighbourhood, or
// the links of the ranked chains between two nodes.
struct ExportArgs {
  std::string around;
  int depth = 1;
  std::vector<std::string> chain;  // FROM TO
  int max_depth = 4, limit = 10;
  std::string dialect = "neo4j";  // --format cypher: neo4j | memgraph | kuzu
};

// A failed command's error as the JSON the CLI prints with --format json
// and the API answers: {"message","file","line","column"[,"pointer","more"]}.
nlohmann::json ErrorJson(const Status& s);

// Parses `args` (without the program name) as a sinew command line on top of
// `defaults` and runs it; returns the exit code (0, 1 data/query, 2 usage)
// after printing any error to `err`, and the command's Status in `outcome`
// when given. The shell, main and the web server share it.
int Dispatch(const std::vector<std::string>& args, const Context& defaults, std::ostream& out,
             std::ostream& err, Status* outcome = nullptr);

// The command names and their one-line help, in table order.
std::vector<std::pair<std::string, std::string>> CommandList();
// The options a command takes (for completion and help).
std::vector<std::string> OptionsOf(const std::string& command);
// Full help text for one command ("" when there is no such command).
std::string HelpOf(const std::string& command);

// Splits a shell line into words; "quoted words" keep their spaces.
Result<std::vector<std::string>> SplitCommandLine(const std::string& line);

// The interactive shell (or a script on standard input).
int RunShell(const Context& defaults);

// The schema bundled at build time (corpus/schema.json).
extern const char* const kBundledSchema;
// The extraction rules bundled at build time (corpus/rules.json).
extern const char* const kBundledRules;
// corpus/mappings/stix.json, compiled in: how STIX objects become nodes and edges.
extern const char* const kBundledStixMapping;
// corpus/mappings/ofac-sdn.json, compiled in: how the OFAC SDN list maps.
extern const char* const kBundledOfacMapping;

// The time stamp decisions and ingests record: $SINEW_NOW if set, else now (UTC).
std::string NowIso();

}  // namespace sinew::cli
