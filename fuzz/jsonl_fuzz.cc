// The JSON Lines export reader (sinew-jsonl/1), then the store's checks.
#include <cstddef>
#include <cstdint>

#include "fuzz/scratch.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& s = sinew::fuzz::TheScratch();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto batches = sinew::ingest::ReadJsonLines(bytes, "fuzz.jsonl", *s.view);
  if (batches.ok())
    for (const auto& b : batches.value()) sinew::fuzz::DryRun(b);
  return 0;
}
