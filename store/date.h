// Reduced-precision dates in the EDTF style: "2021", "2021-09", "2021-09-30",
// decades and centuries with X ("201X", "19XX"), and the qualifiers "~"
// (approximate), "?" (uncertain) and "%" (both) on the end; and EDTF
// intervals "A/B", "../B" (open start), "A/.." (open end): some day in them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/status.h"

namespace sinew {

// A date as the interval of days it may mean, as yyyymmdd integers.
struct FuzzyDate {
  std::string text;  // the canonical written form, as given
  int32_t lo = 0;    // first day it may denote, e.g. 20210101 for "2021"
  int32_t hi = 0;    // last day it may denote, e.g. 20211231 for "2021"
  bool approximate = false;
  bool uncertain = false;
};

constexpr int32_t kDateMin = 0;         // open start
constexpr int32_t kDateMax = 99991231;  // open end ("still true")

// Parses `text`; returns an Invalid status naming what is wrong. An interval
// A/B gives {lo of A, hi of B} (an open end kDateMin or kDateMax), its text
// kept as written.
Result<FuzzyDate> ParseDate(std::string_view text);

}  // namespace sinew
