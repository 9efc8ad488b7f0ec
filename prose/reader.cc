// Reading claims out of prose by clause structure (docs/ingest.md): the
// names of a sentence (linked, proposed, nationality adjectives, pronouns
// and definite descriptions resolved within the paragraph, the two parties
// of a bilateral note), the noun phrases they head, coordinated lists, and
// for each verb its voice, negation, modality, subject and objects; verb,
// noun and role frames from corpus/rules.json turn those into links.
//
// This file: the reader's state per note and per sentence, and the order
// of the steps (reader.h lists them).
#include "prose/reader.h"

namespace sinew::prose {

ProseReader::Impl::Impl(const StoreView& v, const ExtractionRules& rules) : view(v), r(rules) {
  const char* d = std::getenv("SINEW_PROSE_DEBUG");
  debug_ = d && *d && std::string(d) != "0" ? std::max(1, std::atoi(d)) : 0;
}

void ProseReader::Impl::Dump() {
  std::string out = "\n# " + text.substr(0, 160) + "\n  items:";
  for (size_t k = 0; k < items.size(); ++k) {
    const Item& it = items[k];
    out += " [" + std::to_string(k) + " " + it.surface + " =" + it.slugs[0] +
           (it.slugs.size() > 1 ? "+" + it.slugs[1] : "") + " " + it.type +
           (it.adjectival ? " adj" : "") + (it.possessive ? " poss" : "") +
           (it.governed_by.empty() ? "" : " <" + it.governed_by) + " L" + std::to_string(it.list) +
           "]";
  }
  if (debug_ > 1) {  // SINEW_PROSE_DEBUG=2: the tokens and the gaps before them
    out += "\n  tokens:";
    for (const Token& tok : t) out += " '" + tok.gap + "'" + tok.raw + (tok.acronym ? "^" : "");
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
  // The note is anyone's text: its control characters do not reach the terminal.
  fprintf(stderr, "%s\n", TerminalSafe(out).c_str());
}

std::string ProseReader::Impl::TypeOf(const std::string& slug) {
  auto it = node_index.find(slug);
  if (it != node_index.end()) return nodes[it->second].type;
  if (auto g = group_types_.find(slug); g != group_types_.end()) return g->second;
  if (Result<NodeRecord> n = view.NodeBySlug(slug); n.ok()) return n->type;
  return "";
}

std::string ProseReader::Impl::NameOf(const std::string& slug) {
  auto it = node_index.find(slug);
  if (it != node_index.end()) return nodes[it->second].name;
  if (Result<NodeRecord> n = view.NodeBySlug(slug); n.ok()) return n->name;
  return slug;
}

void ProseReader::Impl::Known(const NodeRecord& n) {
  if (node_index.count(n.slug)) return;
  node_index[n.slug] = nodes.size();
  nodes.push_back(ProseNode{n.slug, n.type, n.name, true, ""});
}

std::string ProseReader::Impl::Propose(const std::string& written, const std::string& type,
                                       const std::string& why) {
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

bool ProseReader::Impl::IsVerbWord(size_t i) const {
  const std::string& w = t[i].lower;
  return r.verbs.count(w) || r.be.count(w) || r.have.count(w) || r.other_verbs.count(w) ||
         r.modals.count(w);
}

bool ProseReader::Impl::FiniteOrGoverned(size_t i, const std::string& w,
                                         const std::string& lemma) const {
  bool base = w == lemma;
  bool s_form = !base && (w == lemma + "s" || w == lemma + "es" ||
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
    return after_subject || r.modals.count(prev) || prev == "to" || prev == "not" || prev == "do" ||
           prev == "does" || prev == "did" || prev.ends_with("n't") || prev == "and" ||
           prev == "or";
  // An -s form: a verb unless a modifier, determiner, verb or preposition comes before.
  if (after_subject) return true;
  return !(r.determiners.count(prev) || r.prepositions.count(prev) || IsVerbWord(q - 1) ||
           r.noun_modifiers.count(prev) || IsNumber(prev) || GapHas(t[q].gap, ","));
}

bool ProseReader::Impl::IsFunctionWord(const std::string& w) const {
  return r.determiners.count(w) || r.prepositions.count(w) || r.conjunctions.count(w) ||
         r.relatives.count(w) || r.be.count(w) || r.have.count(w) || r.modals.count(w);
}

void ProseReader::Impl::Remember() {
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
  std::stable_partition(recent.begin(), recent.end(),
                        [&](const Recent& x) { return !(x.sentence == sentence_no && x.subject); });
  if (recent.size() > 64) recent.erase(recent.begin(), recent.end() - 64);
}

void ProseReader::Impl::LearnPair() {
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

Result<std::vector<ProseClaim>> ProseReader::Impl::Read(const Sentence& s) {
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
  ShareClaims();
  StructureClaims();
  GroupClaims();
  if (debug_) Dump();
  Remember();
  return claims;
}

Status ProseReader::Prepare(const std::vector<Sentence>& sentences) {
  Impl& m = *impl_;
  std::map<std::string, int> count;
  int total = 0;
  for (const auto& s : sentences) {
    std::vector<Token> t = Tokenize(s.text);
    Result<std::vector<Mention>> linked = LinkNames(m.view, t, s.text, &m.names_seen);
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

}  // namespace sinew::prose
