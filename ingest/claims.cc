// Reading claims out of prose by clause structure (docs/ingest.md): the
// names of a sentence (linked, proposed, nationality adjectives, pronouns
// and definite descriptions resolved within the paragraph, the two parties
// of a bilateral note), the noun phrases they head, coordinated lists, and
// for each verb its voice, negation, modality, subject and objects; verb,
// noun and role frames from corpus/rules.json turn those into links.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "ingest/prose.h"

namespace sinew::ingest {
namespace {

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

bool IsNumber(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == '.';
  });
}

bool GapHas(const std::string& gap, const char* chars) {
  return gap.find_first_of(chars) != std::string::npos;
}

// Only spaces and line breaks (a name or noun phrase can run over a line end).
bool Space(const std::string& gap) {
  return !gap.empty() && gap.find_first_not_of(" \n\r\t") == std::string::npos;
}

bool DashGap(const std::string& gap) {
  return gap == "-" || gap == "\xE2\x80\x93" || gap == "\xE2\x80\x94";  // - – —
}

std::string Possessiveless(std::string s) {
  for (const char* poss : {"'s", "\xE2\x80\x99s", "'", "\xE2\x80\x99"}) {
    std::string p = poss;
    if (s.size() > p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0) {
      s.resize(s.size() - p.size());
      break;
    }
  }
  return s;
}

bool EndsPossessive(const std::string& raw) { return Possessiveless(raw) != raw; }

}  // namespace

struct ProseReader::Impl {
  const StoreView& view;
  const ExtractionRules& r;
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

  Impl(const StoreView& v, const ExtractionRules& rules) : view(v), r(rules) {
    const char* d = std::getenv("SINEW_PROSE_DEBUG");
    debug_ = d && *d;
  }
  bool debug_ = false;

  // SINEW_PROSE_DEBUG=1: what the reader saw in each sentence, on stderr.
  void Dump() {
    std::string out = "\n# " + text.substr(0, 160) + "\n  items:";
    for (size_t k = 0; k < items.size(); ++k) {
      const Item& it = items[k];
      out += " [" + std::to_string(k) + " " + it.surface + " =" + it.slugs[0] +
             (it.slugs.size() > 1 ? "+" + it.slugs[1] : "") + " " + it.type +
             (it.adjectival ? " adj" : "") + (it.possessive ? " poss" : "") +
             (it.governed_by.empty() ? "" : " <" + it.governed_by) + " L" +
             std::to_string(it.list) + "]";
    }
    out += "\n  preds:";
    for (size_t k = 0; k < preds.size(); ++k) {
      const Predicate& p = preds[k];
      out += " [" + t[p.verb].raw + (p.passive ? " pass" : "") + (p.negated ? " neg" : "") +
             (p.relative ? " rel" : "") + (p.participle ? " part" : "") + " " + p.modality +
             " subj=L" + std::to_string(k < subjects_.size() ? subjects_[k] : -9) + "]";
    }
    out += "\n  claims:";
    for (const auto& c : claims)
      out += " {" + c.src + " " + c.relation + " " + c.dst + (c.negated ? " NEG" : "") + " " +
             c.modality + " | " + c.basis + "}";
    fprintf(stderr, "%s\n", out.c_str());
  }

  const Schema& schema() const { return view.schema(); }

  // ---- nodes ----
  std::map<std::string, std::string> group_types_;  // groups of this sentence, not yet nodes
  std::string TypeOf(const std::string& slug) {
    auto it = node_index.find(slug);
    if (it != node_index.end()) return nodes[it->second].type;
    if (auto g = group_types_.find(slug); g != group_types_.end()) return g->second;
    if (Result<NodeRecord> n = view.NodeBySlug(slug); n.ok()) return n->type;
    return "";
  }
  std::string NameOf(const std::string& slug) {
    auto it = node_index.find(slug);
    if (it != node_index.end()) return nodes[it->second].name;
    if (Result<NodeRecord> n = view.NodeBySlug(slug); n.ok()) return n->name;
    return slug;
  }
  void Known(const NodeRecord& n) {
    if (node_index.count(n.slug)) return;
    node_index[n.slug] = nodes.size();
    nodes.push_back(ProseNode{n.slug, n.type, n.name, true, ""});
  }
  // A proposed node; returns its slug (an existing one with the same slug wins).
  std::string Propose(const std::string& written, const std::string& type, const std::string& why) {
    // A name wrapped across lines is one name: every run of white space is one space.
    std::string name;
    for (char c : written) {
      bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
      if (space) {
        if (!name.empty() && name.back() != ' ') name += ' ';
      } else {
        name += c;
      }
    }
    while (!name.empty() && name.back() == ' ') name.pop_back();
    std::string slug = Slugify(name);
    if (slug.empty()) return "";
    if (Result<NodeRecord> n = view.NodeBySlug(slug); n.ok()) {
      Known(*n);
      return n->slug;
    }
    if (!node_index.count(slug)) {
      node_index[slug] = nodes.size();
      nodes.push_back(ProseNode{slug, type, name, false, why});
    }
    return slug;
  }

  bool IsVerbWord(size_t i) const {
    const std::string& w = t[i].lower;
    return r.verbs.count(w) || r.be.count(w) || r.have.count(w) || r.other_verbs.count(w) ||
           r.modals.count(w);
  }
  // Whether a base or -s form is used as a verb here: after a subject, a
  // modal, "to", a pronoun or a relative; "export controls", "maintains
  // sanctions on", "U.S. sanctions on" are nouns.
  bool FiniteOrGoverned(size_t i, const std::string& w, const std::string& lemma) const {
    bool base = w == lemma;
    bool s_form =
        !base && (w == lemma + "s" || w == lemma + "es" ||
                  (lemma.ends_with("y") && w == lemma.substr(0, lemma.size() - 1) + "ies"));
    if (!base && !s_form) return true;  // -ed and -ing forms are judged elsewhere
    if (i + 1 < t.size() && (t[i + 1].lower == "on" || t[i + 1].lower == "against") &&
        lemma == "sanction")
      return false;
    size_t q = i;
    while (q > 0 && r.adverbs.count(t[q - 1].lower) && !GapHas(t[q].gap, ",;:")) --q;
    if (q == 0) return false;
    if (GapHas(t[q].gap, ";:(")) return false;
    const std::string& prev = t[q - 1].lower;
    static const std::set<std::string> kPronouns = {"it",  "he",   "she",  "they",  "we", "i",
                                                    "you", "this", "that", "which", "who"};
    bool after_subject =
        (item_at[q - 1] >= 0 && !items[static_cast<size_t>(item_at[q - 1])].adjectival &&
         !items[static_cast<size_t>(item_at[q - 1])].possessive) ||
        kPronouns.count(prev) || r.relatives.count(prev);
    if (base)
      return after_subject || r.modals.count(prev) || prev == "to" || prev == "not" ||
             prev == "do" || prev == "does" || prev == "did" || prev.ends_with("n't") ||
             prev == "and" || prev == "or";
    // An -s form: a verb unless a modifier, determiner, verb or preposition comes before.
    if (after_subject) return true;
    return !(r.determiners.count(prev) || r.prepositions.count(prev) || IsVerbWord(q - 1) ||
             r.noun_modifiers.count(prev) || IsNumber(prev) || GapHas(t[q].gap, ","));
  }

  bool IsFunctionWord(const std::string& w) const {
    return r.determiners.count(w) || r.prepositions.count(w) || r.conjunctions.count(w) ||
           r.relatives.count(w) || r.be.count(w) || r.have.count(w) || r.modals.count(w);
  }

  // ---- mentions ----
  void AddItem(Item it) {
    for (size_t k = it.first; k <= it.last; ++k)
      if (item_at[k] >= 0) return;  // overlaps an earlier (longer) mention
    size_t idx = items.size();
    for (size_t k = it.first; k <= it.last; ++k) item_at[k] = static_cast<int>(idx);
    items.push_back(std::move(it));
  }

  std::string Surface(size_t a, size_t b) const {
    return text.substr(t[a].byte_start, t[b].byte_end - t[a].byte_start);
  }

