#include "store/records.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace sinew {

std::string Locator::ToString() const {
  std::string out = section;
  if (paragraph > 0) out += (out.empty() ? "¶" : " ¶") + std::to_string(paragraph);
  // A page number reads "p. 4"; a locator in words (a table's "column 3
  // (bcm)") stands as it is.
  if (!page.empty()) {
    bool number = std::isdigit(static_cast<unsigned char>(page[0]));
    out += (out.empty() ? "" : ", ") + std::string(number ? "p. " : "") + page;
  }
  if (start >= 0 && end >= start)
    out += (out.empty() ? "[" : " [") + std::to_string(start) + ".." + std::to_string(end) + "]";
  return out;
}

void NodeRecord::Merge() {
  // Claims are keyed by source id, so the first source to name a node keeps
  // naming it; later sources add aliases and override props they restate.
  std::string first_name;
  std::vector<std::string> merged_aliases;
  std::set<std::string> seen;
  nlohmann::json merged_props = nlohmann::json::object();
  bool any_accepted = false;
  for (const auto& [source, claim] : claims) any_accepted = any_accepted || !claim.proposed;
  for (const auto& [source, claim] : claims) {
    // A proposal does not rename or re-describe a node someone asserted.
    if (claim.proposed && any_accepted) continue;
    if (first_name.empty()) first_name = claim.name;
    for (const auto& a : claim.aliases)
      if (seen.insert(a).second) merged_aliases.push_back(a);
    for (const auto& [k, v] : claim.props.items()) merged_props[k] = v;
  }
  if (!first_name.empty()) name = first_name;
  if (name.empty()) name = slug;
  aliases = std::move(merged_aliases);
  props = std::move(merged_props);
}

double EvidenceConfidence(const EvidenceRecord& e) {
  static const double kGrade[] = {0.95, 0.8, 0.6, 0.4, 0.2, 0.5};
  int r = e.reliability.empty() ? 5 : e.reliability[0] - 'A';
  int c = e.credibility - 1;
  double rv = (r >= 0 && r < 6) ? kGrade[r] : 0.5;
  double cv = (c >= 0 && c < 6) ? kGrade[c] : 0.5;
  return rv * cv;
}

EdgeQualifiers DeriveEdge(const std::vector<EvidenceRecord>& evidence, Marking clearance) {
  EdgeQualifiers q;
  double not_support = 1.0, not_against = 1.0;
  double strength_max = -1, repl_sum = 0;
  int repl_n = 0;
  bool open_from = false, open_to = false, any = false;
  int32_t lo = kDateMax, hi = kDateMin;
  std::string lo_text, hi_text;
  Modality best = Modality::kHypothetical;
  bool first_marking = true;
  for (const auto& e : evidence) {
    if (e.marking > clearance) continue;
    if (first_marking) {
      q.marking_lo = q.marking_hi = e.marking;
      first_marking = false;
    } else {
      q.marking_lo = std::min(q.marking_lo, e.marking);
      q.marking_hi = std::max(q.marking_hi, e.marking);
    }
    if (e.status == EvidenceStatus::kProposed) {
      ++q.proposed;
      continue;
    }
    if (e.status == EvidenceStatus::kRejected) {
      ++q.rejected;
      continue;
    }
    double c = EvidenceConfidence(e);
    if (e.stance == Stance::kContradicts) {
      ++q.contradicting;
      not_against *= 1 - c;
      continue;
    }
    ++q.supporting;
    any = true;
    not_support *= 1 - c;
    if (e.strength) strength_max = std::max(strength_max, *e.strength);
    if (e.replaceability) {
      repl_sum += *e.replaceability;
      ++repl_n;
    }
    best = std::min(best, e.modality);
    if (e.valid_from.empty()) {
      open_from = true;
    } else if (auto d = ParseDate(e.valid_from); d.ok() && d->lo < lo) {
      lo = d->lo;
      lo_text = e.valid_from;
    }
    if (e.valid_to.empty()) {
      open_to = true;
    } else if (auto d = ParseDate(e.valid_to); d.ok() && d->hi > hi) {
      hi = d->hi;
      hi_text = e.valid_to;
    }
  }
  if (!any) {
    if (q.proposed > 0) {
      // Awaiting review: qualifiers as if the proposals were accepted, so a
      // reviewer (--include-proposed) sees what they would add; still proposed.
      std::vector<EvidenceRecord> as_if;
      for (const auto& e : evidence) {
        if (e.marking > clearance || e.status != EvidenceStatus::kProposed) continue;
        as_if.push_back(e);
        as_if.back().status = EvidenceStatus::kAccepted;
      }
      EdgeQualifiers p = DeriveEdge(as_if, clearance);
      if (p.supporting > 0) {
        p.status = EvidenceStatus::kProposed;
        p.proposed = q.proposed;
        p.supporting = 0;
        p.contradicting = q.contradicting;
        p.rejected = q.rejected;
        p.marking_lo = q.marking_lo;
        p.marking_hi = q.marking_hi;
        return p;
      }
    }
    q.status = q.proposed > 0 ? EvidenceStatus::kProposed : EvidenceStatus::kRejected;
    return q;
  }
  q.status = EvidenceStatus::kAccepted;
  q.modality = best;
  q.strength = strength_max >= 0 ? strength_max : 0.5;
  q.replaceability = repl_n > 0 ? repl_sum / repl_n : 0.5;
  q.confidence = (1 - not_support) * not_against;
  q.weight = q.strength * (1 - q.replaceability);
  if (!open_from && lo != kDateMax) {
    q.from_lo = lo;
    q.valid_from = lo_text;
  }
  if (!open_to && hi != kDateMin) {
    q.to_hi = hi;
    q.valid_to = hi_text;
  }
  return q;
}

