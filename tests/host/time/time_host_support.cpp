// What the time code needs from the rest of the kernel when it runs as a host unit test.
//
// scheduler_tick, panic and warn_slowpath are weak: the real ones (if another subsystem's host build
// provides them) take precedence. arch::early_udelay is the host architecture's part of time.
#include "time_host_support.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include <printk/panic.hpp>
#include <sched/hooks.hpp>
#include <time/timekeeping.hpp>

uint64_t host_early_udelay_us = 0;

namespace arch {
void early_udelay(uint64_t us) { host_early_udelay_us += us; }
}  // namespace arch

[[gnu::weak]] void scheduler_tick() {}

[[gnu::weak]] void panic(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::fputs("host panic: ", stderr);
    std::vfprintf(stderr, fmt, args);
    std::fputc('\n', stderr);
    va_end(args);
    std::abort();
}

[[gnu::weak]] void warn_slowpath(const char* file, int line, const char* cond) {
    std::fprintf(stderr, "host WARNING at %s:%d: %s\n", file, line, cond);
}

FakeCounter::FakeCounter(const char* name, int rating, unsigned bits) {
    cs.name = name;
    cs.rating = rating;
    cs.read = [](Clocksource* c) { return container_of(c, &FakeCounter::cs)->value & c->mask; };
    cs.mask = CLOCKSOURCE_MASK(bits);
    cs.flags = CLOCK_SOURCE_IS_CONTINUOUS;
}

void ensure_time_core() {
    static bool done = false;
    if (done) return;
    done = true;
    timekeeping_init(0);
    clocksource_done_booting();
}
