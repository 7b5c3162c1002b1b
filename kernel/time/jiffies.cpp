// jiffies, and the tick counter as a clock source.
#include <time/jiffies.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>

volatile uint64_t jiffies = 0;

namespace {

constexpr uint64_t NSEC_PER_JIFFY = NSEC_PER_SEC / HZ;
// A jiffy is a whole number of ns for every HZ Linux offers except 300 (3333333.3 ns, 0.1 ppm off).
// The shift only needs to leave room for the multiplication: 2^8 jiffies-worth of fraction is plenty.
constexpr uint32_t kJiffiesShift = 8;
static_assert((NSEC_PER_JIFFY << kJiffiesShift) <= UINT32_MAX, "HZ too low for the jiffies clock source");

uint64_t jiffies_read(Clocksource*) { return jiffies; }

}  // namespace

Clocksource clocksource_jiffies = {
    .name = "jiffies",
    .rating = 1,
    .read = jiffies_read,
    .mask = CLOCKSOURCE_MASK(64),
    .flags = 0,  // not continuous: it only moves when a tick arrives
    .mult = uint32_t(NSEC_PER_JIFFY << kJiffiesShift),
    .shift = kJiffiesShift,
    .freq_hz = 0,
};
