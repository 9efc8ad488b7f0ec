// One function per subcommand: each opens the store, calls one public
// function of a module and prints the result. main.cc registers them; the
// shell runs the very same functions.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "store/status.h"

namespace sinew::cli {

// What every command shares: where the store is, how to print, which edges
// a question may see.
struct Context {
  std::string db;
  std::string format = "table";  // table | json
  std::vector<std::string> domains;
  std::string as_of, clearance;
  double min_confidence = 0;
  bool include_proposed = false, include_scenarios = false;
  std::string analyst;  // who makes decisions and ingests
};

struct IngestArgs {
  std::vector<std::string> paths;
  bool dry_run = false;
};

struct ReviewArgs {
  std::string action;  // list | accept | reject
  std::vector<std::string> ids;
  std::string source;
};

Status RunInit(const Context& ctx, const std::string& schema_file, std::ostream& out);
Status RunIngest(const Context& ctx, const IngestArgs& args, std::ostream& out);
Status RunShow(const Context& ctx, const std::string& id, std::ostream& out);
Status RunFind(const Context& ctx, const std::string& text, int limit, std::ostream& out);
Status RunStats(const Context& ctx, std::ostream& out);
Status RunCheck(const Context& ctx, std::ostream& out);
Status RunDump(const Context& ctx, std::ostream& out);
Status RunBackup(const Context& ctx, const std::string& dir, std::ostream& out);
Status RunRestore(const Context& ctx, const std::string& dir, std::ostream& out);
Status RunReview(const Context& ctx, const ReviewArgs& args, std::ostream& out);

// The schema bundled at build time (corpus/schema.json).
extern const char* const kBundledSchema;

// The time stamp decisions and ingests record: $SINEW_NOW if set, else now (UTC).
std::string NowIso();

}  // namespace sinew::cli
