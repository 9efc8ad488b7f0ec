// The query front end as an analyst types it: a shell line split into
// words, parsed as a command line (options, filters, dates, clearances,
// formats) and answered from the corpus. Only commands that read run, and
// nothing that writes files or starts Graphviz; depths stay small so a
// deliberately huge enumeration (which Ctrl-C stops in the shell) does not
// count as a hang. Cypher has a target of its own (cypher_fuzz.cc).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "fuzz/scratch.h"

namespace {

bool Allowed(const std::vector<std::string>& words) {
  static const std::set<std::string> kReaders = {"show",      "find",     "deps",     "chains",
                                                 "path",      "impact",   "critical", "substitutes",
                                                 "asymmetry", "evidence", "timeline", "stats"};
  if (words.empty() || !kReaders.count(words[0])) return false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("-o", 0) == 0 || w.rfind("--o", 0) == 0 || w.rfind("--ca", 0) == 0) return false;
    if (w.find("svg") != std::string::npos || w.find("png") != std::string::npos) return false;
    if (w.rfind("--d", 0) == 0 || w.rfind("--m", 0) == 0 || w.rfind("--l", 0) == 0) {
      // --depth, --max-depth, --limit: keep the numbers small.
      std::string v = w.find('=') != std::string::npos ? w.substr(w.find('=') + 1)
                      : i + 1 < words.size()           ? words[i + 1]
                                                       : "";
      if (v.size() > 1) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 512) return 0;
  // Never destroyed: a store closed during exit would outlive RocksDB's statics.
  static auto* session = new sinew::cli::SessionCache;
  auto& s = sinew::fuzz::TheScratch();
  std::string line(reinterpret_cast<const char*>(data), size);
  auto words = sinew::cli::SplitCommandLine(line);
  if (!words.ok() || !Allowed(words.value())) return 0;
  sinew::cli::Context ctx;
  ctx.db = s.dir;
  ctx.session = session;
  std::ostringstream out, err;
  (void)sinew::cli::Dispatch(words.value(), ctx, out, err);
  return 0;
}
