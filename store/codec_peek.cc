// Reading two fields of an encoded evidence record without decoding the
// rest: a scan over every version of every claim (`sinew diff`) wants only
// when each was recorded and withdrawn, and decoding 60,000 records into
// JSON to learn that was most of its time (docs/benchmarks.md).
#include <cstdint>

#include "store/codec.h"

namespace sinew::store_internal {
namespace {

// A cursor over MessagePack bytes; every read checks the bounds.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool Byte(uint8_t* b) {
    if (at_ >= s_.size()) return false;
    *b = static_cast<uint8_t>(s_[at_++]);
    return true;
  }
  bool Uint(int bytes, uint64_t* v) {
    if (s_.size() - at_ < static_cast<size_t>(bytes)) return false;
    *v = 0;
    for (int k = 0; k < bytes; ++k) *v = (*v << 8) | static_cast<uint8_t>(s_[at_++]);
    return true;
  }
  bool Skip(uint64_t n) {
    if (s_.size() - at_ < n) return false;
    at_ += n;
    return true;
  }
  bool Take(uint64_t n, std::string_view* out) {
    if (s_.size() - at_ < n) return false;
    *out = s_.substr(at_, n);
    at_ += n;
    return true;
  }

  // A string's bytes; false when the next value is not a string.
  bool String(std::string_view* out) {
    uint8_t b;
    uint64_t n;
    if (!Byte(&b)) return false;
    if ((b & 0xE0) == 0xA0) return Take(b & 0x1F, out);
    if (b == 0xD9 || b == 0xDA || b == 0xDB)
      return Uint(b == 0xD9 ? 1 : b == 0xDA ? 2 : 4, &n) && Take(n, out);
    return false;
  }

  // Passes over one value, whatever it is; `depth` bounds nesting.
  bool SkipValue(int depth = 0) {
    if (depth > 64) return false;
    uint8_t b;
    uint64_t n;
    if (!Byte(&b)) return false;
    if (b <= 0x7F || b >= 0xE0 || b == 0xC0 || b == 0xC2 || b == 0xC3) return true;
    if ((b & 0xE0) == 0xA0) return Skip(b & 0x1F);
    if ((b & 0xF0) == 0x90) return SkipItems(b & 0x0F, depth);
    if ((b & 0xF0) == 0x80) return SkipItems(2 * uint64_t{b & 0x0Fu}, depth);
    switch (b) {
      case 0xCC:
      case 0xD0:
        return Skip(1);
      case 0xCD:
      case 0xD1:
        return Skip(2);
      case 0xCA:
      case 0xCE:
      case 0xD2:
        return Skip(4);
      case 0xCB:
      case 0xCF:
      case 0xD3:
        return Skip(8);
      case 0xD4:
        return Skip(2);
      case 0xD5:
        return Skip(3);
      case 0xD6:
        return Skip(5);
      case 0xD7:
        return Skip(9);
      case 0xD8:
        return Skip(17);
      case 0xC4:
      case 0xD9:
        return Uint(1, &n) && Skip(n);
      case 0xC5:
      case 0xDA:
        return Uint(2, &n) && Skip(n);
      case 0xC6:
      case 0xDB:
        return Uint(4, &n) && Skip(n);
      case 0xC7:
        return Uint(1, &n) && Skip(n + 1);
      case 0xC8:
        return Uint(2, &n) && Skip(n + 1);
      case 0xC9:
        return Uint(4, &n) && Skip(n + 1);
      case 0xDC:
        return Uint(2, &n) && SkipItems(n, depth);
      case 0xDD:
        return Uint(4, &n) && SkipItems(n, depth);
      case 0xDE:
        return Uint(2, &n) && SkipItems(2 * n, depth);
      case 0xDF:
        return Uint(4, &n) && SkipItems(2 * n, depth);
      default:
        return false;  // 0xC1, never used
    }
  }

  // A whole number of any MessagePack width; false when the next value is
  // not one (or does not fit).
  bool Int(int64_t* v) {
    uint8_t b;
    uint64_t u;
    if (!Byte(&b)) return false;
    if (b <= 0x7F) return *v = b, true;
    if (b >= 0xE0) return *v = static_cast<int8_t>(b), true;
    switch (b) {
      case 0xCC:
      case 0xCD:
      case 0xCE:
      case 0xCF: {
        int bytes = 1 << (b - 0xCC);
        if (!Uint(bytes, &u) || u > static_cast<uint64_t>(INT64_MAX)) return false;
        return *v = static_cast<int64_t>(u), true;
      }
      case 0xD0:
        return Uint(1, &u) && (*v = static_cast<int8_t>(u), true);
      case 0xD1:
        return Uint(2, &u) && (*v = static_cast<int16_t>(u), true);
      case 0xD2:
        return Uint(4, &u) && (*v = static_cast<int32_t>(u), true);
      case 0xD3:
        return Uint(8, &u) && (*v = static_cast<int64_t>(u), true);
      default:
        return false;
    }
  }

  bool AtEnd() const { return at_ == s_.size(); }

  // A map's entry count; false when the next value is not a map.
  bool MapSize(uint64_t* n) {
    uint8_t b;
    if (!Byte(&b)) return false;
    if ((b & 0xF0) == 0x80) {
      *n = b & 0x0F;
      return true;
    }
    if (b == 0xDE || b == 0xDF) return Uint(b == 0xDE ? 2 : 4, n);
    return false;
  }

 private:
  bool SkipItems(uint64_t n, int depth) {
    for (uint64_t k = 0; k < n; ++k)
      if (!SkipValue(depth + 1)) return false;
    return true;
  }

  std::string_view s_;
  size_t at_ = 0;
};

}  // namespace

bool PeekEvidenceTimes(std::string_view s, std::string_view* at, std::string_view* retracted) {
  *at = *retracted = {};
  Cursor c(s);
  uint64_t n;
  if (!c.MapSize(&n)) return false;
  bool seen_at = false;
  for (uint64_t k = 0; k < n; ++k) {
    std::string_view key;
    if (!c.String(&key)) return false;
    if (key == "at" || key == "ret") {
      if (!c.String(key == "at" ? at : retracted)) return false;
      seen_at = seen_at || key == "at";
    } else if (!c.SkipValue()) {
      return false;
    }
  }
  return seen_at;
}

bool PeekStatus(std::string_view s, EvidenceStatus* status) {
  // The whole map is walked, so bytes cut short or run on are refused as a
  // decode would refuse them.
  Cursor c(s);
  uint64_t n;
  if (!c.MapSize(&n)) return false;
  bool found = false;
  for (uint64_t k = 0; k < n; ++k) {
    std::string_view key;
    if (!c.String(&key)) return false;
    if (key != "st") {
      if (!c.SkipValue()) return false;
      continue;
    }
    int64_t v;
    if (!c.Int(&v) || v < 0 || v > static_cast<int64_t>(EvidenceStatus::kRejected)) return false;
    *status = static_cast<EvidenceStatus>(v);
    found = true;
  }
  return found && c.AtEnd();
}

Status DecodeEvidenceIf(std::string_view s, const EvidenceTimesFilter& keep, EvidenceRecord* r,
                        bool* kept) {
  std::string_view at, ret;
  *kept = false;
  if (PeekEvidenceTimes(s, &at, &ret) && !keep(at, ret)) return Status::Ok();
  SINEW_RETURN_IF_ERROR(DecodeEvidence(s, r));
  *kept = keep(r->recorded_at, r->retracted_at);
  return Status::Ok();
}

}  // namespace sinew::store_internal
