// Noun phrases, coordinated lists, parentheticals, and each verb with its
// voice, negation, modality, subject and roles; hedges per clause.
#include "prose/reader.h"

namespace sinew::prose {

void ProseReader::Impl::NounPhrases() {
  for (auto& it : items) {
    it.possessive = it.possessive || EndsPossessive(t[it.last].raw);
    // The gap after the name, without the full stop of an abbreviation
    // ("U.S.-origin", "U.S. policy").
    std::string after = it.last + 1 < t.size() ? t[it.last + 1].gap : "";
    // An abbreviation: capitals and full stops ("EU", "U.S", read as "U" "S").
    bool abbreviated =
        it.surface.size() <= 6 &&
        std::all_of(it.surface.begin(), it.surface.end(),
                    [](char c) { return (c >= 'A' && c <= 'Z') || c == '.'; }) &&
        std::count_if(it.surface.begin(), it.surface.end(), [](char c) { return c != '.'; }) >= 2;
    if (!after.empty() && after[0] == '.' && abbreviated) after.erase(0, 1);
    it.hyphen_next = it.last + 1 < t.size() && after == "-";
    // "U.S.-origin items", "Russia-led organisations": a modifier, not an argument.
    if (it.hyphen_next && r.adjectival_suffixes.count(t[it.last + 1].lower)) it.adjectival = true;
    bool state_like = it.kind == Item::kName && (it.type == "state" || it.type == "bloc");
    // "non-U.S. affiliates", "anti-Russia measures".
    if (state_like && it.first > 0 && t[it.first].gap == "-" &&
        (t[it.first - 1].lower == "non" || t[it.first - 1].lower == "anti" ||
         t[it.first - 1].lower == "pro"))
      it.adjectival = true;
    // "U.S. policy", "EU legislation", "U.S. affiliates": an abbreviated name
    // before a noun (or a group it qualifies).
    if (state_like && abbreviated && it.last + 1 < t.size() && Space(after) &&
        !t[it.last + 1].capitalised &&
        (item_at[it.last + 1] < 0 ||
         items[static_cast<size_t>(item_at[it.last + 1])].kind == Item::kGroup) &&
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
    else if (k > 0 && GapHas(t[k].gap, ",") && !GapHas(t[k].gap, ";:()")) {
      // "controlled by, directly or indirectly, EN+ Group": an adverbial
      // aside between the preposition and its noun phrase.
      size_t p = k;
      int aside = 0;
      while (p > 0 && aside < 5 && !GapHas(t[p].gap, ";:()") &&
             (r.adverbs.count(t[p - 1].lower) || t[p - 1].lower == "or" ||
              t[p - 1].lower == "and" || t[p - 1].lower.ends_with("ly"))) {
        --p;
        ++aside;
        if (GapHas(t[p].gap, ",")) break;
      }
      if (aside > 0 && p > 0 && GapHas(t[p].gap, ",") && r.prepositions.count(t[p - 1].lower))
        it.governed_by = t[p - 1].lower;
    }
  }
}

void ProseReader::Impl::MergeParentheticals() {
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

void ProseReader::Impl::Lists() {
  // Lists whose last join was a conjunction: "A, B and C" is whole, and a
  // comma after it starts something else ("… and Kherson regions, the
  // Council decided").
  std::vector<bool> closed;
  for (size_t k = 0; k < items.size(); ++k) {
    Item& it = items[k];
    if (k > 0 && items[k - 1].list >= 0) {
      Item& prev = items[k - 1];
      // Joined when only a comma, "and", "or", "as well as" and
      // determiners stand between the two.
      bool joined = true;
      bool conj = false;
      int depth = 0;  // inside a parenthesis: "the European Union (EU), the United Kingdom"
      for (size_t x = prev.last + 1; x < it.np_first && joined; ++x) {
        const std::string& w = t[x].lower;
        for (char c : t[x].gap) depth = std::max(0, depth + (c == '(' ? 1 : c == ')' ? -1 : 0));
        if (depth > 0) continue;
        if (w == "and" || w == "or" || w == "nor")
          conj = true;
        else if (w == "as" || w == "well")
          conj = true;
        else if (!r.determiners.count(w))
          joined = false;
      }
      // (A parenthesis the name before absorbed closes here: "Union (EU),".)
      for (char c : t[it.np_first].gap)
        depth = std::max(0, depth + (c == '(' ? 1 : c == ')' ? -1 : 0));
      bool comma = GapHas(t[it.np_first].gap, ",");
      if (joined && depth == 0 && (conj || comma) && !GapHas(t[it.np_first].gap, ";:(") &&
          !(prev.kind == Item::kDemonym && it.kind != Item::kDemonym && !prev.possessive) &&
          it.governed_by.empty() && (conj || !closed[static_cast<size_t>(prev.list)])) {
        it.list = prev.list;
        lists[static_cast<size_t>(it.list)].items.push_back(k);
        lists[static_cast<size_t>(it.list)].last = it.last;
        closed[static_cast<size_t>(it.list)] = conj;
        continue;
      }
    }
    it.list = static_cast<int>(lists.size());
    lists.push_back(List{{k}, it.np_first, it.last, it.governed_by});
    closed.push_back(false);
  }
  // A chain joined only by commas is no list ("of Ukraine, the United
  // States has ..."): split it unless "and", "or" or "as well as" joins it.
  for (size_t l = 0; l < lists.size(); ++l) {
    List& list = lists[l];
    if (list.items.size() < 2) continue;
    bool conj = false;
    for (size_t x = list.first; x <= list.last && !conj; ++x)
      conj = item_at[x] < 0 && (t[x].lower == "and" || t[x].lower == "or" || t[x].lower == "nor" ||
                                t[x].lower == "well");
    // "the EU, the UK, and other allies": the conjunction comes after the
    // names, before a group the reader does not name.
    size_t after = list.last + 1;
    conj = conj || (after + 1 < t.size() && (t[after].lower == "and" || t[after].lower == "or") &&
                    item_at[after + 1] < 0 && !IsVerbWord(after + 1));
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

void ProseReader::Impl::Predicates() {
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
    if (i + 1 < t.size() && t[i + 1].lower == "of" && !t[i].cyrillic && w != lemma + "ed") continue;
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
      } else if ((x == "or" || x == "and") && g >= 2 && t[g - 2].lower.ends_with("ed") &&
                 !GapHas(t[g - 1].gap, ",;:()")) {
        --g;  // "owned or controlled by": the first participle shares the auxiliaries
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
    // "items produced by X", "E.O. 14024, as amended by E.O. 14114".
    bool after_name =
        g > 0 && (item_at[g - 1] >= 0 || (g > 1 && t[g - 1].lower == "as" && item_at[g - 2] >= 0));
    if (!p.passive && past && !be && after_name && !p.gerund && i + 1 < t.size() &&
        t[i + 1].lower == "by")
      p.passive = p.participle = true;
    if (g > 0 && r.relatives.count(t[g - 1].lower)) p.relative = true;
    // Governing words: "seek to", "plans to", "avoided endorsing".
    if (g > 0) {
      const std::string& gov = t[g - 1].lower;
      std::string gov_lemma = gov;
      if (r.hedge_verbs.count(gov) && (p.infinitive || p.gerund)) p.modality = "projected";
      if (r.negative_verbs.count(gov)) p.negated = true;
      if (g > 1 && (p.infinitive) && r.hedge_verbs.count(t[g - 2].lower)) p.modality = "projected";
    }
    preds.push_back(p);
  }
}

bool ProseReader::Impl::ClauseBoundary(size_t x) const {
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

int ProseReader::Impl::SubjectOf(const Predicate& p, size_t pi) {
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

int ProseReader::Impl::FindSubject(const Predicate& p, size_t pi) {
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

auto ProseReader::Impl::RolesOf(const Predicate& p) -> Roles {
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
  bool head_done = false;   // the nameless object's words have ended
  bool words_done = false;  // and the "in"/"of" phrase after them
  for (size_t x = p.verb + 1; x < end; ++x) {
    if (item_at[x] < 0) {
      // The head of a nameless object, its last word before a preposition:
      // "imposed sanctions on", "impose stringent export controls on".
      const std::string& w = t[x].lower;
      bool punctuated = x > p.verb + 1 && GapHas(t[x].gap, ",;:()");
      if (punctuated || object_seen) words_done = true;
      if (head_done || object_seen || punctuated) {
        head_done = head_done || !out.object_head.empty();
        if (!words_done && !IsFunctionWord(w)) out.object_words.insert(w);
        if (!words_done && r.prepositions.count(w) && w != "in" && w != "of") words_done = true;
        continue;
      }
      if (r.prepositions.count(w) || r.conjunctions.count(w) || r.relatives.count(w)) {
        head_done = !out.object_head.empty();
        // A preposition before the head ("over $2.5 million") ends nothing.
        if (w != "in" && w != "of" && head_done) words_done = true;
        continue;
      }
      if (!r.determiners.count(w) && !r.adverbs.count(w) && !IsNumber(w)) {
        out.object_head = w;
        out.object_words.insert(w);
      }
      continue;
    }
    head_done = head_done || !out.object_head.empty();
    words_done = true;
    const Item& it = items[static_cast<size_t>(item_at[x])];
    const List& l = lists[static_cast<size_t>(it.list)];
    if (it.adjectival) continue;
    x = std::max(x, l.last);
    std::string role = l.governed_by;
    // "for the Kremlin's war on Ukraine": a phrase after an event noun
    // belongs to the noun, not the verb.
    if (!role.empty() && l.first >= 2 && t[l.first - 1].lower == role &&
        r.event_heads.count(t[l.first - 2].lower))
      continue;
    if (role.empty()) {
      if (it.possessive) continue;  // a possessor inside the object ("China's exports")
      role = object_seen ? "object2" : "object";
      object_seen = true;
    }
    if (!out.role.count(role)) out.role[role] = it.list;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ProseReader::Impl::Members(int list) {
  std::vector<std::pair<std::string, std::string>> out;
  if (list < 0) return out;
  for (size_t k : lists[static_cast<size_t>(list)].items)
    for (const auto& s : items[k].slugs) out.push_back({s, items[k].surface});
  return out;
}

bool ProseReader::Impl::Fits(const std::string& relation, const std::string& src,
                             const std::string& dst) {
  const EdgeTypeInfo* e = schema().FindEdgeType(relation);
  if (!e || src == dst) return false;
  return schema().CheckEndpoints(*e, TypeOf(src), TypeOf(dst)).ok();
}

void ProseReader::Impl::Emit(const std::string& relation, int src_list, int dst_list, bool negated,
                             const std::string& modality, const std::string& domain,
                             const std::string& basis, int strength) {
  for (const auto& [s, ss] : Members(src_list))
    for (const auto& [d, ds] : Members(dst_list))
      EmitOne(relation, s, d, ss, ds, negated, modality, domain, basis, strength);
}

void ProseReader::Impl::EmitOne(const std::string& relation, const std::string& s,
                                const std::string& d, const std::string& ss, const std::string& ds,
                                bool negated, const std::string& modality,
                                const std::string& domain, const std::string& basis, int strength) {
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

std::string ProseReader::Impl::DomainFor(const std::string& relation,
                                         const std::string& preferred) {
  for (const auto& [domain, words] : r.domain_words)
    for (const auto& x : t)
      if (words.count(x.lower) && schema().DomainCode(domain) > 0) return domain;
  if (!preferred.empty()) return preferred;
  auto it = r.type_domains.find(relation);
  if (it != r.type_domains.end()) return it->second;
  return r.default_domain;
}

void ProseReader::Impl::Hedges() {
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

std::string ProseReader::Impl::ClauseModality(size_t at) {
  if (at >= clause_of_.size()) return "observed";
  return clause_mod_[static_cast<size_t>(clause_of_[at])];
}

std::string ProseReader::Impl::Combine(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& m) {
    return m == "hypothetical" ? 3 : m == "projected" ? 2 : m == "assessed" ? 1 : 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace sinew::prose
