// Clock event devices: conversion, one-shot programming, and the choice of the tick device.

#include "time_host_support.hpp"
#include <lib/list.hpp>
#include <time/clockevents.hpp>
#include <time/tick.hpp>
#include <time/timer.hpp>

#include <gtest/gtest.h>
#include <vector>


namespace {

// A device that records what the time core asked of it.
struct FakeDevice {
    ClockEventDevice dev{};
    uint64_t period_ns = 0;
    std::vector<uint64_t> programmed;  // cycles passed to set_next_event
    int etime_left = 0;                // report ETIME this many times
    int shutdowns = 0;

    FakeDevice(const char* name, int rating, unsigned features, int cpu) {
        dev.name = name;
        dev.rating = rating;
        dev.features = features;
        dev.cpu = cpu;
        dev.set_periodic = [](ClockEventDevice* d, uint64_t ns) { self(d)->period_ns = ns; };
        dev.set_oneshot = [](ClockEventDevice* d) { self(d)->period_ns = 0; };
        dev.set_next_event = [](uint64_t cycles, ClockEventDevice* d) -> Result<void> {
            self(d)->programmed.push_back(cycles);
            if (self(d)->etime_left > 0) {
                self(d)->etime_left--;
                return Errno::ETIME;
            }
            return {};
        };
        dev.shutdown = [](ClockEventDevice* d) {
            self(d)->shutdowns++;
            self(d)->period_ns = 0;
        };
    }
    static FakeDevice* self(ClockEventDevice* d) { return container_of(d, &FakeDevice::dev); }
};

TEST(Clockevents, TickDeviceIsTheBestPeriodicOne) {
    ensure_time_core();
    static FakeDevice pit("fake_pit", 10, CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT, -1);
    static FakeDevice deadline("fake_deadline", 150, CLOCK_EVT_FEAT_ONESHOT, 0);  // cannot tick
    static FakeDevice lapic("fake_lapic", 100, CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT, 0);
    static FakeDevice other_cpu("fake_lapic1", 100, CLOCK_EVT_FEAT_PERIODIC, 1);
    static FakeDevice hpet("fake_hpet", 50, CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT, -1);

    clockevents_config_and_register(pit.dev, 1193182, 2, 0xffff);
    EXPECT_EQ(tick_device(0), &pit.dev);
    EXPECT_EQ(tick_do_timer_cpu(), 0);
    EXPECT_EQ(pit.dev.state, ClockEventState::Periodic);
    EXPECT_EQ(pit.period_ns, TICK_NSEC);
    EXPECT_EQ(pit.dev.event_handler, tick_handle_periodic);

    clockevents_config_and_register(deadline.dev, 1000000000, 1, ~0u);
    EXPECT_EQ(tick_device(0), &pit.dev);  // one-shot only: not a periodic tick
    clockevents_config_and_register(other_cpu.dev, 62500000, 1, 0xffffffff);
    EXPECT_EQ(tick_device(0), &pit.dev);  // belongs to CPU 1

    clockevents_config_and_register(lapic.dev, 62500000, 1, 0xffffffff);
    EXPECT_EQ(tick_device(0), &lapic.dev);  // better: replaces the PIT, which is stopped
    EXPECT_EQ(pit.dev.state, ClockEventState::Detached);
    EXPECT_EQ(pit.shutdowns, 1);
    EXPECT_EQ(pit.dev.event_handler, clockevents_handle_noop);
    EXPECT_EQ(lapic.period_ns, TICK_NSEC);

    clockevents_config_and_register(hpet.dev, 100000000, 1, 0xffffffff);
    EXPECT_EQ(tick_device(0), &lapic.dev);  // worse: stays unused
    EXPECT_EQ(hpet.dev.state, ClockEventState::Detached);
    EXPECT_EQ(clockevents_find("fake_hpet"), &hpet.dev);
    EXPECT_EQ(clockevents_find("fake_lapic1", 0), nullptr);

    // Time comes from a 1 GHz counter the test advances by hand.
    FakeCounter clock("fake_ns", 500, 64);
    ASSERT_TRUE(clocksource_register_hz(clock.cs, NSEC_PER_SEC));
    auto tick_after = [&](uint64_t ns) {
        clock.value += ns;
        clockevents_handle_interrupt(lapic.dev);
    };

    // Each interrupt of the tick device one period after the last is one tick: jiffies, timers.
    KernelTimer t;
    int fired = 0;
    timer_setup(t, [](KernelTimer* k) { ++*static_cast<int*>(k->data); }, &fired);
    uint64_t j0 = jiffies;
    uint64_t ticks0 = tick_count(0);
    uint64_t lost0 = tick_lost_ticks();
    mod_timer(t, j0 + 3);
    for (int i = 0; i < 3; i++) tick_after(TICK_NSEC);
    EXPECT_EQ(jiffies, j0 + 3);
    EXPECT_EQ(tick_count(0), ticks0 + 3);
    EXPECT_EQ(lapic.dev.events, 3u);
    EXPECT_EQ(fired, 1);
    EXPECT_EQ(tick_lost_ticks(), lost0);

    // Interrupts that come late but do come (latency jitter) move nothing.
    tick_after(TICK_NSEC + TICK_NSEC / 3);
    tick_after(TICK_NSEC - TICK_NSEC / 3);
    EXPECT_EQ(jiffies, j0 + 5);

    // Two interrupts lost: the next one advances jiffies by three periods and runs what became due.
    mod_timer(t, j0 + 7);
    tick_after(3 * TICK_NSEC);
    EXPECT_EQ(jiffies, j0 + 8);
    EXPECT_EQ(tick_lost_ticks(), lost0 + 2);
    EXPECT_EQ(fired, 2);
    EXPECT_EQ(tick_count(0), ticks0 + 6);

    // An interrupt from the unused device does nothing.
    clockevents_handle_interrupt(pit.dev);
    EXPECT_EQ(jiffies, j0 + 8);
    EXPECT_TRUE(clocksource_unregister(clock.cs));
}

TEST(Clockevents, ConversionAndRange) {
    static FakeDevice dev("fake_conv", 1, CLOCK_EVT_FEAT_ONESHOT, 3);  // never a tick device here
    clockevents_config_and_register(dev.dev, 62500000, 16, 0xffffffff);  // a LAPIC timer, divide by 16
    EXPECT_EQ(clockevent_delta2cycles(dev.dev, 4000000), 250000u);  // 4 ms
    EXPECT_EQ(clockevent_cycles2ns(dev.dev, 250000), 4000000u);
    EXPECT_EQ(dev.dev.min_delta_ns, 257u);  // 16 cycles = 256 ns, rounded up
    EXPECT_NEAR(double(dev.dev.max_delta_ns), 68.72e9, 0.01e9);

    EXPECT_EQ(clockevents_program_event(dev.dev, 1000).error(), Errno::EINVAL);  // not in one-shot mode
    clockevents_switch_state(dev.dev, ClockEventState::Oneshot);
    ASSERT_TRUE(clockevents_program_event(dev.dev, 1000000));
    EXPECT_EQ(dev.programmed.back(), 62500u);
    ASSERT_TRUE(clockevents_program_event(dev.dev, 1));  // clamped up to the minimum
    EXPECT_EQ(dev.programmed.back(), 16u);
    ASSERT_TRUE(clockevents_program_event(dev.dev, 1000 * NSEC_PER_SEC));  // clamped down
    EXPECT_EQ(dev.programmed.back(), 0xffffffffu);

    // A missed moment is retried with growing minimum delays, then reported.
    dev.programmed.clear();
    dev.etime_left = 2;
    ASSERT_TRUE(clockevents_program_event(dev.dev, 1000000));
    EXPECT_EQ(dev.programmed, (std::vector<uint64_t>{62500, 32, 64}));
    dev.etime_left = 10;
    EXPECT_EQ(clockevents_program_event(dev.dev, 1000000).error(), Errno::ETIME);
    dev.etime_left = 0;
}

}  // namespace
