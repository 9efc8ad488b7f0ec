// From sentences to proposed claims: every edge, figure and new node a text
// note yields is evidence with status proposed, quoting its sentence
// verbatim with character offsets, for an analyst to review.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>

#include "ingest/ingest.h"
#include "ingest/prose.h"

namespace sinew::ingest {
namespace {

// Whether `words` occurs in `tokens` starting at `at`.
bool MatchAt(const std::vector<Token>& tokens, size_t at, const std::vector<std::string>& words) {
  if (at + words.size() > tokens.size()) return false;
  for (size_t k = 0; k < words.size(); ++k)
    if (tokens[at + k].lower != words[k]) return false;
  return true;
}

bool AnyIn(const std::vector<Token>& tokens, size_t from, size_t to,
           const std::vector<std::vector<std::string>>& phrases) {
  for (size_t i = from; i < to && i < tokens.size(); ++i)
    for (const auto& p : phrases)
      if (MatchAt(tokens, i, p)) return true;
  return false;
}

struct Known {  // a mention resolved to one node
  size_t first, last;
  std::string slug, type;
  std::string surface;  // as written: claim keys hash this, so they survive merges
};

class Extractor {
 public:
  Extractor(const StoreView& view, const ExtractionRules& rules, Batch* batch)
      : view_(view), rules_(rules), batch_(*batch) {}

  Status Sentence(const ingest::Sentence& s);

 private:
  EvidenceDraft Evidence(const ingest::Sentence& s, const std::string& key_text) {
    EvidenceDraft e;
    e.key = "t" + FingerprintHex(key_text);
    e.quote = s.text;
    e.paraphrase = false;
    e.locator.section = s.section;
    e.locator.paragraph = s.paragraph;
    e.locator.start = s.start;
    e.locator.end = s.end;
    e.status = EvidenceStatus::kProposed;
    e.place = batch_.source_place;
    return e;
  }
  // Adds a proposed node to the batch, with the evidence of why; returns it.
  NodeDraft& Propose(const std::string& slug, const std::string& type, const std::string& name,
                     EvidenceDraft evidence, std::string basis) {
    NodeDraft d;
    d.slug = slug;
    d.type = type;
    d.name = name;
    d.proposed = true;
    d.place = batch_.source_place;
    d.where.place = batch_.source_place;
    evidence.basis = std::move(basis);
    d.evidence.push_back(std::move(evidence));
    node_index_[slug] = batch_.nodes.size();
    batch_.nodes.push_back(std::move(d));
    return batch_.nodes.back();
  }
  std::string DomainOf(const std::vector<Token>& tokens, const std::string& type) const;
  Modality ModalityOf(const std::vector<Token>& tokens, bool* hedged) const;
  void Span(const std::vector<Token>& tokens, EvidenceDraft* e) const;
  void ProposeNodes(const ingest::Sentence& s, const std::vector<Token>& tokens,
                    const std::vector<Mention>& linked, std::vector<Known>* known);
  void Claims(const ingest::Sentence& s, const std::vector<Token>& tokens,
              const std::vector<Known>& known);
  void Figures(const ingest::Sentence& s, const std::vector<Token>& tokens,
               const std::vector<Known>& known);
  void AddEdge(EdgeDraft e);

