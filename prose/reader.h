// Private to prose/: the reader's state and the steps each sentence goes
// through, defined over reader.cc (sentence and note), names.cc (names,
// references), verbs.cc (noun phrases, lists, verbs and their roles),
// claims.cc (verb, noun and role frames to links) and groups.cc (groups,
// places, institutions and measures).
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "prose/prose.h"

namespace sinew::prose {

// A mention of something that can be an argument: a name, a nationality
// adjective, a pronoun or definite description resolved to what it refers
// to, the two parties of the note, or a group ("two Chinese parties").
struct Item {
  size_t first = 0, last = 0;      // tokens of the mention itself
  size_t np_first = 0;             // where its noun phrase starts (determiners, adjectives)
  std::vector<std::string> slugs;  // one; two for "both countries"
  std::string type;                // node type (of the first)
  std::string surface;
  enum Kind { kName, kDemonym, kReference, kPair, kGroup } kind = kName;
  bool possessive = false;   // "China's"
  bool adjectival = false;   // a nationality adjective on a noun ("Chinese banks"): not the state
  bool hyphen_next = false;  // "Russia-China", "China-based": joined to the next word by '-'
  std::string governed_by;   // the preposition before its noun phrase, if any
  int list = -1;             // the coordinated list it belongs to
};

// A run of items joined by commas, "and", "or", "as well as".
struct List {
  std::vector<size_t> items;
  size_t first = 0, last = 0;  // tokens
  std::string governed_by;
};

struct Predicate {
  size_t verb = 0;         // the verb token
  size_t group_first = 0;  // first token of its verb group (auxiliaries, modals, "not")
  const std::vector<Frame>* frames = nullptr;
  std::string lemma;
  bool passive = false, negated = false, participle = false, gerund = false, relative = false;
  bool infinitive = false;
  std::string modality = "observed";
};

inline bool IsNumber(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == '.';
  });
}

inline bool GapHas(const std::string& gap, const char* chars) {
  return gap.find_first_of(chars) != std::string::npos;
}

// Only spaces and line breaks (a name or noun phrase can run over a line end).
inline bool Space(const std::string& gap) {
  return !gap.empty() && gap.find_first_not_of(" \n\r\t") == std::string::npos;
}

inline bool DashGap(const std::string& gap) {
  return gap == "-" || gap == "\xE2\x80\x93" || gap == "\xE2\x80\x94";  // - – —
}

inline std::string Possessiveless(std::string s) {
  for (const char* poss : {"'s", "\xE2\x80\x99s", "'", "\xE2\x80\x99"}) {
    std::string p = poss;
    if (s.size() > p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0) {
      s.resize(s.size() - p.size());
      break;
    }
  }
  return s;
}

inline bool EndsPossessive(const std::string& raw) { return Possessiveless(raw) != raw; }

struct ProseReader::Impl {
  const StoreView& view;
  const ExtractionRules& r;
  NameCache names_seen;  // every form looked up in this note (both passes)
  std::vector<ProseNode> nodes;
  std::map<std::string, size_t> node_index;
  std::vector<std::string> last_mentions;

  // Discourse: what was mentioned lately, most recent last.
  struct Recent {
    std::string slug, type, name;
    int sentence = 0;
    bool subject = false;
    bool group = false;
  };
  std::vector<Recent> recent;
  std::vector<std::string> pair;  // the two parties of a bilateral note
  std::string section;
  int paragraph = -1, sentence_no = 0;

  // Per sentence.
  std::string text;
  std::vector<Token> t;
  std::vector<Item> items;
  std::vector<List> lists;
  std::vector<int> item_at;  // token -> item index (-1)
  std::vector<Predicate> preds;
  std::vector<ProseClaim> claims;

  Impl(const StoreView& v, const ExtractionRules& rules);
  int debug_ = 0;  // SINEW_PROSE_DEBUG: 1 items, predicates and claims; 2 also tokens

  // SINEW_PROSE_DEBUG=1: what the reader saw in each sentence, on stderr.
  void Dump();

  const Schema& schema() const { return view.schema(); }

  // ---- nodes ----
  std::map<std::string, std::string> group_types_;  // groups of this sentence, not yet nodes
  std::string TypeOf(const std::string& slug);
  std::string NameOf(const std::string& slug);
  void Known(const NodeRecord& n);
  // A proposed node; returns its slug (an existing one with the same slug wins).
  std::string Propose(const std::string& written, const std::string& type, const std::string& why);

  bool IsVerbWord(size_t i) const;
  // Whether a base or -s form is used as a verb here: after a subject, a
  // modal, "to", a pronoun or a relative; "export controls", "maintains
  // sanctions on", "U.S. sanctions on" are nouns.
  bool FiniteOrGoverned(size_t i, const std::string& w, const std::string& lemma) const;

  bool IsFunctionWord(const std::string& w) const;

  // ---- mentions ----
  void AddItem(Item it);
  // A proposed (or known) node named by tokens first..last, as an item.
  void AddProposed(size_t first, size_t last, const std::string& slug, const std::string& name);

  std::string Surface(size_t a, size_t b) const;

