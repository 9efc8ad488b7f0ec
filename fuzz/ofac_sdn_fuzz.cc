// The OFAC SDN list reader (sdn.csv, or gzip when the bytes start with its
// magic) through the bundled mapping, as a first snapshot against the
// scratch store's corpus.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/scratch.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string mapping = sinew::fuzz::SourceFile("corpus/mappings/ofac-sdn.json");
  auto& s = sinew::fuzz::TheScratch();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sinew::Result<sinew::ingest::SdnReading> r = sinew::ingest::ReadOfacSdn(
      bytes, "sdn-2024-05-03.csv", "2024-05-03", mapping, "ofac-sdn.json", *s.view);
  if (r.ok()) sinew::fuzz::DryRun(r->batch);
  return 0;
}
