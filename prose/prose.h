// Reading English and Russian prose (docs/ingest.md): a note's body split
// into sections, paragraphs and sentences; tokens; names the store knows
// linked; and the ProseReader, which reads each sentence's clauses into
// claims between known or proposed nodes. What the words mean is data, the
// ExtractionRules (ingest/ reads them from corpus/rules.json). Nothing here
// knows sources, batches or files: ingest/ turns what the reader found into
// proposed evidence.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace sinew::prose {

// How a verb, a relational noun or a role noun becomes a link: which
// arguments of the clause are its two ends. Roles are "subject", "object"
// (the first noun phrase after the verb), "object2" (a second one, as in
// "provides China strategic exports"), a preposition ("to", "from", "with",
// "on", ...), and for nouns "possessor" ("Russia's exports"), "modifier"
// ("U.S. sanctions", "Russian-Chinese cooperation"), "between" and "pair"
// (the two parties a note is about, for "bilateral trade").
struct Frame {
  std::string relation;                            // an edge type
  std::map<std::string, std::string> by_src_type;  // {"policy": "affects"}
  std::vector<std::string> src{"subject"}, dst{"object"};
  bool symmetric = false;  // coordinated parties link to each other
  // The object's head must be one of these ("impose sanctions on X").
  std::set<std::string> object_heads;
  std::string member_of;  // the role whose list the object joins ("add X to the Entity List")
  std::map<std::string, std::string> qualified;  // a modifier word that changes the relation
  std::string domain;                            // the link's domain when the sentence names none
};

struct RoleRule {  // "X is a supplier to Y", "Y's supplier X", "X, a subsidiary of Y"
  std::set<std::string> words;
  std::string relation;
  bool holder_is_src = true;                     // the one who holds the role is the link's source
  std::map<std::string, std::string> qualified;  // "trade partner" -> trades_with
  std::string domain;
};

