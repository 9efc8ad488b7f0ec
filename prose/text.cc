// Reading prose: sections, paragraphs and sentences, tokens, names the
// store knows, and dates.
#include <algorithm>
#include <cctype>
#include <regex>

#include "prose/prose.h"

namespace sinew::prose {
namespace {

bool IsBullet(const std::string& t) {
  if (t.size() >= 2 && (t[0] == '-' || t[0] == '*') && t[1] == ' ') return true;
  if (t.rfind("\xE2\x80\xA2", 0) == 0) return true;  // •
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  return i > 0 && i + 1 < t.size() && (t[i] == '.' || t[i] == ')') && t[i + 1] == ' ';
}

// "Bilateral Trade:" alone on a line reads as a heading in many briefs, as
// does a single capitalised word ("Summary").
bool IsColonHeading(const std::string& t) {
  if (t.size() >= 4 && t.size() <= 24 && std::isupper(static_cast<unsigned char>(t[0])) &&
      std::all_of(t.begin(), t.end(),
                  [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
    return true;
  if (t.size() < 3 || t.size() > 60 || t.back() != ':') return false;
  int words = 1;
  for (char c : t) {
    if (c == ' ') ++words;
    if (c == '.' || c == ',' || c == ';') return false;
  }
  return words <= 6 && std::isupper(static_cast<unsigned char>(t[0]));
}

}  // namespace

bool IsTitleCase(std::string_view line) {
  static const char* kSmall[] = {"of", "and", "the", "for", "to",   "in", "on", "with",
                                 "a",  "an",  "by",  "at",  "from", "as", "or", "vs"};
  int words = 0, capital = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t a = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (a == i) break;
    std::string w(line.substr(a, i - a));
    bool small = false;
    for (const char* x : kSmall) small = small || w == x;
    if (small) continue;
    ++words;
    unsigned char c = static_cast<unsigned char>(w[0]);
    if (std::isupper(c) || std::isdigit(c) || c == '"' || c >= 0x80) ++capital;
  }
  return words >= 2 && capital * 10 >= words * 8;
}

namespace {

// A headline or heading inside running text: a short line in title case
// with no closing punctuation ("China's Economic Ties to Russia").
bool IsTitleLine(const std::string& t, std::string_view next) {
  if (t.size() < 8 || t.size() > 140) return false;
  char last = t.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '-') return false;
  // The next line opens a sentence; this one does not stop mid-phrase.
  size_t k = 0;
  while (k < next.size() && (next[k] == ' ' || next[k] == '\t')) ++k;
  if (k < next.size()) {
    unsigned char c = static_cast<unsigned char>(next[k]);
    if (std::islower(c)) return false;
  }
  size_t sp = t.rfind(' ');
  std::string tail = sp == std::string::npos ? t : t.substr(sp + 1);
  for (const char* w : {"and", "of", "the", "for", "to", "in", "on", "with", "a", "an", "by", "or"})
    if (tail == w) return false;
  int words = 1;
  for (char c : t) words += c == ' ';
  return words <= 16 && IsTitleCase(t);
}

}  // namespace

std::vector<Sentence> Segment(std::string_view text, size_t body_offset,
                              const ExtractionRules& rules) {
  constexpr size_t kMaxSentenceBytes = 2000;
  std::vector<Sentence> out;
  std::string section;
  int paragraph = 0;
  int64_t cp = 0;  // code points before byte `cp_at`
  size_t cp_at = 0;
  auto code_point = [&](size_t byte) {
    for (; cp_at < byte; ++cp_at)
      if ((static_cast<unsigned char>(text[cp_at]) & 0xC0) != 0x80) ++cp;
    return cp;
  };
  auto emit_one = [&](size_t a, size_t b) {
    Sentence s;
    s.byte_start = a;
    s.byte_end = b;
    s.text = std::string(text.substr(a, b - a));
    s.start = code_point(a);
    s.end = code_point(b);
    s.section = section;
    s.paragraph = paragraph;
    out.push_back(std::move(s));
  };
  auto emit = [&](size_t a, size_t b) {
    while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1]))) --b;
    if (a >= b) return;
    // A run-on "sentence" (a table flattened into one line, a hostile file)
    // is read in pieces of at most kMaxSentenceBytes, cut at a space where
    // there is one: a quote stays a quote, and the work stays linear.
    while (b - a > kMaxSentenceBytes) {
      size_t cut = a + kMaxSentenceBytes;
      size_t space = cut;
      while (space > a + kMaxSentenceBytes / 2 &&
             !std::isspace(static_cast<unsigned char>(text[space])))
        --space;
      if (space > a + kMaxSentenceBytes / 2) cut = space;
      while (cut > a && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      emit_one(a, cut);
      a = cut;
      while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
    }
    if (a < b) emit_one(a, b);
  };
  // Splits [a, b) into sentences.
  auto split = [&](size_t a, size_t b) {
    size_t start = a;
    for (size_t i = a; i < b; ++i) {
      char c = text[i];
      if (c != '.' && c != '!' && c != '?') continue;
      size_t j = i + 1;
      while (j < b && (text[j] == '.')) ++j;  // ellipsis
      // Closing quotes and brackets, then footnote markers, stay with the sentence.
      while (j < b) {
        if (text[j] == '"' || text[j] == '\'' || text[j] == ')' || text[j] == ']') {
          ++j;
        } else if (text.substr(j, 3) == "\xE2\x80\x9D" || text.substr(j, 3) == "\xE2\x80\x99") {
          j += 3;
        } else {
          break;
        }
      }
      if (j < b && text[j] == '[') {
        size_t k = j + 1;
        while (k < b && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
        if (k < b && text[k] == ']' && k > j + 1) j = k + 1;
      }
      if (j < b && !std::isspace(static_cast<unsigned char>(text[j]))) continue;
      size_t k = j;
      while (k < b && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
      if (k < b) {
        unsigned char n = static_cast<unsigned char>(text[k]);
        bool opens =
            std::isupper(n) || std::isdigit(n) || n == '"' || n == '(' || n == '[' || n >= 0x80;
        if (!opens) continue;
      }
      if (c == '.') {
        // The word before the full stop: an abbreviation or an initial?
        size_t w = i;
        while (w > start &&
               (std::isalpha(static_cast<unsigned char>(text[w - 1])) || text[w - 1] == '.'))
          --w;
        std::string word = Lower(std::string(text.substr(w, i - w)));
        if (rules.abbreviations.count(word)) continue;
        if (rules.numbering_abbreviations.count(word) && k < b &&
            std::isdigit(static_cast<unsigned char>(text[k])))
          continue;
        // An initial ("C. W. Hsiung"), but not the end of "12A".
        bool initial = i - w == 1 && std::isupper(static_cast<unsigned char>(text[w])) &&
                       (w == start || !std::isalnum(static_cast<unsigned char>(text[w - 1])));
        if (initial) continue;
      }
      emit(start, j);
      start = j;
    }
    emit(start, b);
  };
  size_t pos = body_offset;
  size_t para_start = std::string_view::npos, para_end = 0;
  bool in_list = false;
  auto flush = [&] {
    if (para_start != std::string_view::npos) split(para_start, para_end);
    para_start = std::string_view::npos;
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string t = Trim(text.substr(pos, end - pos));
    if (t.empty()) {
      flush();
      in_list = false;
    } else if (t[0] == '#' || IsColonHeading(t)) {
      flush();
      in_list = false;
      size_t h = t.find_first_not_of("# ");
      section = Trim(t.substr(h == std::string::npos ? 0 : h));
      if (!section.empty() && section.back() == ':') section.pop_back();
      paragraph = 0;
    } else if (IsBullet(t)) {
      flush();
      if (!in_list) ++paragraph;  // a list counts as one paragraph
      in_list = true;
      size_t lead = pos + (text.substr(pos, end - pos).find(t)) +
                    (t.rfind("\xE2\x80\xA2", 0) == 0 ? 3 : t.find(' ') + 1);
      para_start = lead;
      para_end = end;
    } else if (in_list && para_start != std::string_view::npos &&
               std::isspace(static_cast<unsigned char>(text[pos]))) {
      para_end = end;  // an indented continuation of a bullet
    } else if (IsTitleLine(t, nl == std::string_view::npos ? std::string_view()
                                                           : text.substr(nl + 1, 80))) {
      // A headline reads as a sentence of its own, not the start of the next.
      flush();
      in_list = false;
      ++paragraph;
      para_start = pos;
      para_end = end;
      flush();
    } else {
      if (para_start == std::string_view::npos) {
        if (in_list) in_list = false;
        ++paragraph;
        para_start = pos;
      }
      para_end = end;
    }
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  flush();
  return out;
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0, prev_end = 0;
  auto word_byte = [&](size_t k) {
    unsigned char c = static_cast<unsigned char>(s[k]);
    if (std::isalnum(c)) return true;
    if (c < 0x80) return false;
    // Typographic punctuation (U+2000..U+206F) and the NBSP separate words.
    if (c == 0xE2 && k + 1 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0x80) return false;
    if (c == 0xC2 && k + 1 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0xA0) return false;
    return true;
  };
  // Bytes a separator takes: a typographic mark (U+2000..U+206F) is three,
  // the no-break space two; its continuation bytes must not start a word.
  auto skip = [&](size_t k) -> size_t {
    unsigned char c = static_cast<unsigned char>(s[k]);
    if (c == 0xE2 && k + 2 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0x80) return 3;
    if (c == 0xC2 && k + 1 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0xA0) return 2;
    return 1;
  };
  while (i < s.size()) {
    if (!word_byte(i)) {
      i += skip(i);
      continue;
    }
    size_t a = i;
    while (i < s.size()) {
      if (word_byte(i)) {
        ++i;
        continue;
      }
      // An apostrophe inside a word (People's, China’s) belongs to it.
      bool straight = s[i] == '\'';
      bool curly = s.substr(i, 3) == "\xE2\x80\x99";
      size_t after = i + (curly ? 3 : 1);
      if ((straight || curly) && after < s.size() && word_byte(after)) {
        i = after;
        continue;
      }
      break;
    }
    Token t;
    t.gap = std::string(s.substr(prev_end, a - prev_end));
    prev_end = i;
    t.raw = std::string(s.substr(a, i - a));
    t.lower = Lower(t.raw);
    t.byte_start = a;
    t.byte_end = i;
    unsigned char c0 = static_cast<unsigned char>(t.raw[0]);
    unsigned char c1 = t.raw.size() > 1 ? static_cast<unsigned char>(t.raw[1]) : 0;
    bool cyrillic_capital = c0 == 0xD0 && c1 >= 0x81 && c1 <= 0xAF;
    t.cyrillic = c0 == 0xD0 || c0 == 0xD1;
    t.capitalised = std::isupper(c0) || cyrillic_capital;
    int letters = 0;
    bool all_upper = true;
    for (unsigned char c : t.raw) {
      if (std::isalpha(c)) ++letters;
      if (std::islower(c) || c >= 0x80) all_upper = false;
    }
    // "EU", "PRC"; and a capital with figures ("G7", "G20", "C919").
    bool digits =
        std::any_of(t.raw.begin(), t.raw.end(), [](unsigned char c) { return std::isdigit(c); });
    t.acronym = all_upper && t.raw.size() <= 6 &&
                (letters >= 2 || (letters == 1 && digits && std::isupper(c0)));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> DatesIn(const std::vector<Token>& tokens) {
  static const char* kMonths[] = {"january",   "february", "march",    "april",
                                  "may",       "june",     "july",     "august",
                                  "september", "october",  "november", "december"};
  auto month_of = [&](const std::string& w) {
    for (int m = 0; m < 12; ++m)
      if (w == kMonths[m] ||
          (w.size() >= 3 && std::string(kMonths[m]).rfind(w, 0) == 0 && w.size() == 3))
        return m + 1;
    return 0;
  };
  auto year_of = [](const std::string& w) {
    if (w.size() != 4 || !std::all_of(w.begin(), w.end(), ::isdigit)) return 0;
    int y = std::stoi(w);
    return y >= 1900 && y <= 2099 ? y : 0;
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].lower;
    char buf[16];
    // "2010s" and "mid-2010s": a decade.
    if (w.size() == 5 && w[4] == 's' && year_of(w.substr(0, 4)) && w[3] == '0') {
      out.push_back(w.substr(0, 3) + "X");
      continue;
    }
    int y = year_of(w);
    if (y) {
      // 2019-06-20 arrives as three tokens.
      if (i + 2 < tokens.size() && tokens[i + 1].lower.size() == 2 &&
          tokens[i + 2].lower.size() == 2 && std::isdigit(tokens[i + 1].lower[0]) &&
          std::isdigit(tokens[i + 2].lower[0]) &&
          tokens[i + 1].byte_start == tokens[i].byte_end + 1) {
        std::snprintf(buf, sizeof buf, "%04d-%s-%s", y, tokens[i + 1].lower.c_str(),
                      tokens[i + 2].lower.c_str());
        if (ParseDate(buf).ok()) {
          out.push_back(buf);
          i += 2;
          continue;
        }
      }
      // "6 April 2018" or "April 6, 2018".
      int m = i > 0 ? month_of(tokens[i - 1].lower) : 0;
      int d = i > 1 && m ? std::atoi(tokens[i - 2].lower.c_str()) : 0;
      if (!m && i > 1 && month_of(tokens[i - 2].lower)) {
        int day = std::atoi(tokens[i - 1].lower.c_str());
        if (day >= 1 && day <= 31 && tokens[i - 1].lower.size() <= 2) {
          m = month_of(tokens[i - 2].lower);
          d = day;
        }
      }
      if (m && d >= 1 && d <= 31)
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
      else if (m)
        std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
      else
        std::snprintf(buf, sizeof buf, "%04d", y);
      if (ParseDate(buf).ok())
        out.push_back(buf);
      else
        out.push_back(std::to_string(y));
    }
  }
  return out;
}

Result<std::vector<Mention>> LinkNames(const StoreView& view, const std::vector<Token>& tokens,
                                       std::string_view sentence, NameCache* cache) {
  std::vector<Mention> out;
  NameCache local;
  if (!cache) cache = &local;
  // The nodes a normalised form names, looked up once per cache.
  auto lookup = [&](const std::string& norm) -> Result<const std::vector<NodeRecord>*> {
    if (auto hit = cache->find(norm); hit != cache->end()) return &hit->second;
    // Bounded: a huge note of distinct words starts over rather than keep
    // every miss (what an earlier lookup returned is used before the next).
    if (cache->size() >= kMaxCachedNames) cache->clear();
    std::vector<NodeRecord> nodes;
    if (!norm.empty()) {
      std::vector<NodeId> ids;
      Status s = view.ForEachName(norm + std::string(1, '\0'), [&](const std::string&, NodeId id) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        return true;
      });
      if (!s.ok()) return s;
      for (NodeId id : ids) {
        Result<NodeRecord> n = view.NodeById(id);
        if (n.ok()) nodes.push_back(std::move(n).value());
      }
    }
    return &cache->emplace(norm, std::move(nodes)).first->second;
  };
  size_t i = 0;
  while (i < tokens.size()) {
    bool found = false;
    for (size_t len = std::min<size_t>(6, tokens.size() - i); len >= 1 && !found; --len) {
      std::string surface;
      for (size_t k = i; k < i + len; ++k) surface += (k > i ? " " : "") + tokens[k].raw;
      const Token& last = tokens[i + len - 1];
      std::vector<std::string> forms{surface};
      // Possessives (China's) and plurals (pipelines) fall back to the base form.
      for (const char* poss : {"'s", "\xE2\x80\x99s"}) {
        std::string p = poss;
        if (surface.size() > p.size() &&
            surface.compare(surface.size() - p.size(), p.size(), p) == 0)
          forms.push_back(surface.substr(0, surface.size() - p.size()));
      }
      if (last.lower.size() > 3 && last.lower.back() == 's' && !last.acronym)
        forms.push_back(surface.substr(0, surface.size() - 1));
      for (const auto& form : forms) {
        Result<const std::vector<NodeRecord>*> found_nodes = lookup(NormalizeName(form));
        if (!found_nodes.ok()) return found_nodes.status();
        const std::vector<NodeRecord>& nodes = *found_nodes.value();
        if (nodes.empty()) continue;
        // Short or lowercase single words are easily common words ("us",
        // "space", "arms"): link them only as acronyms, or as the names of
        // resources, technologies and sectors, which are written that way.
        if (len == 1) {
          bool generic = true;
          for (const auto& n : nodes)
            generic =
                generic && (n.type == "resource" || n.type == "technology" || n.type == "sector");
          if (!generic && !last.acronym && (!last.capitalised || last.raw.size() <= 3)) continue;
          // "The Caspian Gas Company": a capitalised common word inside a
          // longer name is part of that name, not the commodity.
          auto name_word = [&](size_t k) {
            return k < tokens.size() && tokens[k].capitalised && !tokens[k].acronym;
          };
          bool inside_name = last.capitalised && !last.acronym &&
                             ((i > 0 && name_word(i - 1) && tokens[i].gap == " ") ||
                              (name_word(i + 1) && tokens[i + 1].gap == " "));
          if (generic && inside_name) continue;
        }
        // The mention as written ("CR-929"), when the sentence is at hand.
        if (!sentence.empty())
          surface = std::string(
              sentence.substr(tokens[i].byte_start, last.byte_end - tokens[i].byte_start));
        out.push_back(Mention{i, i + len - 1, surface, nodes});
        i += len;
        found = true;
        break;
      }
      if (len == 1) break;
    }
    if (!found) ++i;
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return std::string(s.substr(a, b - a));
}

std::string Slugify(const std::string& name) {
  std::string out;
  for (unsigned char c : NormalizeName(name)) {
    if (std::isalnum(c) || c >= 0x80)
      out.push_back(static_cast<char>(c));
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  // Slugs are ASCII: drop what is not (the name keeps the script).
  std::string ascii;
  for (char c : out)
    if (static_cast<unsigned char>(c) < 0x80) ascii.push_back(c);
  if (ascii.empty() || ascii == "-") ascii = "n" + FingerprintHex(name).substr(0, 8);
  while (!ascii.empty() && ascii.front() == '-') ascii.erase(ascii.begin());
  return ascii.substr(0, 60);
}

}  // namespace sinew::prose
