// Tick device selection and the periodic tick handler.
#include <time/tick.hpp>
#include <time/timekeeping.hpp>
#include <time/timer.hpp>
#include <printk/printk.hpp>
#include <sched/hooks.hpp>
#include <sched/loadavg.hpp>
#include <smp/percpu.hpp>

namespace {

struct TickDevice {
    ClockEventDevice* evtdev = nullptr;
    uint64_t ticks = 0;
};

TickDevice tick_cpu_device[kMaxCpus];
// Written once, by the first CPU that installs a tick device; read in every tick.
int do_timer_cpu = -1;

// jiffies bookkeeping, touched only by the jiffies owner in its tick (interrupts off).
uint64_t next_jiffy_ns = 0;      // monotonic time at which jiffies next advance; 0: (re)start the grid
uint64_t lost_ticks = 0;         // tick periods that passed without their own interrupt

// Whether `candidate` should replace `current` as the tick device of a CPU.
bool better_tick_device(const ClockEventDevice& candidate, const ClockEventDevice* current) {
    if (!(candidate.features & CLOCK_EVT_FEAT_PERIODIC)) return false;
    return !current || candidate.rating > current->rating;
}

// jiffies count tick periods of the clock source, not interrupts (Linux's tick_do_update_jiffies64):
// an interrupt lost because it could not be taken in time (interrupts off for longer than a period, a
// virtual CPU the host did not run) still advances jiffies at the next one, so jiffies-based timeouts
// and timers keep real time.
//
// The periods form a grid: next_jiffy_ns is where the next one ends. Interrupts can be late, never
// early, so the grid is kept at the earliest arrivals: the first interrupt starts it, and one that
// comes a little before its grid point (less than a quarter period) shows the grid was set by a late
// one and moves it back. One that comes well before (an emulated PIT delivering the interrupts it
// missed in a burst) belongs to a period already counted and changes nothing.
void tick_do_update_jiffies(uint64_t now) {
    if (!next_jiffy_ns) next_jiffy_ns = now;
    if (now < next_jiffy_ns) {
        if (next_jiffy_ns - now > TICK_NSEC / 4) return;
        next_jiffy_ns = now;
    }
    uint64_t periods = (now - next_jiffy_ns) / TICK_NSEC + 1;
    next_jiffy_ns += periods * TICK_NSEC;
    lost_ticks += periods - 1;
    jiffies = jiffies + periods;  // single writer: only this CPU ever stores to it
}

}  // namespace

void tick_handle_periodic(ClockEventDevice*) {
    unsigned cpu = smp_processor_id();
    tick_cpu_device[cpu].ticks++;
    if (int(cpu) == do_timer_cpu) {
        tick_do_update_jiffies(ktime_get_ns());
        update_wall_time();
        run_timers();
        calc_global_load();
    }
    scheduler_tick();
}

void tick_check_new_device(ClockEventDevice& dev) {
    unsigned cpu = smp_processor_id();
    if (dev.cpu >= 0 && unsigned(dev.cpu) != cpu) return;  // a local device of another CPU
    if (dev.state != ClockEventState::Detached) return;    // a global device already in use
    TickDevice& td = tick_cpu_device[cpu];
    ClockEventDevice* old = td.evtdev;
    if (!better_tick_device(dev, old)) return;

    arch::IrqFlags flags = arch::irq_save();
    if (old) {
        clockevents_switch_state(*old, ClockEventState::Detached);
        old->event_handler = clockevents_handle_noop;
    }
    td.evtdev = &dev;
    if (do_timer_cpu < 0) do_timer_cpu = int(cpu);
    if (int(cpu) == do_timer_cpu) next_jiffy_ns = 0;  // a new device has its own phase: re-centre the grid
    dev.event_handler = tick_handle_periodic;
    clockevents_switch_state(dev, ClockEventState::Periodic, TICK_NSEC);
    arch::irq_restore(flags);
    pr_info("clockevents: tick device %s at %u Hz (CPU%u)", dev.name, HZ, cpu);
}

ClockEventDevice* tick_device(unsigned cpu) { return cpu < kMaxCpus ? tick_cpu_device[cpu].evtdev : nullptr; }
int tick_do_timer_cpu() { return do_timer_cpu; }
uint64_t tick_count(unsigned cpu) { return cpu < kMaxCpus ? tick_cpu_device[cpu].ticks : 0; }
uint64_t tick_lost_ticks() { return lost_ticks; }
