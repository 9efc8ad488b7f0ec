// openCypher text, as a power user types it: tokenized, parsed, checked and
// run, twice. First on a small scratch graph (CREATE allowed), then read-only
// on the corpus store as the shell would, so the store graph and the
// procedures are fuzzed too. The work of each query is capped, so an
// enumeration that is merely large fails with a ResourceError instead of
// counting as a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/scratch.h"
#include "query/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  sinew::query::ScratchGraph g;
  g.LimitWork(200000);
  (void)g.Run(
      "CREATE (a:A {name: 'a', n: 1})-[:T {w: 0.5}]->(b:B {name: 'b'}), (b)-[:T]->(a), "
      "(a)-[:U]->(:C)");
  (void)g.Run(text);
  sinew::query::Question q;
  (void)sinew::query::CypherOnStore(*sinew::fuzz::TheScratch().view, text, q, {}, 200000);
  return 0;
}
