// Private to ingest/: reading briefing notes written as prose. A text note is
// split into sections, paragraphs and sentences; names the store knows are
// linked; relation cues between linked names become proposed claims, numbers
// with units proposed figures, unknown names proposed nodes (docs/ingest.md).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace sinew::ingest {

// corpus/rules.json, parsed.
struct RelationRule {
  std::string type;
  bool reverse = false, symmetric = false;
  std::vector<std::vector<std::string>> cues;  // each cue as lowercase words
};

struct ExtractionRules {
  std::vector<RelationRule> relations;
  std::vector<std::pair<std::string, std::set<std::string>>> domain_words;  // in order
  std::map<std::string, std::string> type_domains;
  std::string default_domain = "trade";
  std::vector<std::vector<std::string>> projected, hypothetical, assessment, negations;
  std::set<std::string> abbreviations;
  std::set<std::string> numbering_abbreviations;  // "No. 5": only before a number
  std::vector<std::pair<std::string, std::set<std::string>>> new_node_types;
  std::string default_new_node_type = "organisation";
  std::set<std::string> stop_capitalised;
  std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> units;
  std::map<std::string, double> scales;

  static Result<ExtractionRules> Parse(std::string_view text, const std::string& file);
};

// A span of the note's text; offsets count Unicode code points from the
// start of the stored text (bytes kept too, for slicing).
struct Sentence {
  std::string text;
  size_t byte_start = 0, byte_end = 0;
  int64_t start = 0, end = 0;
  std::string section;
  int paragraph = 0;
};

struct NoteHeader {
  std::map<std::string, std::string> fields;  // lowercase key -> value
  std::map<std::string, int> lines;           // key -> line number, for errors
  size_t body_offset = 0;                     // byte where the body starts
};

// A source record as sinew's exports write it (JSON Lines source lines, STIX
// x_sinew_source): id, title, publisher, published, url, the kind under
// `kind_key`, reliability, authors, marking, props and text. Errors name the
// field.
Status SourceFromJson(const nlohmann::json& j, const char* kind_key, SourceRecord* s);

// A JSON syntax error in `text` (a mapping, rules, one line of an export) as
// an Invalid status at its line and column, in words without the library's
// tags: "<what>: syntax error while parsing value - unexpected end of input".
Status JsonSyntaxError(const nlohmann::json::exception& e, std::string_view text,
                       SourcePlace place, const std::string& what);

// The batches of an export's sources the store does not hold yet (first
// passes, then full ones): an export never replaces a source, which may hold
// more than the export let out (a selection, a clearance, rejected claims).
// What was kept as it is goes in the last batch's notes.
std::vector<Batch> KeepNewSources(std::vector<Batch> first, std::vector<Batch> full,
                                  const StoreView& view);
// `s` without leading and trailing white space.
std::string Trim(std::string_view s);
// A node id made from a name: ASCII lowercase words joined by '-'; a name
// with no Latin letters gets a stable "n" + hash id.
std::string Slugify(const std::string& name);

// Checks that `bytes` is text a note can be: UTF-8, no NUL bytes, no line
// longer than a mebibyte, not empty. Errors name the line and column.
Status CheckText(std::string_view bytes, const std::string& file);
// The `---` front-matter block or `KEY: value` header lines.
Result<NoteHeader> ReadHeader(std::string_view text, const std::string& file);
// Sections, paragraphs and sentences of the body.
std::vector<Sentence> Segment(std::string_view text, size_t body_offset,
                              const ExtractionRules& rules);

struct Token {
  std::string raw, lower;
  size_t byte_start = 0, byte_end = 0;
  bool capitalised = false, acronym = false;
};
std::vector<Token> Tokenize(std::string_view sentence);

struct Mention {
  size_t first = 0, last = 0;  // token indices, inclusive
  std::string surface;
  std::vector<NodeRecord> candidates;  // one = linked; several = ambiguous
};
// Links names in a sentence against the store's name index, longest first.
Result<std::vector<Mention>> LinkNames(const StoreView& view, const std::vector<Token>& tokens,
                                       std::string_view sentence = {});

// Dates written in a sentence, as EDTF text, in order ("2018", "2019-06-20", "201X").
std::vector<std::string> DatesIn(const std::vector<Token>& tokens);

}  // namespace sinew::ingest
