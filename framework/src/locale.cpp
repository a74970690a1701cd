#include "tornado/locale.hpp"

#include <array>
#include <chrono>
#include <stdexcept>
#include <string_view>

namespace tornado::locale {

namespace {

constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};

// Python's datetime holds the years 1 to 9999; outside them Tornado's format_date raises too.
constexpr std::int64_t kFirstSecond = -62135596800;  // 0001-01-01 00:00:00 UTC
constexpr std::int64_t kLastSecond = 253402300799;   // 9999-12-31 23:59:59 UTC

}  // namespace

std::string format_date(std::int64_t date, std::int64_t now) {
    using namespace std::chrono;
    if (date < kFirstSecond || date > kLastSecond || now < kFirstSecond || now > kLastSecond) {
        throw std::out_of_range("format_date: " + std::to_string(date) + " is outside the years 1 to 9999");
    }
    const sys_seconds at{seconds{date}};
    const sys_days day = floor<days>(at);
    const year_month_day calendar{day};
    const hh_mm_ss clock{at - day};

    const auto hour = clock.hours().count();
    std::string time = std::to_string(hour % 12 == 0 ? 12 : hour % 12) + ':';
    const auto minute = clock.minutes().count();
    if (minute < 10) time += '0';
    time += std::to_string(minute);
    time += hour >= 12 ? " pm" : " am";

    std::string month_day(kMonths[static_cast<unsigned>(calendar.month()) - 1]);
    month_day += ' ';
    month_day += std::to_string(static_cast<unsigned>(calendar.day()));

    // Whole days between the two, as Python's timedelta.days counts them (rounded down).
    const auto days_ago = floor<days>(seconds{now - date}).count();
    if (date <= now && days_ago == 0) return time;
    if (date <= now && days_ago < 5) return std::string(kWeekdays[weekday{day}.c_encoding()]) + " at " + time;
    if (date <= now && days_ago < 334) return month_day + " at " + time;
    return month_day + ", " + std::to_string(static_cast<int>(calendar.year())) + " at " + time;
}

std::string format_date(std::int64_t date) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return format_date(date, now.time_since_epoch().count());
}

}  // namespace tornado::locale