  const StoreView& view_;
  const ExtractionRules& rules_;
  Batch& batch_;
  std::map<std::string, size_t> node_index_;  // proposed node slug -> batch.nodes index
  std::map<std::string, size_t> edge_index_;  // identity -> batch.edges index
  std::set<std::string> keys_;
};

std::string Extractor::DomainOf(const std::vector<Token>& tokens, const std::string& type) const {
  for (const auto& [domain, words] : rules_.domain_words)
    for (const auto& t : tokens)
      if (words.count(t.lower) && view_.schema().DomainCode(domain) > 0) return domain;
  auto it = rules_.type_domains.find(type);
  if (it != rules_.type_domains.end()) return it->second;
  return rules_.default_domain;
}

Modality Extractor::ModalityOf(const std::vector<Token>& tokens, bool* hedged) const {
  *hedged = true;
  if (AnyIn(tokens, 0, tokens.size(), rules_.hypothetical)) return Modality::kHypothetical;
  if (AnyIn(tokens, 0, tokens.size(), rules_.projected)) return Modality::kProjected;
  *hedged = false;
  if (AnyIn(tokens, 0, tokens.size(), rules_.assessment)) return Modality::kAssessed;
  return Modality::kObserved;
}

void Extractor::Span(const std::vector<Token>& tokens, EvidenceDraft* e) const {
  std::vector<std::string> dates = DatesIn(tokens);
  if (dates.empty()) return;
  // "until 2020" and "by 2021" end a span; a second date ends it too.
  bool ends = false;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const std::string& w = tokens[i].lower;
    if ((w == "until" || w == "till" || w == "through") &&
        !DatesIn({tokens.begin() + static_cast<long>(i) + 1, tokens.end()}).empty())
      ends = true;
  }
  if (dates.size() == 1) {
    (ends ? e->valid_to : e->valid_from) = dates[0];
    return;
  }
  Result<FuzzyDate> a = ParseDate(dates[0]), b = ParseDate(dates[1]);
  if (a.ok() && b.ok() && a->lo <= b->hi) {
    e->valid_from = dates[0];
    e->valid_to = dates[1];
  } else {
    e->valid_from = dates[0];
  }
}

void Extractor::ProposeNodes(const ingest::Sentence& s, const std::vector<Token>& tokens,
                             const std::vector<Mention>& linked, std::vector<Known>* known) {
  std::vector<bool> used(tokens.size(), false);
  for (const auto& m : linked)
    for (size_t k = m.first; k <= m.last; ++k) used[k] = true;
  static const std::set<std::string> kJoins = {"of", "and", "for", "the", "de", "on"};
  size_t i = 0;
  while (i < tokens.size()) {
    if (used[i] || !(tokens[i].capitalised || tokens[i].acronym) ||
        std::all_of(tokens[i].raw.begin(), tokens[i].raw.end(), ::isdigit)) {
      ++i;
      continue;
    }
    // A name runs over capitalised words separated by single spaces only:
    // punctuation ("Control (OFAC)", "WASHINGTON –") and possessives end it.
    auto plain_gap = [&](size_t a, size_t b) {
      if (tokens[a].raw.find('\'') != std::string::npos ||
          tokens[a].raw.find("\xE2\x80\x99") != std::string::npos)
        return false;  // a possessive ends the name
      std::string gap =
          s.text.substr(tokens[a].byte_end, tokens[b].byte_start - tokens[a].byte_end);
      if (gap == " " || gap == "+ " || gap == " & " || gap == "-") return true;
      // An initial: "Steven T. Mnuchin".
      return gap == ". " && tokens[a].raw.size() == 1 && tokens[a].capitalised;
    };
    size_t j = i;
    while (j + 1 < tokens.size()) {
      const Token& n = tokens[j + 1];
      if (!plain_gap(j, j + 1)) break;
      if (!used[j + 1] && (n.capitalised || n.acronym)) {
        ++j;
      } else if (kJoins.count(n.lower) && j + 2 < tokens.size() && !used[j + 2] &&
                 plain_gap(j + 1, j + 2) && (tokens[j + 2].capitalised || tokens[j + 2].acronym)) {
        j += 2;
      } else {
        break;
      }
    }
    size_t a = i;
    while (a <= j && rules_.stop_capitalised.count(tokens[a].raw)) ++a;
    size_t b = j;
    while (b > a && (rules_.stop_capitalised.count(tokens[b].raw) || kJoins.count(tokens[b].lower)))
      --b;
    i = j + 1;
    if (a > b || a > j) continue;
    bool single = a == b;
    if (single && !tokens[a].acronym && (a == 0 || tokens[a].raw.size() < 4)) continue;
    std::string name =
        s.text.substr(tokens[a].byte_start, tokens[b].byte_end - tokens[a].byte_start);
    for (const char* poss : {"'s", "\xE2\x80\x99s"}) {
      std::string p = poss;
      if (name.size() > p.size() && name.compare(name.size() - p.size(), p.size(), p) == 0)
        name.resize(name.size() - p.size());
    }
    std::string slug = Slugify(name);
    if (slug.empty()) continue;
    // A slug the store already holds is that node (its name just differs).
    if (Result<NodeRecord> n = view_.NodeBySlug(slug); n.ok()) {
      known->push_back(Known{a, b, n->slug, n->type, name});
      continue;
    }
    std::string type = rules_.default_new_node_type, why = "no type cue";
    for (size_t k = b + 1; k-- > a;) {
      for (const auto& [t, words] : rules_.new_node_types)
        if (words.count(tokens[k].lower) && view_.schema().HasNodeType(t)) {
          type = t;
          why = "'" + tokens[k].raw + "'";
          break;
        }
      if (why != "no type cue") break;
    }
    // Two or three capitalised words with no type cue and no joining word
    // read as a person's name (Oleg Deripaska, Steven T Mnuchin).
    if (why == "no type cue" && b > a && b - a <= 2 && view_.schema().HasNodeType("person")) {
      bool plain = true;
      for (size_t k = a; k <= b; ++k)
        plain =
            plain && tokens[k].capitalised && !tokens[k].acronym && !kJoins.count(tokens[k].lower);
      if (plain) {
        type = "person";
        why = "two or three plain capitalised words";
      }
    }
    if (!view_.schema().HasNodeType(type)) continue;
    auto it = node_index_.find(slug);
    if (it == node_index_.end()) {
      NodeDraft& d =
          Propose(slug, type, name, Evidence(s, "node|" + slug),
                  "unknown name '" + name + "' proposed as a " + type + " (" + why + ")");
      d.props["suggested_type"] = type;
    } else if (batch_.nodes[it->second].type != type) {
      type = batch_.nodes[it->second].type;
    }
    known->push_back(Known{a, b, slug, type, name});
  }
}

void Extractor::AddEdge(EdgeDraft e) {
  std::string identity = e.src + "|" + e.type + "|" + e.dst + "|" + e.domain;
  auto it = edge_index_.find(identity);
  if (it == edge_index_.end()) {
    edge_index_[identity] = batch_.edges.size();
    batch_.edges.push_back(std::move(e));
  } else {
    for (auto& ev : e.evidence) batch_.edges[it->second].evidence.push_back(std::move(ev));
  }
}

void Extractor::Claims(const ingest::Sentence& s, const std::vector<Token>& tokens,
                       const std::vector<Known>& known) {
  // Every cue occurrence; at one place the longest cue wins.
  struct Cue {
    const RelationRule* rule;
    size_t first, last;
  };
  std::vector<Cue> cues;
  for (const auto& rule : rules_.relations)
    for (const auto& words : rule.cues)
      for (size_t i = 0; i < tokens.size(); ++i)
        if (MatchAt(tokens, i, words)) cues.push_back(Cue{&rule, i, i + words.size() - 1});
  std::sort(cues.begin(), cues.end(), [](const Cue& a, const Cue& b) {
    return a.first != b.first ? a.first < b.first : a.last > b.last;
  });
  std::vector<Cue> kept;
  for (const auto& c : cues) {
    bool inside = false;
    for (const auto& k : kept) inside = inside || (c.first <= k.last && c.last >= k.first);
    bool in_name = false;
    for (const auto& k : known) in_name = in_name || (c.first >= k.first && c.last <= k.last);
    if (!inside && !in_name) kept.push_back(c);
  }
  bool hedged = false;
  Modality modality = ModalityOf(tokens, &hedged);
  for (const auto& cue : kept) {
    const Known* left = nullptr;
    const Known* right = nullptr;
    const Known* right2 = nullptr;
    for (const auto& k : known)
      if (k.last < cue.first) left = &k;
    for (size_t n = 0; n < known.size(); ++n)
      if (known[n].first > cue.last) {
        right = &known[n];
        if (n + 1 < known.size()) right2 = &known[n + 1];
        break;
      }
    auto between = [&](size_t a, size_t b) { return b > a ? b - a - 1 : 0; };
    auto joined_by_and = [&](const Known* x, const Known* y) {
      return x && y && y->first == x->last + 2 && tokens[x->last + 1].lower == "and";
    };
    const Known* src = left;
    const Known* dst = right;
    if (cue.rule->symmetric) {
      // "A and B cooperate", "cooperation between A and B".
      const Known* before_left = nullptr;
      for (const auto& k : known)
        if (left && k.last + 2 == left->first) before_left = &k;
      if (joined_by_and(before_left, left) && (!right || between(cue.last, right->first) > 3)) {
        src = before_left;
        dst = left;
      } else if (joined_by_and(right, right2) && (!left || between(left->last, cue.first) > 3)) {
        src = right;
        dst = right2;
      }
    }
    if (!src || !dst || src->slug == dst->slug) continue;
    // Near enough to read as one statement.
    size_t gap_left = src == left ? between(src->last, cue.first) : 0;
    size_t gap_right = dst == right ? between(cue.last, dst->first) : 0;
    if (gap_left > 6 || gap_right > 6) continue;
    const EdgeTypeInfo* type = view_.schema().FindEdgeType(cue.rule->type);
    if (!type) continue;
    auto fits = [&](const Known* a, const Known* b) {
      if (cue.rule->reverse) std::swap(a, b);
      return view_.schema().CheckEndpoints(*type, a->type, b->type).ok();
    };
    // "Russia supplies oil to China": when the nearest name cannot be the
    // object under the schema (the goods), the next one within reach may be.
    if (!fits(src, dst) && dst == right && right2 && between(right->last, right2->first) <= 3 &&
        right2->slug != src->slug && fits(src, right2)) {
      dst = right2;
      gap_right = between(cue.last, dst->first) - (right->last - right->first + 1);
    }
    if (!fits(src, dst)) continue;
    if (cue.rule->reverse) std::swap(src, dst);
    // A negation between the two names, or just before the cue, turns the
    // claim into a contradiction: never a supporting claim.
    size_t neg_from = std::min(src->last, dst->last) + 1;
    size_t neg_to = std::max(src->first, dst->first);
    bool negated = AnyIn(tokens, neg_from, neg_to, rules_.negations) ||
                   AnyIn(tokens, cue.first >= 3 ? cue.first - 3 : 0, cue.first, rules_.negations);
    EdgeDraft e;
    e.src = src->slug;
    e.dst = dst->slug;
    e.type = cue.rule->type;
    e.domain = DomainOf(tokens, e.type);
    e.place = batch_.source_place;
    e.where.place = batch_.source_place;
    // The key hashes the words, not what they link to: a merge or a new
    // alias leaves the claim's identity (and its decisions) alone.
    EvidenceDraft ev = Evidence(s, s.text + "|" + e.type + "|" + src->surface + "|" + dst->surface);
    ev.stance = negated ? Stance::kContradicts : Stance::kSupports;
    ev.modality = modality;
    ev.credibility = (gap_left + gap_right <= 3 ? 2 : 3) + (hedged ? 1 : 0);
    Span(tokens, &ev);
    ev.basis = std::string("cue '") + tokens[cue.first].raw + (cue.last > cue.first ? " …" : "") +
               "' between '" + src->slug + "' and '" + dst->slug + "'" +
               (negated ? "; negated" : "");
    if (!keys_.insert(ev.key).second) continue;
    e.evidence.push_back(std::move(ev));
    AddEdge(std::move(e));
  }
}

void Extractor::Figures(const ingest::Sentence& s, const std::vector<Token>& tokens,
                        const std::vector<Known>& known) {
  if (known.empty()) return;
  static const std::regex kNumber(
      R"((US\$|\$|€|USD\s|EUR\s)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*(%|per ?cent|trillion|billion|million|thousand|bn|mn)?)",
      std::regex::icase);
  std::vector<std::string> dates = DatesIn(tokens);
  std::string period = !dates.empty() ? dates[0] : "";
  if (period.empty() && !batch_.source.published.empty())
    period = batch_.source.published.substr(0, 4);
  if (period.empty()) return;
  auto begin = std::sregex_iterator(s.text.begin(), s.text.end(), kNumber);
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    std::string number = m[2];
    number.erase(std::remove(number.begin(), number.end(), ','), number.end());
    double low = std::atof(number.c_str());
    double high = m[3].matched ? std::atof(std::string(m[3]).c_str()) : low;
    std::string scale = m[4].matched ? std::string(m[4]) : "";
    std::string lscale = scale;
    for (char& c : lscale) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string unit;
    if (m[1].matched)
      unit = std::string(m[1]).find("€") != std::string::npos ||
                     std::string(m[1]).find("EUR") != std::string::npos
                 ? "EUR"
                 : "USD";
    if (lscale == "%" || lscale.find("cent") != std::string::npos)
      unit = "%";
    else if (rules_.scales.count(lscale)) {
      low *= rules_.scales.at(lscale);
      high *= rules_.scales.at(lscale);
    }
    // A unit written after the number: "45 bcm", "170 individuals".
    size_t after = static_cast<size_t>(m.position(0) + m.length(0));
    if (unit.empty()) {
      std::vector<Token> rest = Tokenize(std::string_view(s.text).substr(after));
      for (const auto& [name, patterns] : rules_.units)
        for (const auto& p : patterns)
          if (!rest.empty() && MatchAt(rest, 0, p)) unit = name;
    }
    if (unit.empty()) continue;  // a bare number (a year, a count of nothing) is no figure
    if (low > high) continue;
    std::string metric = unit == "%"                                             ? "percent"
                         : unit == "USD" || unit == "EUR"                        ? "value"
                         : unit == "bcm" || unit == "t" || unit == "barrels/day" ? "volume"
                                                                                 : "count";
    for (const auto& t : tokens)
      if (unit == "%" && (t.lower == "share" || t.lower == "shares"))
        metric = "share";
      else if (unit == "%" && (t.lower == "fell" || t.lower == "grew" || t.lower == "rose" ||
                               t.lower == "contracted" || t.lower == "declined"))
        metric = "change";
    ObservationDraft o;
    o.subject = known[0].slug;
    for (const auto& k : known)
      if (k.slug != o.subject) {
        o.object = k.slug;
        break;
      }
    o.metric = metric;
    o.unit = unit;
    o.low = low;
    o.high = high;
    o.period = period;
    o.place = batch_.source_place;
    o.where.place = batch_.source_place;
    o.evidence = Evidence(s, s.text + "|figure|" + std::string(m[0]));
    o.evidence.modality = Modality::kObserved;
    o.evidence.credibility = 3;
    o.evidence.basis = "figure '" + std::string(m[0]) + "'";
    bool dup = false;
    for (const auto& x : batch_.observations)
      dup = dup || (x.subject == o.subject && x.object == o.object && x.metric == o.metric &&
                    x.period == o.period && x.unit == o.unit);
    if (!dup && keys_.insert(o.evidence.key).second) batch_.observations.push_back(std::move(o));
  }
}

