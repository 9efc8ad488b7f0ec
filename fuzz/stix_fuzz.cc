// The STIX 2.1 reader with the bundled mapping, split by source or not
// (the last byte says which), then the store's checks.
#include <cstddef>
#include <cstdint>

#include "cli/commands.h"
#include "fuzz/scratch.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto& s = sinew::fuzz::TheScratch();
  bool split = (data[size - 1] & 1) != 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size - 1);
  (void)sinew::ingest::LooksLikeStix(bytes);
  auto batches = sinew::ingest::ReadStixSources(bytes, "fuzz.json", sinew::cli::kBundledStixMapping,
                                                "stix.json", *s.view, split);
  if (batches.ok())
    for (const auto& b : batches.value()) sinew::fuzz::DryRun(b);
  return 0;
}
