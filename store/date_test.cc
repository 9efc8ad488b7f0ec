#include "store/date.h"

#include <doctest/doctest.h>

namespace sinew {

TEST_CASE("dates of reduced precision map to the days they may mean") {
  auto year = ParseDate("2021");
  REQUIRE(year.ok());
  CHECK(year->lo == 20210101);
  CHECK(year->hi == 20211231);
  auto month = ParseDate("2024-02");
  REQUIRE(month.ok());
  CHECK(month->hi == 20240229);  // leap year
  auto day = ParseDate("2018-05-15");
  REQUIRE(day.ok());
  CHECK(day->lo == day->hi);
  auto decade = ParseDate("201X");
  REQUIRE(decade.ok());
  CHECK(decade->lo == 20100101);
  CHECK(decade->hi == 20191231);
  auto century = ParseDate("19XX");
  REQUIRE(century.ok());
  CHECK(century->hi == 19991231);
  auto approx = ParseDate("2014~");
  REQUIRE(approx.ok());
  CHECK(approx->approximate);
  CHECK_FALSE(approx->uncertain);
  auto both = ParseDate("2009%");
  REQUIRE(both.ok());
  CHECK(both->approximate);
  CHECK(both->uncertain);
}

TEST_CASE("malformed dates are refused with the reason") {
  for (const char* bad : {"", "21", "2021-13", "2021-02-30", "2021/01", "20XX-01", "abcd", "2021-1",
                          "2021-01-1", "2021-01-01T00"}) {
    CAPTURE(bad);
    auto d = ParseDate(bad);
    CHECK_FALSE(d.ok());
  }
  CHECK(ParseDate("2021-13").status().message().find("month") != std::string::npos);
  CHECK(ParseDate("2021-02-30").status().message().find("no such day") != std::string::npos);
}

}  // namespace sinew