Status Extractor::Sentence(const ingest::Sentence& s) {
  std::vector<Token> tokens = Tokenize(s.text);
  Result<std::vector<Mention>> linked = LinkNames(view_, tokens, s.text);
  if (!linked.ok()) return linked.status();
  std::vector<Known> known;
  for (const auto& m : linked.value()) {
    if (m.candidates.size() == 1) {
      known.push_back(
          Known{m.first, m.last, m.candidates[0].slug, m.candidates[0].type, m.surface});
      continue;
    }
    // Ambiguous: proposed against each candidate, never guessed.
    std::string list;
    for (const auto& c : m.candidates) list += (list.empty() ? "" : ", ") + c.slug;
    for (const auto& c : m.candidates) {
      if (node_index_.count(c.slug)) continue;
      Propose(c.slug, c.type, c.name, Evidence(s, "ambiguous|" + m.surface + "|" + c.slug),
              "ambiguous mention '" + m.surface + "': candidates " + list);
    }
  }
  ProposeNodes(s, tokens, linked.value(), &known);
  std::sort(known.begin(), known.end(),
            [](const Known& a, const Known& b) { return a.first < b.first; });
  Claims(s, tokens, known);
  Figures(s, tokens, known);
  return Status::Ok();
}

}  // namespace

Result<Batch> ReadTextNote(std::string_view bytes, const std::string& file, const StoreView& view,
                           std::string_view rules_text, const std::string& rules_file) {
  SINEW_RETURN_IF_ERROR(CheckText(bytes, file));
  Result<ExtractionRules> rules = ExtractionRules::Parse(rules_text, rules_file);
  if (!rules.ok()) return rules.status();
  Result<NoteHeader> header = ReadHeader(bytes, file);
  if (!header.ok()) return header.status();
  Batch batch;
  batch.file = file;
  batch.content_hash = ContentHash(bytes);
  SourceRecord& src = batch.source;
  const auto& f = header->fields;
  auto field = [&](std::initializer_list<const char*> keys) -> std::string {
    for (const char* k : keys)
      if (auto it = f.find(k); it != f.end() && !it->second.empty()) return it->second;
    return "";
  };
  auto place_of = [&](const char* key) {
    SourcePlace p;
    p.file = file;
    auto it = header->lines.find(key);
    p.line = it == header->lines.end() ? 1 : it->second;
    p.column = 1;
    p.pointer = key;
    return p;
  };
  std::string stem = std::filesystem::path(file).stem().string();
  src.slug = field({"id", "slug"});
  if (src.slug.empty()) src.slug = Slugify(stem);
  src.title = field({"title"});
  if (src.title.empty()) src.title = stem;
  std::string authors = field({"authors", "author"});
  for (size_t a = 0; !authors.empty() && a != std::string::npos;) {
    size_t b = authors.find_first_of(";,", a);
    std::string one = authors.substr(a, b == std::string::npos ? std::string::npos : b - a);
    while (!one.empty() && one.front() == ' ') one.erase(one.begin());
    while (!one.empty() && one.back() == ' ') one.pop_back();
    if (!one.empty()) src.authors.push_back(one);
    a = b == std::string::npos ? b : b + 1;
  }
  src.publisher = field({"publisher"});
  std::string published = field({"published", "date"});
  if (!published.empty()) {
    std::string date = published.substr(0, std::min<size_t>(published.size(), 10));
    if (!ParseDate(date).ok())
      return Status::Invalid("front matter: '" + published + "' is not a date (use 2019-06-20)",
                             place_of(f.count("published") ? "published" : "date"));
    src.published = date;
  }
  src.url = field({"url", "source"});
  src.kind = field({"kind"});
  if (src.kind.empty()) src.kind = view.schema().HasSourceKind("briefing") ? "briefing" : "";
  std::string marking = field({"marking", "tlp"});
  if (!marking.empty() || f.count("marking") || f.count("tlp")) {
    Result<Marking> m = ParseMarking(marking);
    if (!m.ok())
      return Status::Invalid("front matter: " + m.status().message(), place_of("marking"));
    src.marking = m.value();
  }
  src.reliability = field({"reliability"});
  if (!src.reliability.empty() && !CheckReliability(src.reliability).ok())
    return Status::Invalid("front matter: " + CheckReliability(src.reliability).message(),
                           place_of("reliability"));
  for (const auto& [k, v] : f)
    if (!std::set<std::string>{"id", "slug", "title", "authors", "author", "publisher", "published",
                               "date", "url", "source", "kind", "marking", "tlp", "reliability"}
             .count(k))
      src.props[k] = v;
  src.text = std::string(bytes);
  batch.source_place.file = file;
  batch.source_place.line = 1;
  std::vector<Sentence> sentences = Segment(bytes, header->body_offset, rules.value());
  if (sentences.empty())
    return Status::Invalid("the note has front matter but no text", batch.source_place);
  Extractor x(view, rules.value(), &batch);
  for (const auto& s : sentences) SINEW_RETURN_IF_ERROR(x.Sentence(s));
  return batch;
}

}  // namespace sinew::ingest
