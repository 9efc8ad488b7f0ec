// Readers that turn a file into a Batch (store/records.h) without writing
// anything: the structured JSON note today; text notes, CSV with a mapping and
// STIX bundles as they land. Every error names the file, line, column and,
// for JSON, the pointer of the offending value.
#pragma once

#include <string>
#include <string_view>

#include "store/store.h"

namespace sinew::ingest {

// Reads the file at `path`, choosing the reader by its extension.
Result<Batch> ReadFile(const std::string& path);

// The structured note (docs/formats.md): one source and what it asserts.
// `file` is the name errors use.
Result<Batch> ReadJsonNote(std::string_view bytes, const std::string& file);

// Hex SHA-256 of `bytes`: a source's content hash.
std::string ContentHash(std::string_view bytes);

}  // namespace sinew::ingest