uint64_t Fingerprint(std::string_view s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string FingerprintHex(std::string_view s) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(Fingerprint(s)));
  return buf;
}

namespace {

// Decodes one UTF-8 code point; returns 0xFFFD and advances one byte on bad input.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[*i + k]);
    if ((cc >> 6) != 2) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += len;
  return cp;
}

// Base letters of U+00C0..U+017F, lowercased ('.' = not a letter to fold).
constexpr char kLatinFold[] =
    "aaaaaaaceeeeiiii"   // C0
    "dnooooo.ouuuuyts"   // D0 (D7 is x-sign, DE thorn, DF sharp s)
    "aaaaaaaceeeeiiii"   // E0
    "dnooooo.ouuuuyty"   // F0
    "aaaaaaccccccccdd"   // 100
    "ddeeeeeeeeeegggg"   // 110
    "gggghhhhiiiiiiii"   // 120
    "iiiijjkkklllllll"   // 130
    "lllnnnnnnnnnoooo"   // 140
    "oooorrrrrrssssss"   // 150
    "ssttttttuuuuuuuu"   // 160
    "uuuuwwyyyzzzzzzs";  // 170

}  // namespace

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  auto emit = [&](char32_t cp) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    AppendUtf8(cp, &out);
  };
  size_t i = 0;
  while (i < name.size()) {
    char32_t cp = NextCodePoint(name, &i);
    if (cp < 0x80) {
      if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        emit(cp);
      } else if (cp >= 'A' && cp <= 'Z') {
        emit(cp + 32);
      } else if (cp == '\'') {
        // "Xi'an" and "China's": the apostrophe joins; the linker strips possessives.
        continue;
      } else {
        pending_space = true;
      }
    } else if (cp >= 0xC0 && cp <= 0x17F) {
      char base = kLatinFold[cp - 0xC0];
      if (cp == 0xDF) {
        emit('s');
        emit('s');
      } else if (base == '.') {
        pending_space = true;
      } else {
        emit(static_cast<char32_t>(base));
      }
    } else if (cp >= 0x410 && cp <= 0x42F) {
      emit(cp + 0x20);  // Cyrillic capitals
    } else if (cp >= 0x400 && cp <= 0x40F) {
      emit(cp == 0x401 ? 0x435 : cp + 0x50);  // Ё -> е, other Ѐ..Џ to lower
    } else if (cp == 0x451) {
      emit(0x435);  // ё -> е
    } else if (cp >= 0x391 && cp <= 0x3A9) {
      emit(cp + 0x20);  // Greek capitals
    } else if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
      continue;  // typographic apostrophes, as '
    } else if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0 || cp == 0xFFFD ||
               (cp >= 0x80 && cp < 0xC0) || cp == 0x3000) {
      pending_space = true;  // punctuation, spaces, symbols
    } else {
      emit(cp);
    }
  }
  return out;
}

}  // namespace sinew

namespace sinew {
namespace {

// The code point at s[i] and its length in bytes (invalid UTF-8 reads as
// one byte with code point 0xFFFD).
std::pair<char32_t, size_t> CodePointAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (d & 0x3F);
  }
  return {cp, n};
}

bool IsControl(char32_t cp, bool lines) {
  if (cp == 0) return true;
  if (cp < 0x20) return !(lines && (cp == '\t' || cp == '\n' || cp == '\r'));
  if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string CodeName(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace

std::string ControlIn(std::string_view s, bool lines) {
  for (size_t i = 0; i < s.size();) {
    auto [cp, n] = CodePointAt(s, i);
    if (IsControl(cp, lines)) return CodeName(cp);
    i += n;
  }
  return "";
}

std::string TerminalSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto [cp, n] = CodePointAt(s, i);
    if (cp != '\t' && cp != '\n' && IsControl(cp, false)) {
      char buf[16];
      if (cp < 0x100)
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      else
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string Excerpt(std::string_view s, size_t max) {
  if (s.size() <= max) return TerminalSafe(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return TerminalSafe(s.substr(0, cut)) + "...";
}

}  // namespace sinew
