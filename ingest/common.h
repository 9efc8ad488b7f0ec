// Private to ingest/: what several readers share (the circle that once ran
// through read_file.cc): the source record as
// sinew's exports write it, JSON syntax errors with their place, and which
// of an export's sources are new.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "prose/prose.h"
#include "store/store.h"

namespace sinew::ingest {

// A source record as sinew's exports write it (JSON Lines source lines, STIX
// x_sinew_source): id, title, publisher, published, url, the kind under
// `kind_key`, reliability, authors, marking, props and text. Errors name the
// field.
Status SourceFromJson(const nlohmann::json& j, const char* kind_key, SourceRecord* s);

// A JSON syntax error in `text` (a mapping, rules, one line of an export) as
// an Invalid status at its line and column, in words without the library's
// tags: "<what>: syntax error while parsing value - unexpected end of input".
Status JsonSyntaxError(const nlohmann::json::exception& e, std::string_view text, SourcePlace place,
                       const std::string& what);

// The batches of an export's sources the store does not hold yet (first
// passes, then full ones): an export never replaces a source, which may hold
// more than the export let out (a selection, a clearance, rejected claims).
// What was kept as it is goes in the last batch's notes.
std::vector<Batch> KeepNewSources(std::vector<Batch> first, std::vector<Batch> full,
                                  const StoreView& view);

// The place (line, column in code points) of byte `byte` of `text`.
SourcePlace PlaceAt(std::string_view text, size_t byte, const std::string& file);
// Length of a valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i);
// Checks that `bytes` is text a note can be: UTF-8, no NUL bytes, no line
// longer than a mebibyte, not empty. Errors name the line and column.
Status CheckText(std::string_view bytes, const std::string& file);
// Text helpers the prose reader defines (prose/prose.h).
using prose::Lower;
using prose::Slugify;
using prose::Trim;

}  // namespace sinew::ingest