  Status FindNames() {
    Result<std::vector<Mention>> linked = LinkNames(view, t, text);
    if (!linked.ok()) return linked.status();
    for (const auto& m : linked.value()) {
      if (m.candidates.size() != 1) {
        // Ambiguous: never guessed; proposed against each candidate.
        std::string list;
        for (const auto& c : m.candidates) list += (list.empty() ? "" : ", ") + c.slug;
        for (const auto& c : m.candidates) {
          if (node_index.count(c.slug)) continue;
          node_index[c.slug] = nodes.size();
          nodes.push_back(ProseNode{c.slug, c.type, c.name, true,
                                    "ambiguous mention '" + m.surface + "': candidates " + list});
        }
        continue;
      }
      Item it;
      it.first = m.first;
      it.last = m.last;
      it.slugs = {m.candidates[0].slug};
      it.type = m.candidates[0].type;
      it.surface = m.surface;
      Known(m.candidates[0]);
      AddItem(it);
    }
    // Russian names inflect: "России", "Китая", "Китаем".
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0 || !t[i].cyrillic || !t[i].capitalised) continue;
      SINEW_RETURN_IF_ERROR(LinkRussian(i));
    }
    return Status::Ok();
  }

  // A Russian word without its case ending ("России" and "Россия" both
  // give "росси"), for matching inflected names.
  static std::string RuStem(const std::string& w) {
    static const char* kEndings[] = {
        "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ом", "ем", "ам", "ям",
        "ах",  "ях",  "ую",  "юю",  "ая",  "яя",  "ое",  "ее",  "ые", "ие", "ый", "ий", "ых", "их",
        "ым",  "им",  "а",   "я",   "у",   "ю",   "е",   "и",   "ы",  "о",  "ь",  "й"};
    for (const char* e : kEndings) {
      std::string end = e;
      if (w.size() > end.size() + 6 && w.compare(w.size() - end.size(), end.size(), end) == 0)
        return w.substr(0, w.size() - end.size());
    }
    return w;
  }

  // Russian names inflect: "России", "Китайской Народной Республики",
  // "Ли Кэцяном". Spans of up to four capitalised words are matched word by
  // word on their stems against the names the store knows.
  Status LinkRussian(size_t i) {
    for (size_t len = std::min<size_t>(4, t.size() - i); len >= 1; --len) {
      bool ok = true;
      for (size_t k = i; k < i + len && ok; ++k)
        ok = t[k].cyrillic && item_at[k] < 0 && (k == i || Space(t[k].gap)) &&
             (t[k].capitalised || k > i);
      if (!ok) continue;
      std::vector<std::string> stems;
      for (size_t k = i; k < i + len; ++k) stems.push_back(RuStem(t[k].lower));
      std::vector<NodeRecord> found;
      Status s = view.ForEachName(stems[0], [&](const std::string& name, NodeId id) {
        std::vector<std::string> words;
        for (size_t a = 0, b; a <= name.size(); a = b + 1) {
          b = name.find(' ', a);
          if (b == std::string::npos) b = name.size();
          if (b > a) words.push_back(RuStem(name.substr(a, b - a)));
        }
        if (words == stems) {
          Result<NodeRecord> n = view.NodeById(id);
          if (n.ok() && std::none_of(found.begin(), found.end(),
                                     [&](const NodeRecord& x) { return x.id == n->id; }))
            found.push_back(std::move(n).value());
        }
        return found.size() < 3;
      });
      SINEW_RETURN_IF_ERROR(s);
      if (found.size() == 1) {
        Item it;
        it.first = i;
        it.last = i + len - 1;
        it.slugs = {found[0].slug};
        it.type = found[0].type;
        it.surface = Surface(i, i + len - 1);
        Known(found[0]);
        AddItem(it);
        return Status::Ok();
      }
      if (found.size() > 1) return Status::Ok();
    }
    return Status::Ok();
  }

  // "United States Government", "Russian Government": the state itself.
  void ExtendWithHeads() {
    for (auto& it : items) {
      if (it.kind != Item::kName || it.type != "state") continue;
      size_t n = it.last + 1;
      if (n < t.size() && item_at[n] < 0 && Space(t[n].gap) && t[n].capitalised &&
          r.demonym_heads.count(t[n].lower)) {
        it.last = n;
        item_at[n] = item_at[it.first];
        it.surface = Surface(it.first, it.last);
      }
    }
  }

  void FindDemonyms() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0) continue;
      std::string slug;
      if (t[i].cyrillic) {
        for (const auto& [stem, s] : r.demonyms_ru)
          if (t[i].lower.rfind(stem, 0) == 0) {
            slug = s;
            break;
          }
      } else if (t[i].capitalised) {
        auto it = r.demonyms.find(t[i].lower);
        if (it != r.demonyms.end()) slug = it->second;
      }
      if (slug.empty()) continue;
      Result<NodeRecord> n = view.NodeBySlug(slug);
      if (!n.ok()) continue;
      Known(*n);
      Item it;
      it.first = it.last = i;
      it.slugs = {n->slug};
      it.type = n->type;
      it.kind = Item::kDemonym;
      // "the Russian government", "the Chinese side" stand for the state;
      // "Chinese banks" does not.
      if (i + 1 < t.size() && item_at[i + 1] < 0 && !GapHas(t[i + 1].gap, ",;:()") &&
          r.demonym_heads.count(t[i + 1].lower)) {
        it.last = i + 1;
      } else if (i + 1 < t.size() && !GapHas(t[i + 1].gap, ",;:().") &&
                 (item_at[i + 1] >= 0 || !IsFunctionWord(t[i + 1].lower)) &&
                 !DashGap(t[i + 1].gap)) {
        it.adjectival = true;
      }
      it.surface = Surface(it.first, it.last);
      AddItem(it);
    }
  }

  // Capitalised names the store does not know: proposed nodes. A title
  // before a name is not part of it ("Commerce Secretary Wilbur Ross" is
  // Wilbur Ross); a title alone is no one.
  void FindNewNames() {
    static const std::set<std::string> kJoins = {"of", "and", "for", "the", "de", "on"};
    // In a headline every word is capitalised: only acronyms can be told apart.
    bool headline = IsTitleCase(text) && t.size() >= 4;
    size_t i = 0;
    while (i < t.size()) {
      bool starts = item_at[i] < 0 && (t[i].capitalised || t[i].acronym) && !t[i].cyrillic &&
                    !IsNumber(t[i].lower) && t[i].raw != "I";
      if (!starts) {
        ++i;
        continue;
      }
      auto plain_gap = [&](size_t a, size_t b) {
        if (EndsPossessive(t[a].raw)) return false;
        const std::string& gap = t[b].gap;
        if (Space(gap) || gap == " & " || gap == "-") return true;
        if (gap == ". " && t[a].raw.size() == 1 && t[a].capitalised) return true;  // initial
        // "Co. Ltd", "Inc." stay with the name.
        if ((gap == ". " || gap == ", ") &&
            (t[b].lower == "ltd" || t[b].lower == "inc" || t[b].lower == "llc" ||
             t[b].lower == "co" || t[b].lower == "corp" || t[b].lower == "plc"))
          return true;
        return false;
      };
      size_t j = i;
      while (j + 1 < t.size() && plain_gap(j, j + 1)) {
        const Token& n = t[j + 1];
        if (item_at[j + 1] < 0 && (n.capitalised || n.acronym) && !n.cyrillic && n.raw != "I") {
          ++j;
        } else if (item_at[j + 1] < 0 && IsNumber(n.lower) && !n.lower.empty() &&
                   (t[j].lower == "order" || t[j].lower == "o" || t[j].lower == "r" ||
                    t[j].lower == "faq" || t[j].lower == "regulation" ||
                    t[j].lower == "resolution" || t[j].lower == "l" || t[j].lower == "no" ||
                    t[j].lower == "act")) {
          ++j;  // "Executive Order 14024", "E.O. 14114", "H.R. 1595", "P.L. 94-412"
        } else if (kJoins.count(n.lower) && j + 2 < t.size() && item_at[j + 2] < 0 &&
                   plain_gap(j + 1, j + 2) && (t[j + 2].capitalised || t[j + 2].acronym)) {
          j += 2;
        } else {
          break;
        }
      }
      size_t a = i, b = j;
      i = j + 1;
      while (a <= b && r.stop_capitalised.count(t[a].raw)) ++a;
      while (b > a && (r.stop_capitalised.count(t[b].raw) || kJoins.count(t[b].lower))) --b;
      if (a > b) continue;
      // "FDP rule", "(MEU) List", "Druzhba pipeline": a lowercase head names the kind.
      std::string head;
      if (b + 1 < t.size() && item_at[b + 1] < 0 && !t[b + 1].capitalised &&
          r.name_heads.count(t[b + 1].lower) &&
          (Space(t[b + 1].gap) || (t[b + 1].gap == ") " && GapHas(t[a].gap, "(")))) {
        head = t[b + 1].lower;
        if (Space(t[b + 1].gap)) {
          ++b;
          head.clear();
        }
        i = std::max(i, b + 2);
      }
      // Titles: the person is what follows the last title word.
      size_t last_title = SIZE_MAX;
      for (size_t k = a; k <= b; ++k)
        if (r.titles.count(t[k].lower)) last_title = k;
      std::string type, why;
      if (last_title != SIZE_MAX) {
        size_t p = last_title + 1;
        while (p <= b && (kJoins.count(t[p].lower) || r.titles.count(t[p].lower))) ++p;
        // A person's name: the last two or three capitalised words.
        if (p > b) continue;  // a title alone ("Chief Scientist", "Mr President")
        size_t start = b >= 1 && b - 1 >= p ? b - 1 : b;
        if (start > p && t[start - 1].raw.size() == 1) --start;  // "Steven T. Mnuchin"
        if (b - start >= 1 || (t[last_title].lower == "mr" || t[last_title].lower == "mrs" ||
                               t[last_title].lower == "ms" || t[last_title].lower == "dr")) {
          a = start;
          type = "person";
          why = "a name after the title '" + t[last_title].raw + "'";
        } else {
          continue;
        }
      }
      bool single = a == b;
      if (headline && !(single && t[a].acronym) && type != "person") continue;
      if (single && !t[a].acronym && (t[a].raw.size() < 4)) continue;
      // A capitalised word opening the sentence is usually just a word.
      if (single && !t[a].acronym && a == 0 && type.empty()) continue;
      if (single && !t[a].acronym && IsVerbWord(a)) continue;
      std::string name = Possessiveless(Surface(a, b));
      if (!head.empty()) name += " " + head;
      if (IsNumber(t[b].lower) && type.empty()) {
        type = "policy";
        why = "a numbered instrument ('" + name + "')";
      }
      if (type.empty()) {
        type = r.default_new_node_type;
        why = "no type cue";
        for (const auto& [ty, words] : r.new_node_types)
          if (!head.empty() && words.count(head) && schema().HasNodeType(ty)) {
            type = ty;
            why = "'" + head + "'";
          }
        for (size_t k = b + 1; k-- > a && why == "no type cue";)
          for (const auto& [ty, words] : r.new_node_types)
            if (words.count(t[k].lower) && schema().HasNodeType(ty)) {
              type = ty;
              why = "'" + t[k].raw + "'";
              break;
            }
        if (why == "no type cue" && b > a && b - a <= 2) {
          bool plain = true;
          for (size_t k = a; k <= b; ++k)
            plain = plain && t[k].capitalised && !t[k].acronym && !kJoins.count(t[k].lower) &&
                    !r.not_person_words.count(t[k].lower) && !r.demonyms.count(t[k].lower);
          if (plain) {
            type = "person";
            why = "two or three plain capitalised words";
          }
        }
      }
      if (!schema().HasNodeType(type)) continue;
      std::string slug = Propose(name, type, why);
      if (slug.empty()) continue;
      Item it;
      it.first = a;
      it.last = b;
      it.slugs = {slug};
      it.type = TypeOf(slug);
      it.surface = name;
      AddItem(it);
    }
  }

  // Pronouns, "the company", "the Department", "the two countries": what
  // they refer to, from what the paragraph mentioned last.
  void FindReferences() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0) continue;
      const std::string& w = t[i].lower;
      // The two parties: "both countries", "the two sides", "bilateral".
      if (!pair.empty()) {
        bool single = r.pair_phrases_single.count(w) > 0;
        size_t len = single ? 1 : 0;
        for (const auto& p : r.pair_phrases) {
          if (i + p.size() > t.size()) continue;
          bool all = true;
          for (size_t k = 0; k < p.size() && all; ++k)
            all = t[i + k].lower == p[k] && item_at[i + k] < 0;
          if (all) len = std::max(len, p.size());
        }
        if (!len && t[i].cyrillic)
          for (const auto& stem : r.pair_stems_ru)
            if (w.rfind(stem, 0) == 0) len = 1;
        if (len) {
          Item it;
          it.first = i;
          it.last = i + len - 1;
          it.slugs = pair;
          it.type = TypeOf(pair[0]);
          it.surface = Surface(i, i + len - 1);
          it.kind = Item::kPair;
          AddItem(it);
          i += len - 1;
          continue;
        }
      }
      std::string want;  // a type, "*" (anything but a person), "person", "group"
      size_t last = i;
      if (w == "it" || w == "its") {
        want = "*";
      } else if (w == "he" || w == "his" || w == "him" || w == "she" || w == "her") {
        want = "person";
      } else if (w == "they" || w == "their" || w == "them") {
        want = "group";
      } else if ((w == "the" || w == "this" || w == "that") && i + 1 < t.size() &&
                 item_at[i + 1] < 0) {
        auto it = r.definite_types.find(t[i + 1].lower);
        if (it == r.definite_types.end()) continue;
        want = it->second;
        last = i + 1;
        // "the Department" names a department: keep the word to match names.
        if (t[i + 1].capitalised) want += "|" + t[i + 1].lower;
      } else {
        continue;
      }
      std::string slug;
      // A possessive pronoun first looks back in its own sentence ("the
      // Commerce Department, through its Bureau").
      if (w == "its" || w == "their") {
        for (size_t k = items.size(); k-- > 0 && slug.empty();) {
          const Item& x = items[k];
          if (x.last >= i || x.slugs.empty()) continue;
          bool ok = w == "their" ? (x.kind == Item::kGroup || x.type == "group")
                                 : (x.type != "person" && x.type != "place");
          if (ok) slug = x.slugs[0];
        }
      }
      if (slug.empty()) slug = Resolve(want);
      if (slug.empty()) continue;
      Item it;
      it.first = i;
      it.last = last;
      it.slugs = {slug};
      it.type = TypeOf(slug);
      it.surface = Surface(i, last);
      it.kind = Item::kReference;
      it.possessive = w == "its" || w == "his" || w == "her" || w == "their";
      AddItem(it);
    }
  }

  std::string Resolve(const std::string& want_spec) {
    std::string want = want_spec, word;
    if (size_t bar = want.find('|'); bar != std::string::npos) {
      word = want.substr(bar + 1);
      want = want.substr(0, bar);
    }
    for (size_t k = recent.size(); k-- > 0;) {
      const Recent& x = recent[k];
      if (sentence_no - x.sentence > 3) break;
      bool ok;
      if (want == "*")
        ok = x.type != "person" && x.type != "place" && !x.group;
      else if (want == "group")
        ok = x.group || x.type == "group";
      else if (want == "person")
        ok = x.type == "person";
      else
        ok = x.type == want;
      if (ok && !word.empty()) ok = NormalizeName(x.name).find(word) != std::string::npos;
      if (ok) return x.slug;
    }
    return "";
  }

  // Where each item's noun phrase starts and which preposition governs it.
  void NounPhrases() {
    for (auto& it : items) {
      it.possessive = it.possessive || EndsPossessive(t[it.last].raw);
      it.hyphen_next = it.last + 1 < t.size() && t[it.last + 1].gap == "-";
      // "U.S.-origin items", "Russia-led organisations": a modifier, not an argument.
      if (it.hyphen_next && r.adjectival_suffixes.count(t[it.last + 1].lower)) it.adjectival = true;
      // "U.S. policy", "EU legislation": an abbreviated name before a noun.
      if (it.kind == Item::kName && t[it.first].acronym &&
          (it.type == "state" || it.type == "bloc") && it.last + 1 < t.size() &&
          Space(t[it.last + 1].gap) && !t[it.last + 1].capitalised && item_at[it.last + 1] < 0 &&
          !IsFunctionWord(t[it.last + 1].lower) && !IsVerbWord(it.last + 1) &&
          !r.adverbs.count(t[it.last + 1].lower) &&
          (it.first == 0 || !r.articles.count(t[it.first - 1].lower)))
        it.adjectival = true;
      size_t k = it.first;
      int words = 0;
      while (k > 0 && words < 5) {
        size_t p = k - 1;
        const std::string& gap = t[k].gap;
        if (GapHas(gap, ",;:()\"\xE2")) break;  // punctuation ends a noun phrase
        const std::string& w = t[p].lower;
        // "In 2021 Turkmenistan supplied": a number before a name is no part of it.
        if (IsNumber(w) && it.kind != Item::kGroup) break;
        bool modifier =
            r.determiners.count(w) || IsNumber(w) ||
            (item_at[p] >= 0 && (items[static_cast<size_t>(item_at[p])].kind == Item::kDemonym ||
                                 items[static_cast<size_t>(item_at[p])].possessive)) ||
            (!IsFunctionWord(w) && !IsVerbWord(p) && !r.adverbs.count(w) && !t[p].capitalised &&
             item_at[p] < 0);
        if (!modifier) break;
        k = p;
        ++words;
      }
      // "a total of 36 entities", "a host of Chinese entities": the
      // quantity is part of the noun phrase, its "of" governs nothing.
      while (k >= 2 && t[k - 1].lower == "of" && r.quantity_nouns.count(t[k - 2].lower) &&
             !GapHas(t[k].gap, ",;:") && !GapHas(t[k - 1].gap, ",;:")) {
        k -= 2;
        while (k > 0 && (r.determiners.count(t[k - 1].lower) || IsNumber(t[k - 1].lower)) &&
               !GapHas(t[k].gap, ",;:"))
          --k;
      }
      // "more than 190 entities", "at least six parties".
      for (bool again = true; again;) {
        again = false;
        for (const auto& q : r.quantifier_phrases)
          if (k >= q.size() && !GapHas(t[k].gap, ",;:")) {
            bool all = true;
            for (size_t z = 0; z < q.size() && all; ++z) all = t[k - q.size() + z].lower == q[z];
            if (all) {
              k -= q.size();
              again = true;
              break;
            }
          }
      }
      it.np_first = k;
      if (k > 0 && r.prepositions.count(t[k - 1].lower) && !GapHas(t[k].gap, ",;:"))
        it.governed_by = t[k - 1].lower;
      else if (k > 1 && t[k - 1].lower == "of" && t[k - 2].lower == "behalf")
        it.governed_by = "by";
    }
  }

  // Parenthetical aliases: "Bureau of Industry and Security (BIS)" is one
  // mention; a proposed acronym in brackets after a known name is dropped.
  void MergeParentheticals() {
    std::vector<Item> kept;
    for (size_t k = 0; k < items.size(); ++k) {
      Item& it = items[k];
      if (!kept.empty() && GapHas(t[it.first].gap, "(") && it.first == kept.back().last + 1 &&
          it.last + 1 <= t.size() && (it.last + 1 == t.size() || GapHas(t[it.last + 1].gap, ")"))) {
        Item& prev = kept.back();
        if (it.slugs == prev.slugs || it.kind == Item::kName) {
          // The bracketed form is an alias: it takes the earlier node.
          auto nit = node_index.find(it.slugs[0]);
          if (nit != node_index.end() && !nodes[nit->second].known && it.slugs != prev.slugs)
            nodes[nit->second].why = "merged";  // dropped below
          prev.last = it.last;
          continue;
        }
      }
      kept.push_back(it);
    }
    items = std::move(kept);
    // Drop proposals that only ever stood in brackets for a known name.
    std::vector<ProseNode> still;
    std::map<std::string, size_t> index;
    for (auto& n : nodes) {
      if (!n.known && n.why == "merged") continue;
      index[n.slug] = still.size();
      still.push_back(n);
    }
    nodes = std::move(still);
    node_index = std::move(index);
    std::fill(item_at.begin(), item_at.end(), -1);
    for (size_t k = 0; k < items.size(); ++k)
      for (size_t x = items[k].first; x <= items[k].last; ++x) item_at[x] = static_cast<int>(k);
  }

  // Coordinated items: "Kazakhstan, the Kyrgyz Republic, and Uzbekistan".
  void Lists() {
    for (size_t k = 0; k < items.size(); ++k) {
      Item& it = items[k];
      if (k > 0 && items[k - 1].list >= 0) {
        Item& prev = items[k - 1];
        // Joined when only a comma, "and", "or", "as well as" and
        // determiners stand between the two.
        bool joined = true;
        bool conj = false;
        for (size_t x = prev.last + 1; x < it.np_first && joined; ++x) {
          const std::string& w = t[x].lower;
          if (w == "and" || w == "or" || w == "nor")
            conj = true;
          else if (w == "as" || w == "well")
            conj = true;
          else if (!r.determiners.count(w))
            joined = false;
        }
        bool comma = GapHas(t[it.np_first].gap, ",");
        if (joined && (conj || comma) && !GapHas(t[it.np_first].gap, ";:(") &&
            !(prev.kind == Item::kDemonym && it.kind != Item::kDemonym && !prev.possessive) &&
            it.governed_by.empty()) {
          it.list = prev.list;
          lists[static_cast<size_t>(it.list)].items.push_back(k);
          lists[static_cast<size_t>(it.list)].last = it.last;
          continue;
        }
      }
      it.list = static_cast<int>(lists.size());
      lists.push_back(List{{k}, it.np_first, it.last, it.governed_by});
    }
    // A chain joined only by commas is no list ("of Ukraine, the United
    // States has ..."): split it unless "and", "or" or "as well as" joins it.
    for (size_t l = 0; l < lists.size(); ++l) {
      List& list = lists[l];
      if (list.items.size() < 2) continue;
      bool conj = false;
      for (size_t x = list.first; x <= list.last && !conj; ++x)
        conj = item_at[x] < 0 && (t[x].lower == "and" || t[x].lower == "or" ||
                                  t[x].lower == "nor" || t[x].lower == "well");
      if (conj) continue;
      std::vector<size_t> members = list.items;
      list.items = {members[0]};
      list.last = items[members[0]].last;
      for (size_t m = 1; m < members.size(); ++m) {
        Item& it = items[members[m]];
        it.list = static_cast<int>(lists.size());
        lists.push_back(List{{members[m]}, it.np_first, it.last, it.governed_by});
      }
    }
  }

  // ---- verbs ----
  void Predicates() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0) continue;
      const std::vector<Frame>* frames = nullptr;
      std::string lemma;
      if (t[i].cyrillic) {
        // Verbs end in -ет, -ют, -ит, -ат, -ят, -ал, -ил, -ли, -ть...; nouns do not.
        static const char* kVerbEnds[] = {"ет", "ют", "ит", "ат", "ят", "ут", "ал", "ил", "ел",
                                          "ли", "ло", "ла", "ть", "ся", "сь", "ем", "им"};
        bool verb_like = false;
        for (const char* e : kVerbEnds) verb_like = verb_like || t[i].lower.ends_with(e);
        if (verb_like)
          for (const auto& [stem, f] : r.verbs_ru)
            if (t[i].lower.rfind(stem, 0) == 0) {
              frames = &f;
              lemma = stem;
              break;
            }
      } else {
        auto it = r.verbs.find(t[i].lower);
        if (it != r.verbs.end()) {
          frames = &it->second;
          lemma = r.verb_lemma.at(t[i].lower);
        }
      }
      if (!frames && r.be.count(t[i].lower) && i + 1 < t.size() && !r.copula_frames.empty()) {
        // "have been on the Entity List", "is in Moscow".
        size_t n = i + 1;
        while (n < t.size() && r.adverbs.count(t[n].lower)) ++n;
        if (n < t.size() && (t[n].lower == "on" || t[n].lower == "in")) {
          frames = &r.copula_frames;
          lemma = "be";
        }
      }
      if (!frames) continue;
      const std::string& w = t[i].lower;
      // A noun, not a verb: "the supply of", "exports of oil", "its supplies".
      if (i > 0 && !GapHas(t[i].gap, ",;:") &&
          (r.articles.count(t[i - 1].lower) ||
           (item_at[i - 1] >= 0 && items[static_cast<size_t>(item_at[i - 1])].possessive)))
        continue;
      // "export controls", "supply chains", "trade ties": a noun in a compound.
      if (i + 1 < t.size() && Space(t[i + 1].gap) && r.compound_tails.count(t[i + 1].lower) &&
          !w.ends_with("ed") && !w.ends_with("ing"))
        continue;
      if (i + 1 < t.size() && t[i + 1].lower == "of" && !t[i].cyrillic && w != lemma + "ed")
        continue;
      if (!t[i].cyrillic && !FiniteOrGoverned(i, w, lemma)) continue;
      Predicate p;
      p.verb = i;
      p.frames = frames;
      p.lemma = lemma;
      bool past = !t[i].cyrillic &&
                  (w.ends_with("ed") || (w != lemma && !w.ends_with("s") && !w.ends_with("ing")));
      p.gerund = w.ends_with("ing") && !t[i].cyrillic;
      // The verb group: auxiliaries, modals, negation and adverbs before it.
      size_t g = i;
      bool be = false;
      while (g > 0 && !GapHas(t[g].gap, ",;:()")) {
        const std::string& x = t[g - 1].lower;
        if (r.be.count(x)) {
          be = true;
        } else if (r.modals.count(x)) {
          if (p.modality == "observed") p.modality = r.modals.at(x);
        } else if (x == "not" || x == "never" || x.ends_with("n't") ||
                   x.ends_with("n\xE2\x80\x99t") || x == "no" || x == "cannot") {
          p.negated = true;
          if (x == "cannot" || x.rfind("can", 0) == 0 || x.rfind("won", 0) == 0 ||
              x.rfind("would", 0) == 0 || x.rfind("could", 0) == 0)
            p.modality = x.rfind("won", 0) == 0 ? "projected" : "hypothetical";
          if (x.rfind("won", 0) == 0 && p.modality == "observed") p.modality = "projected";
        } else if (r.have.count(x) || r.adverbs.count(x) || x == "to" || x == "also" ||
                   x == "further" || x == "jointly" || x == "already" || x == "still") {
          if (x == "to") p.infinitive = true;
        } else {
          break;
        }
        --g;
      }
      p.group_first = g;
      p.passive = be && past;
      if (!p.passive && past && !be && g > 0 && item_at[g - 1] >= 0 && !p.gerund &&
          i + 1 < t.size() && t[i + 1].lower == "by")
        p.passive = p.participle = true;  // "items produced by X"
      if (g > 0 && r.relatives.count(t[g - 1].lower)) p.relative = true;
      // Governing words: "seek to", "plans to", "avoided endorsing".
      if (g > 0) {
        const std::string& gov = t[g - 1].lower;
        std::string gov_lemma = gov;
        if (r.hedge_verbs.count(gov) && (p.infinitive || p.gerund)) p.modality = "projected";
        if (r.negative_verbs.count(gov)) p.negated = true;
        if (g > 1 && (p.infinitive) && r.hedge_verbs.count(t[g - 2].lower))
          p.modality = "projected";
      }
      preds.push_back(p);
    }
  }

  // The list filling a role of predicate p.
  struct Roles {
    std::map<std::string, int> role;  // role -> list index
    std::string object_head;          // the noun right after the verb when no name is there
  };

  bool ClauseBoundary(size_t x) const {
    const std::string& gap = t[x].gap;
    if (GapHas(gap, ";:")) return true;
    const std::string& w = t[x].lower;
    if (GapHas(gap, ",") && (w == "but" || w == "while" || w == "whereas" || w == "although" ||
                             w == "though" || w == "because" || w == "and" || w == "which" ||
                             w == "who" || w == "when" || w == "where" || w == "if"))
      return true;
    if (w == "but" || w == "whereas" || w == "while" || w == "although" || w == "because")
      return true;
    return false;
  }

  std::vector<char> is_pred_;  // token -> whether a predicate's verb
  bool IsPredicateAt(size_t x) const { return x < is_pred_.size() && is_pred_[x]; }

  int SubjectOf(const Predicate& p, size_t pi) {
    int s = FindSubject(p, pi);
    // "BIS has issued a rule adding X to the list", "two parties that have
    // been on the list as having supported": a verb with no subject of its
    // own shares the one before it in the clause.
    if (s < 0 && pi > 0) {
      bool boundary = false;
      for (size_t x = preds[pi - 1].verb + 1; x <= p.group_first && x < t.size(); ++x)
        boundary = boundary || (GapHas(t[x].gap, ";:") || t[x].lower == "but" ||
                                t[x].lower == "while" || t[x].lower == "whereas");
      if (!boundary) s = subjects_[pi - 1];
    }
    return s;
  }

  int FindSubject(const Predicate& p, size_t pi) {
    size_t g = p.group_first;
    // "Russia's ability to procure", "China's efforts to reduce": the possessor.
    if (p.infinitive && g >= 2 && r.ability_nouns.count(t[g - 2].lower)) {
      size_t x = g - 2;
      while (x > 0 && !GapHas(t[x].gap, ",;:") && x + 4 > g) {
        --x;
        if (item_at[x] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[x])];
          if (it.possessive) return it.list;
          break;
        }
      }
    }
    // "which supplies", "that are owned by": the antecedent before the relative.
    if (p.relative || p.participle) {
      size_t before = p.relative ? g - 1 : g;
      for (size_t x = before; x-- > 0;) {
        if (item_at[x] >= 0) return items[static_cast<size_t>(item_at[x])].list;
        if (GapHas(t[x + 1].gap, ";:") || x + 6 < before) break;
      }
      return -1;
    }
    // "and designated X": the subject of the verb before, if no subject in between.
    if (g > 0 && (t[g - 1].lower == "and" || t[g - 1].lower == "or") && pi > 0) {
      bool item_between = false;
      for (size_t x = preds[pi - 1].verb + 1; x < g - 1; ++x)
        item_between = item_between || (item_at[x] >= 0 &&
                                        items[static_cast<size_t>(item_at[x])].governed_by.empty());
      if (!item_between) return subjects_[pi - 1];
    }
    // A gerund after a preposition ("for supplying X"): the noun phrase before.
    if (p.gerund && g > 0 && r.prepositions.count(t[g - 1].lower)) {
      for (size_t x = g - 1; x-- > 0;) {
        if (item_at[x] >= 0) return items[static_cast<size_t>(item_at[x])].list;
        if (x + 8 < g) break;
      }
      return -1;
    }
    // The nearest list before the verb group that no preposition governs
    // and no other verb takes as its object.
    for (size_t x = g; x-- > 0;) {
      if (ClauseBoundary(x + 1) && x + 1 < g) break;
      if (IsPredicateAt(x)) return -1;
      if (item_at[x] < 0) continue;
      const Item& it = items[static_cast<size_t>(item_at[x])];
      const List& l = lists[static_cast<size_t>(it.list)];
      if (it.adjectival) continue;
      if (!l.governed_by.empty() && l.governed_by != "of") {
        x = l.first;
        if (x == 0) break;
        continue;
      }
      if (it.possessive && x + 1 < t.size() && item_at[x + 1] < 0) {
        // "China's partner": a possessor, not a subject.
        x = l.first;
        if (x == 0) break;
        continue;
      }
      if (l.governed_by == "of") {
        x = l.first;
        if (x == 0) break;
        continue;
      }
      return it.list;
    }
    return -1;
  }

  Roles RolesOf(const Predicate& p) {
    Roles out;
    // Objects: scan forward to the next predicate or clause boundary.
    size_t end = t.size();
    for (const auto& q : preds)
      if (q.group_first > p.verb && q.group_first < end && !q.participle) end = q.group_first;
    for (size_t x = p.verb + 1; x < end; ++x)
      if (ClauseBoundary(x) && x > p.verb + 1) {
        end = x;
        break;
      }
    bool object_seen = false;
    for (size_t x = p.verb + 1; x < end; ++x) {
      if (item_at[x] < 0) {
        // The head of a nameless object: "imposed sanctions on".
        if (!object_seen && out.object_head.empty() && !r.determiners.count(t[x].lower) &&
            !r.adverbs.count(t[x].lower) && !IsNumber(t[x].lower) &&
            !r.prepositions.count(t[x].lower))
          out.object_head = t[x].lower;
        continue;
      }
      const Item& it = items[static_cast<size_t>(item_at[x])];
      const List& l = lists[static_cast<size_t>(it.list)];
      if (it.adjectival) continue;
      x = std::max(x, l.last);
      std::string role = l.governed_by;
      if (role.empty()) {
        if (it.possessive) continue;  // a possessor inside the object ("China's exports")
        role = object_seen ? "object2" : "object";
        object_seen = true;
      }
      if (!out.role.count(role)) out.role[role] = it.list;
    }
    return out;
  }

  std::vector<int> subjects_;

  // Slugs of a list's members.
  std::vector<std::pair<std::string, std::string>> Members(int list) {
    std::vector<std::pair<std::string, std::string>> out;
    if (list < 0) return out;
    for (size_t k : lists[static_cast<size_t>(list)].items)
      for (const auto& s : items[k].slugs) out.push_back({s, items[k].surface});
    return out;
  }

  bool Fits(const std::string& relation, const std::string& src, const std::string& dst) {
    const EdgeTypeInfo* e = schema().FindEdgeType(relation);
    if (!e || src == dst) return false;
    return schema().CheckEndpoints(*e, TypeOf(src), TypeOf(dst)).ok();
  }

  void Emit(const std::string& relation, int src_list, int dst_list, bool negated,
            const std::string& modality, const std::string& domain, const std::string& basis,
            int strength = 2) {
    for (const auto& [s, ss] : Members(src_list))
      for (const auto& [d, ds] : Members(dst_list))
        EmitOne(relation, s, d, ss, ds, negated, modality, domain, basis, strength);
  }

  void EmitOne(const std::string& relation, const std::string& s, const std::string& d,
               const std::string& ss, const std::string& ds, bool negated,
               const std::string& modality, const std::string& domain, const std::string& basis,
               int strength = 2) {
    if (!Fits(relation, s, d)) return;
    for (const auto& c : claims)
      if (c.src == s && c.dst == d && c.relation == relation && c.negated == negated) return;
    ProseClaim c;
    c.src = s;
    c.dst = d;
    c.relation = relation;
    c.negated = negated;
    c.modality = modality;
    c.domain = domain;
    c.basis = basis;
    c.src_surface = ss;
    c.dst_surface = ds;
    c.strength_of_reading = strength;
    claims.push_back(c);
  }

  std::string DomainFor(const std::string& relation, const std::string& preferred) {
    for (const auto& [domain, words] : r.domain_words)
      for (const auto& x : t)
        if (words.count(x.lower) && schema().DomainCode(domain) > 0) return domain;
    if (!preferred.empty()) return preferred;
    auto it = r.type_domains.find(relation);
    if (it != r.type_domains.end()) return it->second;
    return r.default_domain;
  }

  // The hedges of the clause around token `at` that are not in a verb
  // group: "reportedly", "if", "potential", "expected to". Computed once per
  // sentence (Hedges), so each question is constant time.
  std::vector<int> clause_of_;           // token -> clause number
  std::vector<std::string> clause_mod_;  // clause -> its modality
  void Hedges() {
    clause_of_.assign(t.size(), 0);
    int c = 0;
    for (size_t x = 0; x < t.size(); ++x) {
      if (x > 0 && ClauseBoundary(x)) ++c;
      clause_of_[x] = c;
    }
    clause_mod_.assign(static_cast<size_t>(c + 1), "observed");
    auto starts_at = [&](const std::vector<std::vector<std::string>>& phrases, size_t i) {
      for (const auto& p : phrases) {
        if (p.size() == 1 && r.modals.count(p[0])) continue;  // verb groups carry their own
        if (i + p.size() > t.size()) continue;
        bool all = true;
        for (size_t k = 0; k < p.size() && all; ++k) all = t[i + k].lower == p[k];
        if (all) return true;
      }
      return false;
    };
    for (size_t x = 0; x < t.size(); ++x) {
      std::string& m = clause_mod_[static_cast<size_t>(clause_of_[x])];
      if (m == "hypothetical") continue;
      if (r.report_hedges.count(t[x].lower) || starts_at(r.hypothetical, x))
        m = "hypothetical";
      else if (m == "observed" && starts_at(r.projected, x))
        m = "projected";
    }
  }
  std::string ClauseModality(size_t at) {
    if (at >= clause_of_.size()) return "observed";
    return clause_mod_[static_cast<size_t>(clause_of_[at])];
  }

  std::string Combine(const std::string& a, const std::string& b) {
    auto rank = [](const std::string& m) {
      return m == "hypothetical" ? 3 : m == "projected" ? 2 : m == "assessed" ? 1 : 0;
    };
    return rank(a) >= rank(b) ? a : b;
  }

  void VerbClaims() {
    subjects_.assign(preds.size(), -1);
    for (size_t pi = 0; pi < preds.size(); ++pi) {
      const Predicate& p = preds[pi];
      int subject = SubjectOf(p, pi);
      subjects_[pi] = subject;
      Roles roles = RolesOf(p);
      // In the passive the grammatical subject is the object; "by" the agent.
      std::map<std::string, int> role = roles.role;
      if (p.passive) {
        if (subject >= 0) role["object"] = subject;
        auto by = role.find("by");
        if (by != role.end()) {
          role["subject"] = by->second;
          role.erase("by");
        } else {
          role.erase("subject");
        }
      } else if (subject >= 0) {
        role["subject"] = subject;
      }
      std::string modality = Combine(p.modality, ClauseModality(p.verb));
      for (const Frame& f : *p.frames) {
        if (!f.object_heads.empty() && !f.object_heads.count(roles.object_head)) continue;
        std::string relation = f.relation;
        if (!roles.object_head.empty())
          if (auto q = f.qualified.find(roles.object_head); q != f.qualified.end())
            relation = q->second;
        std::string why = "verb '" + t[p.verb].raw + "'" + (p.passive ? " (passive)" : "") +
                          (p.negated ? ", negated" : "");
        // Symmetric: "A and B cooperate", "A cooperates with B".
        if (f.symmetric && role.count("subject")) {
          auto subj = Members(role["subject"]);
          int other = -1;
          for (const auto& d : f.dst)
            if (role.count(d)) {
              other = role[d];
              break;
            }
          if (other < 0 && subj.size() >= 2) {
            for (size_t a = 0; a < subj.size(); ++a)
              for (size_t b = a + 1; b < subj.size(); ++b)
                EmitOne(relation, subj[a].first, subj[b].first, subj[a].second, subj[b].second,
                        p.negated, modality, DomainFor(relation, f.domain),
                        why + ", between the subjects");
            continue;
          }
        }
        int src = -1, dst = -1;
        std::string src_role, dst_role;
        for (const auto& s : f.src)
          if (role.count(s) && src < 0) {
            src = role[s];
            src_role = s;
          }
        for (const auto& d : f.dst) {
          if (!role.count(d) || role[d] == src) continue;
          // The first role holding something the relation can end at.
          bool fits = false;
          for (const auto& [sm, sms] : Members(src))
            for (const auto& [dm, dms] : Members(role[d])) {
              std::string rel = relation;
              if (auto b = f.by_src_type.find(TypeOf(sm)); b != f.by_src_type.end())
                rel = b->second;
              fits = fits || Fits(rel, sm, dm);
            }
          if (fits) {
            dst = role[d];
            dst_role = d;
            break;
          }
        }
        if (src < 0 || dst < 0) continue;
        for (const auto& [sm, sms] : Members(src))
          for (const auto& [dm, dms] : Members(dst)) {
            std::string rel = relation;
            if (auto b = f.by_src_type.find(TypeOf(sm)); b != f.by_src_type.end()) rel = b->second;
            EmitOne(rel, sm, dm, sms, dms, p.negated, modality, DomainFor(rel, f.domain),
                    why + ": " + src_role + " → " + dst_role, p.relative || p.participle ? 3 : 2);
          }
        if (!f.member_of.empty() && role.count(f.member_of))
          for (const auto& [dm, dms] : Members(dst))
            for (const auto& [lm, lms] : Members(role[f.member_of]))
              EmitOne("member_of", dm, lm, dms, lms, p.negated, modality,
                      DomainFor("member_of", f.domain), why + ": added to " + lms);
      }
    }
  }

  // Relational nouns: "cooperation between A and B", "Russia-China ties",
  // "bilateral trade", "China's trade ties with Russia", "U.S. sanctions on
  // Russia".
  void NounClaims() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0 || IsPredicateAt(i)) continue;
      std::string modality = ClauseModality(i);
      const std::vector<Frame>* frames = nullptr;
      if (t[i].cyrillic) {
        for (const auto& [stem, f] : r.nouns_ru)
          if (t[i].lower.rfind(stem, 0) == 0) {
            frames = &f;
            break;
          }
      } else if (auto it = r.nouns.find(t[i].lower); it != r.nouns.end()) {
        frames = &it->second;
      }
      if (!frames) continue;
      // Arguments: the modifier before (within the noun phrase), the
      // possessor, and prepositional phrases after.
      std::map<std::string, int> role;
      std::vector<std::pair<std::string, std::string>> pair_args;
      size_t x = i;
      int words = 0;
      std::string qualifier;
      std::vector<std::string> qualifiers;  // "trade, financial, and technology ties"
      while (x > 0 && words < 8 && !GapHas(t[x].gap, ";:()")) {
        size_t p = x - 1;
        // Commas and "and" only between modifiers.
        if (GapHas(t[x].gap, ",") && item_at[p] >= 0) break;
        if (item_at[p] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[p])];
          if (it.kind == Item::kPair) {
            role["pair"] = it.list;
          } else if (it.possessive) {
            if (!role.count("possessor")) role["possessor"] = it.list;
          } else {
            // "Russia-China", "Russian-Chinese": a pair of modifiers.
            if (it.first > 0 && item_at[it.first - 1] >= 0 && DashGap(t[it.first].gap)) {
              const Item& a = items[static_cast<size_t>(item_at[it.first - 1])];
              pair_args = {{a.slugs[0], a.surface}, {it.slugs[0], it.surface}};
              x = a.first;
              ++words;
              continue;
            }
            if (!role.count("modifier")) role["modifier"] = it.list;
          }
          x = it.np_first < it.first ? it.first : it.first;
          x = it.first;
        } else {
          const std::string& w = t[p].lower;
          if (r.pair_phrases_single.count(w) && !pair.empty()) {
            pair_args = {{pair[0], t[p].raw}, {pair[1], t[p].raw}};
          } else if (w == "and" || w == "or") {
            x = p;
            ++words;
            continue;
          } else if (r.prepositions.count(w) || IsVerbWord(p) || r.conjunctions.count(w) ||
                     r.relatives.count(w)) {
            break;
          }
          if (!r.determiners.count(w)) {
            if (qualifier.empty()) qualifier = w;
            qualifiers.push_back(w);
          }
          x = p;
        }
        ++words;
      }
      // Prepositional phrases after the noun, up to the next verb.
      for (size_t y = i + 1; y < t.size() && y < i + 12; ++y) {
        if (IsPredicateAt(y) || (ClauseBoundary(y) && y > i + 1)) break;
        if (item_at[y] < 0) {
          if (t[y].lower == "between") {
            // "between A and B": the list after it.
            for (size_t z = y + 1; z < t.size() && z < y + 4; ++z)
              if (item_at[z] >= 0) {
                auto m = Members(items[static_cast<size_t>(item_at[z])].list);
                if (m.size() >= 2) pair_args = {m[0], m[1]};
                break;
              }
          }
          continue;
        }
        const Item& it = items[static_cast<size_t>(item_at[y])];
        const List& l = lists[static_cast<size_t>(it.list)];
        if (!l.governed_by.empty() && !role.count(l.governed_by)) role[l.governed_by] = it.list;
        y = std::max(y, l.last);
      }
      // The subject of the clause, for "A and B signed agreements".
      // The clause's subject when the noun is the object of its verb: "China
      // and Russia established relations", "reached agreements".
      int clause_subject = -1;
      for (size_t pi = 0; pi < preds.size(); ++pi)
        if (preds[pi].verb < i && preds[pi].verb + 6 >= i && subjects_.size() > pi) {
          bool boundary = false;
          for (size_t y = preds[pi].verb + 1; y <= i; ++y) boundary = boundary || ClauseBoundary(y);
          if (!boundary) clause_subject = subjects_[pi];
        }
      std::vector<const Frame*> expanded;
      for (const Frame& f : *frames) expanded.push_back(&f);
      for (const Frame* fp : expanded)
        for (const std::string& qual :
             qualifiers.empty() ? std::vector<std::string>{""} : qualifiers) {
          const Frame& f = *fp;
          std::string relation = f.relation;
          if (auto q = f.qualified.find(qual); q != f.qualified.end()) relation = q->second;
          std::string why = "noun '" + t[i].raw + "'";
          std::string domain = DomainFor(relation, f.domain);
          if (f.symmetric) {
            if (pair_args.empty() && role.count("pair")) {
              auto m = Members(role["pair"]);
              if (m.size() >= 2) pair_args = {m[0], m[1]};
            }
            if (pair_args.empty()) {
              // "A's N with B", "A N with B", "N of A with B".
              int a = role.count("possessor")  ? role["possessor"]
                      : role.count("modifier") ? role["modifier"]
                      : role.count("of")       ? role["of"]
                                               : -1;
              int b = role.count("with") ? role["with"] : -1;
              if (a >= 0 && b >= 0) {
                Emit(relation, a, b, false, modality, domain, why + " with");
                continue;
              }
              // A list of two or more as its modifier: "U.S. and EU cooperation".
              if (a >= 0 && Members(a).size() >= 2) {
                auto m = Members(a);
                pair_args = {m[0], m[1]};
              }
            }
            if (pair_args.empty() && clause_subject >= 0 && Members(clause_subject).size() >= 2) {
              auto m = Members(clause_subject);
              pair_args = {m[0], m[1]};
            }
            int reading = 2;
            // Unqualified in a note about two parties: theirs ("areas of cooperation").
            if (pair_args.empty() && pair.size() == 2 && !role.count("possessor") &&
                !role.count("modifier") && !role.count("with") && !role.count("between") &&
                !role.count("of")) {
              pair_args = {{pair[0], NameOf(pair[0])}, {pair[1], NameOf(pair[1])}};
              reading = 3;
            }
            if (pair_args.size() == 2)
              EmitOne(relation, pair_args[0].first, pair_args[1].first, pair_args[0].second,
                      pair_args[1].second, false, modality, domain,
                      why + (reading == 3 ? " in a note about the two" : " of a pair"), reading);
            continue;
          }
          int src = -1, dst = -1;
          for (const auto& s : f.src)
            if (role.count(s)) {
              src = role[s];
              break;
            }
          for (const auto& d : f.dst)
            if (role.count(d) && role[d] != src) {
              dst = role[d];
              break;
            }
          if (src >= 0 && dst >= 0) Emit(relation, src, dst, false, modality, domain, why);
        }
    }
  }

  // Role nouns: "Russia is a leading oil supplier to China", "China remains
  // Russia's leading trade partner", "CRAIC, a joint venture of UAC and
  // COMAC", "Huawei's subsidiaries".
  void RoleClaims() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0) continue;
      std::string modality = ClauseModality(i);
      std::string w = t[i].lower;
      auto ri = r.role_index.find(w);
      if (ri == r.role_index.end() && w.size() > 3 && w.back() == 's')
        ri = r.role_index.find(w.substr(0, w.size() - 1));
      if (ri == r.role_index.end()) continue;
      const RoleRule& role = r.roles[ri->second];
      // The other party: a possessor or modifier before, or of/to/for after.
      int other = -1;
      std::string qualifier;
      size_t x = i;
      int words = 0;
      while (x > 0 && words < 4 && !GapHas(t[x].gap, ",;:()")) {
        size_t p = x - 1;
        if (item_at[p] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[p])];
          if (it.possessive || it.kind == Item::kDemonym) other = it.list;
          break;
        }
        if (r.prepositions.count(t[p].lower) || IsVerbWord(p)) break;
        if (qualifier.empty() && !r.determiners.count(t[p].lower)) qualifier = t[p].lower;
        x = p;
        ++words;
      }
      size_t np_first = x;
      if (other < 0)
        for (size_t y = i + 1; y < t.size() && y < i + 4; ++y) {
          if (item_at[y] >= 0) {
            const Item& it = items[static_cast<size_t>(item_at[y])];
            const std::string& g = lists[static_cast<size_t>(it.list)].governed_by;
            if (g == "of" || g == "to" || g == "for" || g == "in" || g == "with") other = it.list;
            break;
          }
          if (IsVerbWord(y)) break;
        }
      if (other < 0) continue;
      // The holder: the subject of a copula before the noun phrase, or the
      // name this one stands in apposition to.
      int holder = -1;
      size_t b = np_first;
      if (b > 0 && (r.copulas.count(t[b - 1].lower) || r.be.count(t[b - 1].lower) ||
                    (b > 1 && t[b - 1].lower == "as" && r.copulas.count(t[b - 2].lower)))) {
        size_t c = b - 1;
        if (t[c].lower == "as") --c;
        while (c > 0 && (r.adverbs.count(t[c - 1].lower) || r.have.count(t[c - 1].lower) ||
                         r.modals.count(t[c - 1].lower) || t[c - 1].lower == "long"))
          --c;
        for (size_t z = c; z-- > 0;) {
          if (item_at[z] >= 0) {
            const Item& it = items[static_cast<size_t>(item_at[z])];
            if (lists[static_cast<size_t>(it.list)].governed_by.empty() && !it.possessive)
              holder = it.list;
            break;
          }
          if (GapHas(t[z + 1].gap, ",;:") || IsVerbWord(z)) break;
        }
      } else if (b > 0 && GapHas(t[b].gap, ",") && item_at[b - 1] >= 0) {
        holder = items[static_cast<size_t>(item_at[b - 1])].list;  // apposition
      }
      if (holder < 0) continue;
      std::string relation = role.relation;
      if (auto q = role.qualified.find(qualifier); q != role.qualified.end()) relation = q->second;
      std::string why = "role '" + t[i].raw + "'";
      std::string domain = DomainFor(relation, role.domain);
      if (role.holder_is_src)
        Emit(relation, holder, other, false, modality, domain, why);
      else
        Emit(relation, other, holder, false, modality, domain, why);
    }
  }

  // "Chinese entities", "two Chinese parties": a demonym on a group noun is
  // a group of that state's; "entities in China" too. Groups become nodes
  // only when a claim needs them; their place comes with them.
  void Groups() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (item_at[i] >= 0) continue;
      std::string w = t[i].lower;
      bool institution = r.institution_heads.count(w) > 0;
      // "Russia's invasion of Ukraine", "U.S. sanctions on Russia": an event
      // or a measure named by its noun phrase.
      bool event = r.event_heads.count(w) > 0;
      bool policy = r.policy_heads.count(w) > 0;
      if (!r.group_nouns.count(w) && !institution && !event && !policy) continue;
      // The noun phrase: determiners, numbers, demonyms and adjectives before.
      size_t a = i;
      int demonym = -1, owner = -1;
      int words = 0;
      bool specific = false;
      while (a > 0 && words < 5 && !GapHas(t[a].gap, ",;:()")) {
        size_t p = a - 1;
        if (item_at[p] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[p])];
          if (it.kind == Item::kDemonym) {
            demonym = item_at[p];
          } else if (it.kind == Item::kName && Space(t[it.last + 1].gap) && owner < 0) {
            owner = item_at[p];  // "Huawei affiliates"
            specific = true;
            p = it.first;
          } else if (it.kind == Item::kReference && it.possessive && owner < 0) {
            owner = item_at[p];  // "its subsidiaries"
            specific = true;
            p = it.first;
          } else {
            break;
          }
        } else if (IsNumber(t[p].lower) || r.determiners.count(t[p].lower) ||
                   r.number_words.count(t[p].lower)) {
          specific = specific || IsNumber(t[p].lower) || r.number_words.count(t[p].lower) ||
                     t[p].lower == "these" || t[p].lower == "those" || t[p].lower == "its" ||
                     t[p].lower == "their";
        } else if (IsFunctionWord(t[p].lower) ||
                   (IsVerbWord(p) && !(t[p].lower.ends_with("ed") && p + 1 == a)) ||
                   r.adverbs.count(t[p].lower) || t[p].capitalised) {
          break;
        }
        a = p;
        ++words;
      }
      if (a < i && r.prepositions.count(t[a].lower)) ++a;
      // "entities in China", "companies on the Entity List".
      int where = -1;  // an item index
      std::string where_prep;
      if (i + 1 < t.size() && (t[i + 1].lower == "in" || t[i + 1].lower == "on" ||
                               t[i + 1].lower == "outside" || t[i + 1].lower == "from"))
        for (size_t y = i + 2; y < t.size() && y < i + 5; ++y)
          if (item_at[y] >= 0) {
            where = item_at[y];
            where_prep = t[i + 1].lower;
            break;
          }
      // What an event or a measure is aimed at: "of Ukraine", "on Russia".
      int target = -1;
      size_t end = i;
      if ((event || policy) && i + 2 < t.size() &&
          (t[i + 1].lower == "of" || t[i + 1].lower == "on" || t[i + 1].lower == "against" ||
           t[i + 1].lower == "in") &&
          !GapHas(t[i + 1].gap, ",;:()")) {
        size_t y = i + 2;
        while (y < t.size() && y < i + 4 && item_at[y] < 0 && r.determiners.count(t[y].lower)) ++y;
        if (y < t.size() && item_at[y] >= 0 && !GapHas(t[y].gap, ",;:()")) {
          target = item_at[y];
          end = items[static_cast<size_t>(target)].last;
        }
      }
      if (event || policy) {
        // Only with an owner ("Russia's invasion") or a target ("sanctions on Russia").
        if (owner < 0 && demonym < 0 && target < 0) continue;
        if (event && owner < 0 && demonym < 0) continue;
        if (r.group_nouns.count(w) || institution) {
          // a plural like "sanctions" is a measure, not a group
        }
      } else {
        if (demonym < 0 && where < 0 && !specific) continue;
        // "Russia's military", "the Russian economy": only with an owner.
        if (institution && !r.group_nouns.count(w) && demonym < 0 && owner < 0) continue;
      }
      while (a < i && r.determiners.count(t[a].lower) && t[a].lower != "its" &&
             t[a].lower != "their")
        ++a;
      std::string name = Possessiveless(Surface(a, end));
      std::string type = event                          ? "event"
                         : policy                       ? "policy"
                         : r.group_types.count(w)       ? r.group_types.at(w)
                         : r.institution_heads.count(w) ? r.institution_heads.at(w)
                                                        : "group";
      if (!schema().HasNodeType(type)) type = "group";
      if (!schema().HasNodeType(type)) continue;
      std::string slug = Slugify(name);
      if (slug.empty()) continue;
      Item it;
      it.first = a;
      it.last = end;
      it.slugs = {slug};
      it.type = type;
      it.surface = name;
      it.kind = Item::kGroup;
      PendingGroup pg;
      pg.always = event || policy;
      if (target >= 0) pg.target = items[static_cast<size_t>(target)];
      pg.item = it;
      if (demonym >= 0) pg.demonym = items[static_cast<size_t>(demonym)];
      if (owner >= 0) pg.owner = items[static_cast<size_t>(owner)];
      pg.where = where;
      pg.where_prep = where_prep;
      pg.name = name;
      pending_groups_.push_back(std::move(pg));
    }
  }
  struct PendingGroup {
    Item item;
    std::optional<Item> demonym, owner, target;  // folded into the group's noun phrase
    bool always = false;  // proposed even when no claim uses it (events, measures)
    int where = -1;       // an item: "in China", "on the Entity List"
    std::string where_prep, name;
  };
  std::vector<PendingGroup> pending_groups_;

  void AddGroups() {
    for (auto& g : pending_groups_) {
      bool free = true;
      for (size_t k = g.item.first; k <= g.item.last; ++k)
        if (item_at[k] >= 0 && items[static_cast<size_t>(item_at[k])].kind != Item::kDemonym &&
            !(g.owner && k >= g.owner->first && k <= g.owner->last))
          free = false;
      if (!free) continue;
      // The demonym inside stays a mention of its state, for the place link.
      for (size_t k = g.item.first; k <= g.item.last; ++k) item_at[k] = -1;
      size_t idx = items.size();
      items.push_back(g.item);
      group_types_[g.item.slugs[0]] = g.item.type;
      for (size_t k = g.item.first; k <= g.item.last; ++k) item_at[k] = static_cast<int>(idx);
      group_items_.push_back(
          GroupItem{idx, g.demonym, g.owner, g.target, g.always, g.where, g.where_prep, g.name});
      // Items folded into the group are gone from the sentence's list.
      for (auto& other : items)
        if (&other != &items[idx] && other.first >= g.item.first && other.last <= g.item.last)
          other.slugs.clear();
    }
    pending_groups_.clear();
  }
  struct GroupItem {
    size_t item;
    std::optional<Item> demonym, owner, target;
    bool always = false;
    int where;
    std::string where_prep, name;
  };
  std::vector<GroupItem> group_items_;

  void GroupClaims() {
    std::set<std::string> used;
    for (const auto& c : claims) {
      used.insert(c.src);
      used.insert(c.dst);
    }
    for (const auto& g : group_items_) {
      const Item& it = items[g.item];
      if (!used.count(it.slugs[0]) && !g.always) continue;
      // A group in a claim is proposed, with where it is.
      if (!node_index.count(it.slugs[0])) {
        node_index[it.slugs[0]] = nodes.size();
        nodes.push_back(ProseNode{it.slugs[0], it.type, g.name, false,
                                  "a " + it.type + " named by a noun phrase ('" + g.name + "')"});
      }
      if (it.type == "policy" && g.target) {
        // The measure targets its target, and its owner imposes it.
        const Item& x = *g.target;
        EmitOne("targets", it.slugs[0], x.slugs[0], g.name, x.surface, false, "observed",
                DomainFor("sanctions", ""), "'" + g.name + "'");
        for (const auto& o : {g.owner, g.demonym})
          if (o && !o->slugs.empty())
            EmitOne("sanctions", o->slugs[0], x.slugs[0], o->surface, x.surface, false, "observed",
                    DomainFor("sanctions", ""), "'" + g.name + "'");
      }
      if (g.demonym && it.type == "group") {
        const Item& d = *g.demonym;
        EmitOne("located_in", it.slugs[0], d.slugs[0], g.name, d.surface, false, "observed",
                "politics", "nationality adjective '" + d.surface + "'");
      }
      if (g.owner && !g.owner->slugs.empty()) {
        const Item& o = *g.owner;
        bool place = o.type == "state" || o.type == "bloc" || o.type == "place";
        EmitOne(place ? "located_in" : "part_of", it.slugs[0], o.slugs[0], g.name, o.surface, false,
                "observed", "politics", "'" + g.name + "' of '" + o.surface + "'");
      }
      if (g.where >= 0) {
        std::string rel = g.where_prep == "on" ? "member_of" : "located_in";
        for (const auto& [m, ms] : Members(items[static_cast<size_t>(g.where)].list))
          if (g.where_prep != "outside")
            EmitOne(rel, it.slugs[0], m, g.name, ms, false, "observed",
                    rel == "member_of" ? DomainFor("member_of", "") : "politics",
                    "'" + g.name + " " + g.where_prep + " " + ms + "'");
      }
    }
  }

  // Organisations inside organisations: "the Commerce Department's Bureau
  // of Industry and Security", "its Bureau of ...", "the Office of Foreign
  // Assets Control in the Department of the Treasury".
  void StructureClaims() {
    auto org = [](const Item& x) { return x.type == "organisation"; };
    for (size_t k = 0; k + 1 < items.size(); ++k) {
      const Item& a = items[k];
      const Item& b = items[k + 1];
      if (a.slugs.empty() || b.slugs.empty() || a.slugs[0] == b.slugs[0]) continue;
      if (a.possessive && org(a) && org(b) && b.first == a.last + 1 && Space(t[b.first].gap))
        EmitOne("part_of", b.slugs[0], a.slugs[0], b.surface, a.surface, false, "observed",
                "politics", "'" + a.surface + " " + b.surface + "'");
      if (org(a) && org(b) && b.governed_by == "in" && b.np_first <= a.last + 3)
        EmitOne("part_of", a.slugs[0], b.slugs[0], a.surface, b.surface, false, "observed",
                "politics", "'" + a.surface + " in " + b.surface + "'");
    }
  }

  // "China-based", "Shenzhen-based": where the noun phrase's head is.
  void PlaceClaims() {
    for (size_t i = 1; i < t.size(); ++i) {
      if (t[i].lower != "based" || t[i].gap != "-" || item_at[i - 1] < 0) continue;
      const Item& place = items[static_cast<size_t>(item_at[i - 1])];
      // The thing based there: the next item, or a definite reference.
      for (size_t y = i + 1; y < t.size() && y < i + 4; ++y)
        if (item_at[y] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[y])];
          for (const auto& [p, ps] : Members(place.list))
            EmitOne("located_in", it.slugs[0], p, it.surface, ps, false, "observed", "politics",
                    "'" + place.surface + "-based'");
          break;
        }
    }
  }

  void Remember() {
    ++sentence_no;
    last_mentions.clear();
    std::set<size_t> subjects;
    for (int s : subjects_)
      if (s >= 0)
        for (size_t k : lists[static_cast<size_t>(s)].items) subjects.insert(k);
    for (size_t k = 0; k < items.size(); ++k) {
      const Item& it = items[k];
      if (it.kind == Item::kPair || it.kind == Item::kDemonym) continue;
      for (const auto& s : it.slugs) {
        last_mentions.push_back(s);
        recent.push_back(Recent{s, TypeOf(s), NameOf(s), sentence_no, subjects.count(k) > 0,
                                it.kind == Item::kGroup});
      }
    }
    // The subject of the sentence stays the likeliest antecedent of "it".
    std::stable_partition(recent.begin(), recent.end(), [&](const Recent& x) {
      return !(x.sentence == sentence_no && x.subject);
    });
    if (recent.size() > 64) recent.erase(recent.begin(), recent.end() - 64);
  }

  // The two parties a note is about: "Russian-Chinese talks", "Russia–China".
  void LearnPair() {
    if (!pair.empty()) return;
    for (size_t k = 0; k + 1 < items.size(); ++k) {
      const Item& a = items[k];
      const Item& b = items[k + 1];
      if (b.first == a.last + 1 && DashGap(t[b.first].gap) && a.type == "state" &&
          b.type == "state" && a.slugs[0] != b.slugs[0]) {
        pair = {a.slugs[0], b.slugs[0]};
        return;
      }
    }
  }

  Result<std::vector<ProseClaim>> Read(const Sentence& s) {
    if (s.section != section || s.paragraph != paragraph) {
      section = s.section;
      paragraph = s.paragraph;
    }
    text = s.text;
    t = Tokenize(text);
    for (auto& tok : t)
      if (tok.cyrillic) tok.lower = NormalizeName(tok.raw);
    items.clear();
    lists.clear();
    preds.clear();
    claims.clear();
    group_items_.clear();
    group_types_.clear();
    subjects_.clear();
    item_at.assign(t.size(), -1);
    SINEW_RETURN_IF_ERROR(FindNames());
    ExtendWithHeads();
    FindDemonyms();
    LearnPair();
    FindReferences();
    FindNewNames();
    std::sort(items.begin(), items.end(),
              [](const Item& a, const Item& b) { return a.first < b.first; });
    std::fill(item_at.begin(), item_at.end(), -1);
    for (size_t k = 0; k < items.size(); ++k)
      for (size_t x = items[k].first; x <= items[k].last; ++x) item_at[x] = static_cast<int>(k);
    MergeParentheticals();
    Groups();
    AddGroups();
    // Items in token order; those folded into groups drop out.
    std::vector<size_t> order;
    for (size_t k = 0; k < items.size(); ++k)
      if (!items[k].slugs.empty()) order.push_back(k);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return items[a].first < items[b].first; });
    std::vector<Item> sorted;
    std::vector<int> new_of(items.size(), -1);
    for (size_t k = 0; k < order.size(); ++k) {
      new_of[order[k]] = static_cast<int>(k);
      sorted.push_back(items[order[k]]);
    }
    items = std::move(sorted);
    for (auto& g : group_items_) {
      g.item = static_cast<size_t>(new_of[g.item]);
      if (g.where >= 0) g.where = new_of[static_cast<size_t>(g.where)];
    }
    std::fill(item_at.begin(), item_at.end(), -1);
    for (size_t k = 0; k < items.size(); ++k)
      for (size_t x = items[k].first; x <= items[k].last; ++x) item_at[x] = static_cast<int>(k);
    NounPhrases();
    Lists();
    Predicates();
    is_pred_.assign(t.size(), 0);
    for (const auto& p : preds) is_pred_[p.verb] = 1;
    Hedges();
    VerbClaims();
    NounClaims();
    RoleClaims();
    PlaceClaims();
    StructureClaims();
    GroupClaims();
    if (debug_) Dump();
    Remember();
    return claims;
  }
};

