// From sentences to proposed claims: every edge, figure and new node a text
// note yields is evidence with status proposed, quoting its sentence
// verbatim with character offsets, for an analyst to review.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "ingest/ingest.h"
#include "ingest/text_note.h"

namespace sinew::ingest {
namespace {

// Whether `words` occurs in `tokens` starting at `at`.
bool MatchAt(const std::vector<Token>& tokens, size_t at, const std::vector<std::string>& words) {
  if (at + words.size() > tokens.size()) return false;
  for (size_t k = 0; k < words.size(); ++k)
    if (tokens[at + k].lower != words[k]) return false;
  return true;
}

class Extractor {
 public:
  Extractor(const StoreView& view, const ExtractionRules& rules, Batch* batch)
      : view_(view), rules_(rules), batch_(*batch), reader_(view, rules) {}

  Status Sentence(const ingest::Sentence& s);
  Status Prepare(const std::vector<ingest::Sentence>& s) { return reader_.Prepare(s); }

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
  void Span(const std::vector<Token>& tokens, EvidenceDraft* e) const;
  void Figures(const ingest::Sentence& s, const std::vector<Token>& tokens,
               const std::vector<std::string>& mentioned);
  void AddEdge(EdgeDraft e);

  const StoreView& view_;
  const ExtractionRules& rules_;
  Batch& batch_;
  ProseReader reader_;
  size_t nodes_done_ = 0;                     // reader nodes already turned into drafts
  std::map<std::string, size_t> edge_index_;  // identity -> batch.edges index
  std::set<std::string> keys_;
};

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

void Extractor::Figures(const ingest::Sentence& s, const std::vector<Token>& tokens,
                        const std::vector<std::string>& mentioned) {
  if (mentioned.empty()) return;
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
    o.subject = mentioned[0];
    for (const auto& k : mentioned)
      if (k != o.subject) {
        o.object = k;
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

// A name as one line: a name wrapped across lines, or holding a tab, is
// stored with single spaces (names refuse control characters).
std::string OneLine(const std::string& name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else if (c != ' ' || (!out.empty() && out.back() != ' ')) {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Status Extractor::Sentence(const ingest::Sentence& s) {
  std::vector<Token> tokens = Tokenize(s.text);
  Result<std::vector<ProseClaim>> claims = reader_.Read(s);
  if (!claims.ok()) return claims.status();
  // New names the sentence proposed, each with the sentence as its evidence.
  const std::vector<ProseNode>& nodes = reader_.nodes();
  for (; nodes_done_ < nodes.size(); ++nodes_done_) {
    const ProseNode& n = nodes[nodes_done_];
    NodeDraft d;
    d.slug = n.slug;
    d.type = n.type;
    d.name = OneLine(n.name);
    d.proposed = true;
    d.place = batch_.source_place;
    d.where.place = batch_.source_place;
    EvidenceDraft e;
    if (n.known) {
      // A known name the note mentions: recorded for review as a mention,
      // so the note is found from the node and a wrong link can be rejected.
      e = Evidence(s, (n.why.empty() ? "mention|" : "ambiguous|") + n.slug);
      e.basis = n.why.empty() ? "mention: the note names " + n.slug + " ('" + n.name + "')" : n.why;
    } else {
      d.props["suggested_type"] = n.type;
      e = Evidence(s, "node|" + n.slug);
      e.basis = "unknown name '" + n.name + "' proposed as a " + n.type + " (" + n.why + ")";
    }
    d.evidence.push_back(std::move(e));
    batch_.nodes.push_back(std::move(d));
  }
  std::set<std::string> named;
  for (const ProseNode& n : nodes) named.insert(n.slug);
  for (const ProseClaim& c : claims.value()) {
    // A claim about something the reader neither found in the store nor
    // proposed would make the whole note fail to load: it is dropped.
    bool ends_known = true;
    for (const std::string* end : {&c.src, &c.dst})
      ends_known = ends_known && (named.count(*end) || view_.NodeBySlug(*end).ok());
    if (!ends_known) continue;
    EdgeDraft e;
    e.src = c.src;
    e.dst = c.dst;
    e.type = c.relation;
    e.domain = view_.schema().DomainCode(c.domain) > 0 ? c.domain : rules_.default_domain;
    e.place = batch_.source_place;
    e.where.place = batch_.source_place;
    // The key hashes the words, not what they link to: a merge or a new
    // alias leaves the claim's identity (and its decisions) alone.
    EvidenceDraft ev =
        Evidence(s, s.text + "|" + e.type + "|" + c.src_surface + "|" + c.dst_surface);
    ev.stance = c.negated ? Stance::kContradicts : Stance::kSupports;
    Result<Modality> m = ParseModality(c.modality);
    ev.modality = m.ok() ? m.value() : Modality::kAssessed;
    bool hedged = ev.modality == Modality::kProjected || ev.modality == Modality::kHypothetical;
    ev.credibility = c.strength_of_reading + (hedged ? 1 : 0);
    Span(tokens, &ev);
    ev.basis = c.basis + " ('" + c.src_surface + "' → '" + c.dst_surface + "')";
    if (!keys_.insert(ev.key).second) continue;
    e.evidence.push_back(std::move(ev));
    AddEdge(std::move(e));
  }
  // Figures are about what the note names and the store or the batch holds.
  std::vector<std::string> mentioned;
  for (const std::string& m : reader_.last_mentions())
    if (named.count(m) || view_.NodeBySlug(m).ok()) mentioned.push_back(m);
  Figures(s, tokens, mentioned);
  return Status::Ok();
}

}  // namespace

Result<Batch> ReadTextNote(std::string_view bytes, const std::string& file, const StoreView& view,
                           std::string_view rules_text, const std::string& rules_file) {
  SINEW_RETURN_IF_ERROR(CheckText(bytes, file));
  Result<ExtractionRules> rules = ParseRules(rules_text, rules_file);
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
  // The bibliographer's "no date": the note is undated, not malformed.
  std::string lower_date = published;
  for (char& c : lower_date) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower_date == "n.d." || lower_date == "n.d" || lower_date == "nd" ||
      lower_date == "undated" || lower_date == "unknown")
    published.clear();
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
  SINEW_RETURN_IF_ERROR(x.Prepare(sentences));
  for (const auto& s : sentences) SINEW_RETURN_IF_ERROR(x.Sentence(s));
  return batch;
}

}  // namespace sinew::ingest
