// tornado::locale — dates written for people. Counterpart of tornado/locale.py; so far only its
// English (en_US, Tornado's default locale) Locale.format_date.
#pragma once

#include <cstdint>
#include <string>

namespace tornado::locale {

// date (seconds since the epoch, UTC) as Tornado's en_US format_date(date, relative=False)
// writes it when the time is now: "3:20 pm" less than a day ago, "Friday at 3:20 pm" less than
// five days ago, "July 22 at 3:20 pm" less than 334 days ago, else (and for a date after now)
// "July 22, 2011 at 3:20 pm". A date (or now) outside the years 1 to 9999 is std::out_of_range,
// as Python's datetime refuses it.
std::string format_date(std::int64_t date, std::int64_t now);
// The same, seen from the current time.
std::string format_date(std::int64_t date);

}  // namespace tornado::locale
