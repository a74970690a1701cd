#include "tornado/locale.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>

using tornado::locale::format_date;

// Every expected string is what Python's tornado.locale.get("en_US").format_date(date,
// relative=False) returned with its clock set to kNow.
constexpr std::int64_t kNow = 1311625256;  // Monday, July 25, 2011, 8:20:56 pm UTC
constexpr std::int64_t kDay = 86400;

TEST_CASE("format_date: less than a day ago is the time of day", "[locale]") {
    CHECK(format_date(kNow - 60, kNow) == "8:19 pm");
    CHECK(format_date(kNow - 13 * 3600, kNow) == "7:20 am");
}

TEST_CASE("format_date: less than five days ago is the weekday", "[locale]") {
    CHECK(format_date(kNow - 2 * kDay - 7200, kNow) == "Saturday at 6:20 pm");
    CHECK(format_date(1311348056, kNow) == "Friday at 3:20 pm");
    CHECK(format_date(kNow - 4 * kDay - 20 * 3600, kNow) == "Thursday at 12:20 am");
}

TEST_CASE("format_date: less than 334 days ago is month and day", "[locale]") {
    CHECK(format_date(kNow - 5 * kDay, kNow) == "July 20 at 8:20 pm");
    CHECK(format_date(1310248056, kNow) == "July 9 at 9:47 pm");
    CHECK(format_date(kNow - 333 * kDay, kNow) == "August 26 at 8:20 pm");
}

TEST_CASE("format_date: older dates and future ones are written in full", "[locale]") {
    CHECK(format_date(kNow - 334 * kDay, kNow) == "August 25, 2010 at 8:20 pm");
    CHECK(format_date(kNow + 120, kNow) == "July 25, 2011 at 8:22 pm");
    CHECK(format_date(0, kNow) == "January 1, 1970 at 12:00 am");
    CHECK(format_date(43200 - 365 * kDay, kNow) == "January 1, 1969 at 12:00 pm");
}

TEST_CASE("format_date refuses dates outside the years 1 to 9999", "[locale]") {
    CHECK(format_date(253402300799, 253402300799) == "11:59 pm");  // the last second of 9999
    CHECK(format_date(-62135596800, kNow) == "January 1, 1 at 12:00 am");
    CHECK_THROWS_AS(format_date(253402300800, kNow), std::out_of_range);
    CHECK_THROWS_AS(format_date(std::numeric_limits<std::int64_t>::min(), kNow), std::out_of_range);
    CHECK_THROWS_AS(format_date(kNow, std::numeric_limits<std::int64_t>::max()), std::out_of_range);
}