// corpus/rules.json, parsed.
struct ExtractionRules {
  // Verbs by every form they take ("supply", "supplies", "supplied").
  std::map<std::string, std::vector<Frame>> verbs;
  std::map<std::string, std::string> verb_lemma;                     // form -> lemma, for the basis
  std::vector<std::pair<std::string, std::vector<Frame>>> verbs_ru;  // Russian stems
  std::map<std::string, std::vector<Frame>> nouns;                   // relational nouns
  std::vector<std::pair<std::string, std::vector<Frame>>> nouns_ru;
  std::vector<RoleRule> roles;
  std::map<std::string, size_t> role_index;  // word -> roles[i]
  std::set<std::string> determiners, prepositions, conjunctions, relatives, be, have, other_verbs,
      adverbs, copulas, titles, group_nouns, pair_phrases_single, hedge_verbs, negative_verbs,
      report_hedges, goods_heads, demonym_heads, articles, compound_tails, not_person_words,
      name_heads, event_heads, noun_modifiers, adjectival_suffixes, number_words, quantity_nouns,
      ability_nouns, policy_heads;
  // "X accounted for 18% of Y's trade": the verbs and the flows a share is of.
  std::set<std::string> share_verbs, share_flows;
  // "Russia-led": the participle after a hyphen that makes its name the leader.
  std::set<std::string> led_words;
  // "the countries of Central Asia—A, B—": the nouns whose region's dash-list is its members.
  std::set<std::string> region_members;
  // "Commerce Secretary X": department words, a title only before another title.
  std::set<std::string> departments;
  // Lower-case words a new name may hold inside ("Bank of China").
  std::set<std::string> name_joins;
  // ... and a named instrument ("the Keep Huawei on the Entity List Act").
  std::set<std::string> instrument_joins;
  std::vector<std::vector<std::string>> quantifier_phrases;  // "more than", "at least"
  std::map<std::string, std::string> institution_heads;      // "military" -> organisation
  std::vector<Frame> copula_frames;                          // "is on the Entity List"
  std::vector<std::vector<std::string>> pair_phrases;        // "the two countries", "both sides"
  std::vector<std::string> pair_stems_ru;       // "двусторонн", "обеих сторон"
  std::map<std::string, std::string> modals;    // "may" -> "hypothetical"
  std::map<std::string, std::string> demonyms;  // "chinese" -> "china"
  std::vector<std::pair<std::string, std::string>> demonyms_ru;  // stem -> node
  std::map<std::string, std::string> definite_types;  // "company" -> "company" ("the company")
  std::map<std::string, std::string> group_types;     // head noun -> node type of a group
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

// Whether most words of a line are capitalised, as in a headline.
bool IsTitleCase(std::string_view line);
// Sections, paragraphs and sentences of the body.
std::vector<Sentence> Segment(std::string_view text, size_t body_offset,
                              const ExtractionRules& rules);

struct Token {
  std::string raw, lower;
  size_t byte_start = 0, byte_end = 0;
  bool capitalised = false, acronym = false;
  bool cyrillic = false;
  std::string gap;  // the text between the previous token (or the start) and this one
};
std::vector<Token> Tokenize(std::string_view sentence);

struct Mention {
  size_t first = 0, last = 0;  // token indices, inclusive
  std::string surface;
  std::vector<NodeRecord> candidates;  // one = linked; several = ambiguous
};
// What the name index gave for each normalised form looked up so far, with
// the nodes' records: a note names the same things again and again, and a
// lookup is a seek (over a transaction's pending writes, a merged one).
// Valid while the view it was filled from is.
using NameCache = std::unordered_map<std::string, std::vector<NodeRecord>>;
// A cache that holds this many forms starts over (a huge note of distinct
// words would otherwise keep every miss).
constexpr size_t kMaxCachedNames = 65536;
// Links names in a sentence against the store's name index, longest first.
Result<std::vector<Mention>> LinkNames(const StoreView& view, const std::vector<Token>& tokens,
                                       std::string_view sentence = {}, NameCache* cache = nullptr);

// Claims read from a note, sentence by sentence (claims.cc): what the
// extractor turns into proposed nodes and edges.
struct ProseNode {
  std::string slug, type, name;
  bool known = false;  // in the store already
  std::string why;     // for a proposed node: why this type
};
struct ProseClaim {
  std::string src, relation, dst;  // slugs
  bool negated = false;
  std::string modality = "observed";  // observed, assessed, projected, hypothetical
  std::string domain;
  std::string basis;
  std::string src_surface, dst_surface;  // as written (the claim's key hashes these)
  int strength_of_reading = 2;           // 2: the words say it; 3: inferred from structure
};

// Reads a whole note body: names, coreference within paragraphs, the two
// parties a bilateral note is about, and the claims of each sentence.
class ProseReader {
 public:
  ProseReader(const StoreView& view, const ExtractionRules& rules);
  ~ProseReader();
  // A first pass over the whole note: the two states it is mostly about,
  // for "bilateral", "both sides", "our countries".
  Status Prepare(const std::vector<Sentence>& sentences);
  // Claims of one sentence, in order; nodes it proposed are added to nodes().
  Result<std::vector<ProseClaim>> Read(const Sentence& s);
  const std::vector<ProseNode>& nodes() const;
  // Known or proposed nodes the sentence mentioned (for figures).
  const std::vector<std::string>& last_mentions() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Dates written in a sentence, as EDTF text, in order ("2018", "2019-06-20", "201X").
std::vector<std::string> DatesIn(const std::vector<Token>& tokens);

// `s` in ASCII lowercase.
std::string Lower(std::string s);
// `s` without leading and trailing white space.
std::string Trim(std::string_view s);
// A node id made from a name: ASCII lowercase words joined by '-'; a name
// with no Latin letters gets a stable "n" + hash id.
std::string Slugify(const std::string& name);

}  // namespace sinew::prose
