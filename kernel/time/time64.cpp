// Calendar arithmetic. Both directions count in a year that starts on March 1st, which puts the leap day
// last, so month lengths follow a fixed pattern (31 30 31 30 31 31 30 31 30 31 31 28/29) that a linear
// formula captures, and in 400-year eras, which repeat exactly (146097 days). This is the published
// days-from-civil method (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
#include <time/time64.hpp>

namespace {

constexpr int64_t kDaysPerEra = 146097;            // 400 Gregorian years
constexpr int64_t kEpochFromMarch0000 = 719468;    // days from 0000-03-01 to 1970-01-01
constexpr int64_t kSecondsPerDay = 86400;

// Floor division for negative dividends (C++ division truncates toward zero).
constexpr int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

bool is_leap_year(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int64_t year, int mon) {
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon == 2 && is_leap_year(year)) return 29;
    return kDays[mon - 1];
}

int64_t days_from_civil(int64_t year, int mon, int mday) {
    int64_t y = year - (mon <= 2);                     // January and February end the previous year
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;               // [0, 399]
    int64_t month_from_march = (mon + 9) % 12;         // March = 0 ... February = 11
    int64_t day_of_year = (153 * month_from_march + 2) / 5 + mday - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * kDaysPerEra + day_of_era - kEpochFromMarch0000;
}

int64_t mktime64(int64_t year, int mon, int mday, int hour, int min, int sec) {
    return days_from_civil(year, mon, mday) * kSecondsPerDay + hour * 3600 + min * 60 + sec;
}

CalendarTime time64_to_calendar(int64_t t) {
    CalendarTime tm{};
    int64_t days = floor_div(t, kSecondsPerDay);
    int64_t secs = t - days * kSecondsPerDay;
    tm.hour = int(secs / 3600);
    tm.min = int(secs / 60 % 60);
    tm.sec = int(secs % 60);
    tm.wday = int((days % 7 + 7 + 4) % 7);  // 1970-01-01 was a Thursday

    int64_t z = days + kEpochFromMarch0000;
    int64_t era = floor_div(z, kDaysPerEra);
    int64_t day_of_era = z - era * kDaysPerEra;  // [0, 146096]
    // Undo the leap-day corrections to find the year within the era.
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153;
    tm.mday = int(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    tm.mon = int(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    tm.year = year_of_era + era * 400 + (tm.mon <= 2);
    tm.yday = int(days - days_from_civil(tm.year, 1, 1));
    return tm;
}

bool calendar_time_valid(const CalendarTime& tm) {
    return tm.mon >= 1 && tm.mon <= 12 && tm.mday >= 1 && tm.mday <= days_in_month(tm.year, tm.mon) &&
           tm.hour >= 0 && tm.hour < 24 && tm.min >= 0 && tm.min < 60 && tm.sec >= 0 && tm.sec < 60;
}
