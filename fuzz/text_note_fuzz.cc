// The text-note reader (front matter, sentences, name linking, extraction
// rules) against the corpus's names, then the store's checks.
#include <cstddef>
#include <cstdint>

#include "cli/commands.h"
#include "fuzz/scratch.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto& s = sinew::fuzz::TheScratch();
  sinew::Result<sinew::Batch> b = sinew::ingest::ReadTextNote(
      bytes, "fuzz.md", *s.view, sinew::cli::kBundledRules, "rules.json");
  if (b.ok()) sinew::fuzz::DryRun(b.value());
  return 0;
}
