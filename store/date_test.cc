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

namespace sinew {

TEST_CASE("EDTF intervals span from the start of one date to the end of another") {
  auto window = ParseDate("2022-02-19/2022-03-31");
  REQUIRE(window.ok());
  CHECK(window->text == "2022-02-19/2022-03-31");
  CHECK(window->lo == 20220219);
  CHECK(window->hi == 20220331);
  auto coarse = ParseDate("2021/2022-06");
  REQUIRE(coarse.ok());
  CHECK(coarse->lo == 20210101);
  CHECK(coarse->hi == 20220630);
  auto before = ParseDate("../2021-08-18");
  REQUIRE(before.ok());
  CHECK(before->lo == kDateMin);
  CHECK(before->hi == 20210818);
  auto after = ParseDate("2024-05-03/..");
  REQUIRE(after.ok());
  CHECK(after->lo == 20240503);
  CHECK(after->hi == kDateMax);
  auto approx = ParseDate("1960~/1962");
  REQUIRE(approx.ok());
  CHECK(approx->approximate);
  for (const char* bad : {"../..", "2022-03-31/2022-02-19", "2022/", "/2022", "2022//2023",
                          "2022-13/2023", "2022/2023-02-30", "../", "a/b"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseDate(bad).ok());
  }
}

}  // namespace sinew
