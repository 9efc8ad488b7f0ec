// The names of a sentence: linked, Russian, nationality adjectives, new
// names proposed, and references resolved within the paragraph.
#include "prose/reader.h"

namespace sinew::prose {

void ProseReader::Impl::AddItem(Item it) {
  for (size_t k = it.first; k <= it.last; ++k)
    if (item_at[k] >= 0) return;  // overlaps an earlier (longer) mention
  size_t idx = items.size();
  for (size_t k = it.first; k <= it.last; ++k) item_at[k] = static_cast<int>(idx);
  items.push_back(std::move(it));
}

void ProseReader::Impl::AddProposed(size_t first, size_t last, const std::string& slug,
                                    const std::string& name) {
  Item it;
  it.first = first;
  it.last = last;
  it.slugs = {slug};
  it.type = TypeOf(slug);
  it.surface = name;
  AddItem(std::move(it));
}

std::string ProseReader::Impl::Surface(size_t a, size_t b) const {
  return text.substr(t[a].byte_start, t[b].byte_end - t[a].byte_start);
}

void ProseReader::Impl::InstrumentNames(const std::vector<Mention>& linked) {
  const std::set<std::string>* heads = nullptr;
  for (const auto& [type, words] : r.new_node_types)
    if (type == "policy") heads = &words;
  // In a headline every word is capitalised: no run there is a name.
  if (!heads || (IsTitleCase(text) && t.size() >= 4)) return;
  auto name_word = [&](size_t k) {
    return k < t.size() && (t[k].capitalised || t[k].acronym) && !t[k].cyrillic;
  };
  size_t i = 0;
  while (i < t.size()) {
    if (!name_word(i)) {
      ++i;
      continue;
    }
    // The capitalised run, joined by "of", "on the", ... ("Keep Huawei on the Entity List Act").
    size_t j = i;
    while (j + 1 < t.size() && Space(t[j + 1].gap) && !EndsPossessive(t[j].raw)) {
      if (name_word(j + 1)) {
        ++j;
        continue;
      }
      size_t k = j + 2;
      if (r.instrument_joins.count(t[j + 1].lower) && k < t.size() && Space(t[k].gap) &&
          t[k].lower == "the")
        ++k;
      if (r.instrument_joins.count(t[j + 1].lower) && name_word(k) && Space(t[k].gap)) {
        j = k;
        continue;
      }
      break;
    }
    size_t a = i;
    while (a < j && t[a].lower == "the") ++a;
    size_t next = j + 1;
    if (j < a + 2 || !heads->count(t[j].lower)) {
      i = next;
      continue;
    }
    std::vector<const Mention*> inside;
    bool crosses = false, head_named = false;
    for (const auto& m : linked) {
      if (m.last < a || m.first > j) continue;
      if (m.first < a || m.last > j) crosses = true;
      if (m.last >= j) head_named = true;
      inside.push_back(&m);
    }
    size_t free_words = 0;  // capitalised words no linked name holds, but the head
    for (size_t k = a; k < j; ++k) {
      bool held = std::any_of(inside.begin(), inside.end(),
                              [&](const Mention* m) { return k >= m->first && k <= m->last; });
      free_words += !held && name_word(k);
    }
    if (crosses || head_named || inside.empty() || free_words == 0) {
      i = next;
      continue;
    }
    std::string name = Surface(a, j);
    std::string slug = Propose(name, "policy", "a named instrument ('" + t[j].raw + "')");
    if (!slug.empty()) {
      AddProposed(a, j, slug, name);
      for (const Mention* m : inside)
        if (m->candidates.size() == 1 && m->candidates[0].type == "company")
          named_in_.push_back({slug, name, m->candidates[0].slug, m->surface});
    }
    i = next;
  }
}

Status ProseReader::Impl::FindNames() {
  Result<std::vector<Mention>> linked = LinkNames(view, t, text, &names_seen);
  if (!linked.ok()) return linked.status();
  named_in_.clear();
  InstrumentNames(linked.value());
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

std::string ProseReader::Impl::RuStem(const std::string& w) {
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

Status ProseReader::Impl::LinkRussian(size_t i) {
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

void ProseReader::Impl::ExtendWithHeads() {
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

void ProseReader::Impl::FindDemonyms() {
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
               (item_at[i + 1] >= 0 || !IsFunctionWord(t[i + 1].lower)) && !DashGap(t[i + 1].gap)) {
      it.adjectival = true;
    }
    it.surface = Surface(it.first, it.last);
    AddItem(it);
  }
}

void ProseReader::Impl::FindNewNames() {
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
                  t[j].lower == "faq" || t[j].lower == "regulation" || t[j].lower == "resolution" ||
                  t[j].lower == "l" || t[j].lower == "no" || t[j].lower == "act")) {
        ++j;  // "Executive Order 14024", "E.O. 14114", "H.R. 1595", "P.L. 94-412"
      } else if (r.name_joins.count(n.lower) && j + 2 < t.size() && item_at[j + 2] < 0 &&
                 plain_gap(j + 1, j + 2) && (t[j + 2].capitalised || t[j + 2].acronym)) {
        j += 2;
      } else {
        break;
      }
    }
    size_t a = i, b = j;
    i = j + 1;
    while (a <= b && r.stop_capitalised.count(t[a].raw)) ++a;
    while (b > a && (r.stop_capitalised.count(t[b].raw) || r.name_joins.count(t[b].lower))) --b;
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
      // A department's name is a title only before another ("Commerce
      // Secretary"): "Commerce Stands Strong" holds no person.
      if (r.titles.count(t[k].lower) &&
          (!r.departments.count(t[k].lower) || (k + 1 <= b && r.titles.count(t[k + 1].lower))))
        last_title = k;
    std::string type, why;
    if (last_title != SIZE_MAX) {
      size_t p = last_title + 1;
      while (p <= b && (r.name_joins.count(t[p].lower) || r.titles.count(t[p].lower))) ++p;
      // A person's name: the last two or three capitalised words.
      if (p > b) continue;  // a title alone ("Chief Scientist", "Mr President")
      size_t start = b >= 1 && b - 1 >= p ? b - 1 : b;
      if (start > p && t[start - 1].raw.size() == 1) --start;  // "Steven T. Mnuchin"
      // No verb after the title and no word a name is not made of: in
      // "Commerce Tightens Export Controls" there is no person.
      bool name_words = true;
      for (size_t k = last_title + 1; k <= b; ++k)
        name_words = name_words && !IsVerbWord(k) && !r.not_person_words.count(t[k].lower);
      if (!name_words) continue;
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
    // "G7" links when the store knows it, but "Q3" or "A4" alone is no new name.
    if (single && std::count_if(t[a].raw.begin(), t[a].raw.end(),
                                [](unsigned char c) { return std::isalpha(c); }) == 1)
      continue;
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
          plain = plain && t[k].capitalised && !t[k].acronym && !r.name_joins.count(t[k].lower) &&
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
    AddProposed(a, b, slug, name);
  }
}

void ProseReader::Impl::FindReferences() {
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

std::string ProseReader::Impl::Resolve(const std::string& want_spec) {
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

}  // namespace sinew::prose
