// The structured JSON note reader, strict and lenient, then the store's checks.
#include <cstddef>
#include <cstdint>

#include "fuzz/scratch.h"
#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sinew::fuzz::TheScratch();
  sinew::Result<sinew::Batch> strict = sinew::ingest::ReadJsonNote(bytes, "fuzz.json");
  sinew::ingest::NoteReading lenient = sinew::ingest::ReadJsonNoteLeniently(bytes, "fuzz.json");
  if (strict.ok()) sinew::fuzz::DryRun(strict.value());
  if (lenient.checkable) sinew::fuzz::DryRun(lenient.batch);
  return 0;
}
