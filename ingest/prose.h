// Private to ingest/: reading briefing notes written as prose. A text note is
// split into sections, paragraphs and sentences; names the store knows are
// linked; relation cues between linked names become proposed claims, numbers
// with units proposed figures, unknown names proposed nodes (docs/ingest.md).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/common.h"
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
