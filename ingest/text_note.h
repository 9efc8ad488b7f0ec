// Private to ingest/: a prose note's front matter, the extraction rules
// read from their JSON, and the prose reader's names used unqualified.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "ingest/common.h"
#include "prose/prose.h"

namespace sinew::ingest {

using prose::DatesIn;
using prose::ExtractionRules;
using prose::Frame;
using prose::IsTitleCase;
using prose::LinkNames;
using prose::Mention;
using prose::ProseClaim;
using prose::ProseNode;
using prose::ProseReader;
using prose::RoleRule;
using prose::Segment;
using prose::Sentence;
using prose::Token;
using prose::Tokenize;

struct NoteHeader {
  std::map<std::string, std::string> fields;  // lowercase key -> value
  std::map<std::string, int> lines;           // key -> line number, for errors
  size_t body_offset = 0;                     // byte where the body starts
};

// The `---` front-matter block or `KEY: value` header lines.
Result<NoteHeader> ReadHeader(std::string_view text, const std::string& file);

// The rules file (corpus/rules.json, format sinew-rules/2); errors name the
// file and the field.
Result<ExtractionRules> ParseRules(std::string_view text, const std::string& file);

}  // namespace sinew::ingest