Status ProseReader::Prepare(const std::vector<Sentence>& sentences) {
  Impl& m = *impl_;
  std::map<std::string, int> count;
  int total = 0;
  for (const auto& s : sentences) {
    std::vector<Token> t = Tokenize(s.text);
    Result<std::vector<Mention>> linked = LinkNames(m.view, t, s.text);
    if (!linked.ok()) return linked.status();
    for (const auto& x : linked.value())
      if (x.candidates.size() == 1 && x.candidates[0].type == "state") {
        ++count[x.candidates[0].slug];
        ++total;
      }
    for (const auto& tok : t)
      if (tok.capitalised && !tok.cyrillic)
        if (auto d = m.r.demonyms.find(tok.lower); d != m.r.demonyms.end()) {
          ++count[d->second];
          ++total;
        }
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [slug, n] : count) ranked.push_back({n, slug});
  std::sort(ranked.rbegin(), ranked.rend());
  // Two states that dominate the note make its pair.
  if (ranked.size() >= 2 && ranked[1].first >= 2 &&
      (ranked[0].first + ranked[1].first) * 10 >= total * 6 &&
      (ranked.size() < 3 || ranked[1].first >= 2 * ranked[2].first))
    m.pair = {ranked[0].second, ranked[1].second};
  return Status::Ok();
}

ProseReader::ProseReader(const StoreView& view, const ExtractionRules& rules)
    : impl_(std::make_unique<Impl>(view, rules)) {}
ProseReader::~ProseReader() = default;
Result<std::vector<ProseClaim>> ProseReader::Read(const Sentence& s) { return impl_->Read(s); }
const std::vector<ProseNode>& ProseReader::nodes() const { return impl_->nodes; }
const std::vector<std::string>& ProseReader::last_mentions() const { return impl_->last_mentions; }

}  // namespace sinew::ingest
