// Tick device selection and the periodic tick handler.
#include <time/tick.hpp>
#include <time/timekeeping.hpp>
#include <time/timer.hpp>
#include <printk/printk.hpp>
#include <sched/hooks.hpp>
#include <smp/percpu.hpp>

namespace {

struct TickDevice {
    ClockEventDevice* evtdev = nullptr;
    uint64_t ticks = 0;
};

TickDevice tick_cpu_device[kMaxCpus];
// Written once, by the first CPU that installs a tick device; read in every tick.
int do_timer_cpu = -1;

// Whether `candidate` should replace `current` as the tick device of a CPU.
bool better_tick_device(const ClockEventDevice& candidate, const ClockEventDevice* current) {
    if (!(candidate.features & CLOCK_EVT_FEAT_PERIODIC)) return false;
    return !current || candidate.rating > current->rating;
}

}  // namespace

void tick_handle_periodic(ClockEventDevice*) {
    unsigned cpu = smp_processor_id();
    tick_cpu_device[cpu].ticks++;
    if (int(cpu) == do_timer_cpu) {
        jiffies = jiffies + 1;  // single writer: only this CPU ever stores to it
        update_wall_time();
        run_timers();
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
    dev.event_handler = tick_handle_periodic;
    clockevents_switch_state(dev, ClockEventState::Periodic, TICK_NSEC);
    arch::irq_restore(flags);
    pr_info("clockevents: tick device %s at %u Hz (CPU%u)", dev.name, HZ, cpu);
}

ClockEventDevice* tick_device(unsigned cpu) { return cpu < kMaxCpus ? tick_cpu_device[cpu].evtdev : nullptr; }
int tick_do_timer_cpu() { return do_timer_cpu; }
uint64_t tick_count(unsigned cpu) { return cpu < kMaxCpus ? tick_cpu_device[cpu].ticks : 0; }
