// The CSV table reader under each shipped mapping (rows mode, summed and
// counted, one without a header; matrix mode with header rows): the last
// byte picks the mapping, the rest is the table (so real tables serve as
// seeds with their header intact).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/scratch.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> mappings = {
      sinew::fuzz::SourceFile("bench/mapping.json"),
      sinew::fuzz::SourceFile("corpus/mappings/bp-2021-gas-pipeline.json"),
      sinew::fuzz::SourceFile("corpus/mappings/bp-2021-gas-lng.json"),
      sinew::fuzz::SourceFile("tests/data/gas-flows-rows.mapping.json"),
      sinew::fuzz::SourceFile("tests/data/deals-rows.mapping.json"),
      sinew::fuzz::SourceFile("corpus/mappings/ofac-sdn-russia-vessels.json"),
  };
  if (size == 0) return 0;
  auto& s = sinew::fuzz::TheScratch();
  const std::string& mapping = mappings[data[size - 1] % mappings.size()];
  std::string_view bytes(reinterpret_cast<const char*>(data), size - 1);
  sinew::Result<sinew::Batch> b =
      sinew::ingest::ReadCsvTable(bytes, "fuzz.csv", mapping, "mapping.json", *s.view);
  if (b.ok()) sinew::fuzz::DryRun(b.value());
  return 0;
}