  Status FindNames();
  // A named instrument that holds known names ("Russia Critical Items
  // Determination", "Keep Huawei on the Entity List Act"): one proposed
  // policy, added before the names inside it.
  void InstrumentNames(const std::vector<Mention>& linked);
  struct NamedIn {  // a company an instrument's name names: the instrument targets it
    std::string instrument, instrument_surface, party, party_surface;
  };
  std::vector<NamedIn> named_in_;

  // A Russian word without its case ending ("России" and "Россия" both
  // give "росси"), for matching inflected names.
  static std::string RuStem(const std::string& w);

  // Russian names inflect: "России", "Китайской Народной Республики",
  // "Ли Кэцяном". Spans of up to four capitalised words are matched word by
  // word on their stems against the names the store knows.
  Status LinkRussian(size_t i);

  // "United States Government", "Russian Government": the state itself.
  void ExtendWithHeads();

  void FindDemonyms();

  // Capitalised names the store does not know: proposed nodes. A title
  // before a name is not part of it ("Commerce Secretary Wilbur Ross" is
  // Wilbur Ross); a title alone is no one.
  void FindNewNames();

  // Pronouns, "the company", "the Department", "the two countries": what
  // they refer to, from what the paragraph mentioned last.
  void FindReferences();

  std::string Resolve(const std::string& want_spec);

  // Where each item's noun phrase starts and which preposition governs it.
  void NounPhrases();

  // Parenthetical aliases: "Bureau of Industry and Security (BIS)" is one
  // mention; a proposed acronym in brackets after a known name is dropped.
  void MergeParentheticals();

  // Coordinated items: "Kazakhstan, the Kyrgyz Republic, and Uzbekistan".
  void Lists();

  // ---- verbs ----
  void Predicates();

  // The list filling a role of predicate p.
  struct Roles {
    std::map<std::string, int> role;  // role -> list index
    std::string object_head;          // the noun right after the verb when no name is there
    // The nameless object's words and those of an "in"/"of" phrase after it
    // ("$2.5 million in civil penalties"): what a frame's object_heads may name.
    std::set<std::string> object_words;
  };

  bool ClauseBoundary(size_t x) const;

  std::vector<char> is_pred_;  // token -> whether a predicate's verb
  bool IsPredicateAt(size_t x) const { return x < is_pred_.size() && is_pred_[x]; }

  int SubjectOf(const Predicate& p, size_t pi);

  int FindSubject(const Predicate& p, size_t pi);

  Roles RolesOf(const Predicate& p);

  std::vector<int> subjects_;

  // Slugs of a list's members.
  std::vector<std::pair<std::string, std::string>> Members(int list);

  bool Fits(const std::string& relation, const std::string& src, const std::string& dst);

  void Emit(const std::string& relation, int src_list, int dst_list, bool negated,
            const std::string& modality, const std::string& domain, const std::string& basis,
            int strength = 2);

  void EmitOne(const std::string& relation, const std::string& s, const std::string& d,
               const std::string& ss, const std::string& ds, bool negated,
               const std::string& modality, const std::string& domain, const std::string& basis,
               int strength = 2);

  std::string DomainFor(const std::string& relation, const std::string& preferred);

  // The hedges of the clause around token `at` that are not in a verb
  // group: "reportedly", "if", "potential", "expected to". Computed once per
  // sentence (Hedges), so each question is constant time.
  std::vector<int> clause_of_;           // token -> clause number
  std::vector<std::string> clause_mod_;  // clause -> its modality
  void Hedges();
  std::string ClauseModality(size_t at);

  std::string Combine(const std::string& a, const std::string& b);

  void VerbClaims();

  // Relational nouns: "cooperation between A and B", "Russia-China ties",
  // "bilateral trade", "China's trade ties with Russia", "U.S. sanctions on
  // Russia".
  void NounClaims();

  // Role nouns: "Russia is a leading oil supplier to China", "China remains
  // Russia's leading trade partner", "CRAIC, a joint venture of UAC and
  // COMAC", "Huawei's subsidiaries".
  void RoleClaims();

  // "Chinese entities", "two Chinese parties": a demonym on a group noun is
  // a group of that state's; "entities in China" too. Groups become nodes
  // only when a claim needs them; their place comes with them.
  void Groups();
  struct PendingGroup {
    Item item;
    std::optional<Item> demonym, owner, target;  // folded into the group's noun phrase
    bool always = false;  // proposed even when no claim uses it (events, measures)
    int where = -1;       // an item: "in China", "on the Entity List"
    std::string where_prep, name;
  };
  std::vector<PendingGroup> pending_groups_;

  void AddGroups();
  struct GroupItem {
    size_t item;
    std::optional<Item> demonym, owner, target;
    bool always = false;
    int where;
    std::string where_prep, name;
  };
  std::vector<GroupItem> group_items_;

  void GroupClaims();

  // Organisations inside organisations: "the Commerce Department's Bureau
  // of Industry and Security", "its Bureau of ...", "the Office of Foreign
  // Assets Control in the Department of the Treasury".
  void StructureClaims();

  // "China-based", "Shenzhen-based": where the noun phrase's head is.
  void PlaceClaims();
  void ShareClaims();

  void Remember();

  // The two parties a note is about: "Russian-Chinese talks", "Russia–China".
  void LearnPair();

  Result<std::vector<ProseClaim>> Read(const Sentence& s);
};

}  // namespace sinew::prose
