#pragma once
// Calendar conversion: broken-down UTC date and time <-> seconds since the Unix epoch (1970-01-01), in
// the proleptic Gregorian calendar, with no leap seconds (POSIX time). Linux's mktime64/time64_to_tm.
#include <stdint.h>

struct CalendarTime {
    int64_t year;  // e.g. 2026
    int mon;       // 1-12
    int mday;      // 1-31
    int hour, min, sec;
    int wday;      // 0 = Sunday (filled by time64_to_calendar)
    int yday;      // 0-365 (filled by time64_to_calendar)
};

// Days since 1970-01-01 of a date (negative before it). Month and day must be valid.
int64_t days_from_civil(int64_t year, int mon, int mday);
int64_t mktime64(int64_t year, int mon, int mday, int hour, int min, int sec);
CalendarTime time64_to_calendar(int64_t t);

bool is_leap_year(int64_t year);
int days_in_month(int64_t year, int mon);
// Whether the fields are a real date and time (what an RTC may hand back garbled).
bool calendar_time_valid(const CalendarTime& tm);
