#include "store/date.h"

namespace sinew {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

Status Bad(std::string_view text, const std::string& why) {
  return Status::Invalid(
      "bad date '" + std::string(text) + "': " + why +
      " (use YYYY, YYYY-MM, YYYY-MM-DD, 201X, with ~ ? or % on the end, or an interval "
      "A/B, ../B, A/..)");
}

Result<FuzzyDate> ParseOneDate(std::string_view text) {
  FuzzyDate d;
  d.text = std::string(text);
  std::string_view s = text;
  if (!s.empty() && (s.back() == '~' || s.back() == '?' || s.back() == '%')) {
    char q = s.back();
    d.approximate = q == '~' || q == '%';
    d.uncertain = q == '?' || q == '%';
    s.remove_suffix(1);
  }
  if (s.size() < 4) return Bad(text, "the year needs four digits");
  std::string_view year = s.substr(0, 4);
  // Decades (201X) and centuries (19XX).
  size_t xs = 0;
  while (xs < 2 && year[3 - xs] == 'X') ++xs;
  std::string_view year_digits = year.substr(0, 4 - xs);
  if (!AllDigits(year_digits)) return Bad(text, "the year must be digits");
  int base = ToInt(year_digits);
  int span = 1;
  for (size_t i = 0; i < xs; ++i) {
    base *= 10;
    span *= 10;
  }
  if (xs > 0) {
    if (s.size() != 4) return Bad(text, "a decade or century takes no month or day");
    d.lo = base * 10000 + 101;
    d.hi = (base + span - 1) * 10000 + 1231;
    return d;
  }
  int y = base;
  if (s.size() == 4) {
    d.lo = y * 10000 + 101;
    d.hi = y * 10000 + 1231;
    return d;
  }
  if (s.size() < 7 || s[4] != '-' || !AllDigits(s.substr(5, 2)))
    return Bad(text, "the month must be -MM");
  int m = ToInt(s.substr(5, 2));
  if (m < 1 || m > 12) return Bad(text, "the month must be 01 to 12");
  if (s.size() == 7) {
    d.lo = y * 10000 + m * 100 + 1;
    d.hi = y * 10000 + m * 100 + DaysInMonth(y, m);
    return d;
  }
  if (s.size() != 10 || s[7] != '-' || !AllDigits(s.substr(8, 2)))
    return Bad(text, "the day must be -DD");
  int day = ToInt(s.substr(8, 2));
  if (day < 1 || day > DaysInMonth(y, m)) return Bad(text, "no such day in that month");
  d.lo = d.hi = y * 10000 + m * 100 + day;
  return d;
}

}  // namespace

Result<FuzzyDate> ParseDate(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return ParseOneDate(text);
  // An EDTF interval: some day from the start of A to the end of B, either
  // end open ("..") but not both.
  std::string_view a = text.substr(0, slash), b = text.substr(slash + 1);
  if (a == ".." && b == "..") return Bad(text, "an interval needs at least one end");
  FuzzyDate d;
  d.text = std::string(text);
  d.lo = kDateMin;
  d.hi = kDateMax;
  if (a != "..") {
    Result<FuzzyDate> from = ParseOneDate(a);
    if (!from.ok()) return Bad(text, "the interval's start: " + from.status().message());
    d.lo = from->lo;
    d.approximate = from->approximate;
    d.uncertain = from->uncertain;
  }
  if (b != "..") {
    Result<FuzzyDate> to = ParseOneDate(b);
    if (!to.ok()) return Bad(text, "the interval's end: " + to.status().message());
    d.hi = to->hi;
    d.approximate = d.approximate || to->approximate;
    d.uncertain = d.uncertain || to->uncertain;
  }
  if (d.lo > d.hi) return Bad(text, "the interval ends before it starts");
  return d;
}

}  // namespace sinew
