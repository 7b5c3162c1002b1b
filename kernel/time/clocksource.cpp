// The clock source registry and the choice of the clock source timekeeping runs on.
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <time/timekeeping.hpp>
#include <init/params.hpp>
#include <lib/string.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>

namespace {

// Guards the list, the override and the choice. Taken with interrupts off because it is held across
// the timekeeping switch, whose lock the tick takes.
SpinLock clocksource_lock;
IntrusiveList<Clocksource, &Clocksource::list> registered;
bool finished_booting = false;

constexpr size_t kNameMax = 32;
char override_name[kNameMax];  // clocksource= / clocksource_override(); "" for none


bool is_registered(const Clocksource& cs) {
    for (Clocksource& c : registered)
        if (&c == &cs) return true;
    return false;
}

// The clock source timekeeping should run on, ignoring `excluded` (one about to be removed).
Clocksource* pick_locked(const Clocksource* excluded) {
    if (override_name[0]) {
        for (Clocksource& c : registered)
            if (&c != excluded && !strcmp(c.name, override_name)) return &c;
    }
    for (Clocksource& c : registered)
        if (&c != excluded) return &c;  // sorted: the first is the best rated
    return nullptr;
}

// Switches timekeeping to `next` if it is not already on it. Returns the clock source switched to, or
// nullptr if nothing changed (the caller prints the message once the lock is dropped).
Clocksource* switch_locked(Clocksource* next) {
    if (!next || next == timekeeping_clocksource()) return nullptr;
    timekeeping_change_clocksource(*next);
    return next;
}

void report_switch(Clocksource* cs) {
    if (cs) pr_info("clocksource: Switched to clocksource %s", cs->name);
}

void insert_sorted_locked(Clocksource& cs) {
    for (Clocksource& c : registered) {
        if (c.rating < cs.rating) {
            registered.insert_before(c, cs);
            return;
        }
    }
    registered.push_back(cs);  // equal ratings keep registration order
}

}  // namespace

bool clocksource_setup_param(const char* value) {
    if (!value || !*value || strlen(value) >= kNameMax) return false;
    SpinLockIrqSaveGuard guard(clocksource_lock);
    strlcpy(override_name, value, kNameMax);
    return true;
}
KERNEL_PARAM("clocksource", clocksource_setup_param);

IntrusiveList<Clocksource, &Clocksource::list>& clocksource_list() { return registered; }

uint64_t clocksource_cyc2ns(const Clocksource& cs, uint64_t cycles) {
    return mul_u64_u32_shr(cycles, cs.mult, cs.shift);
}

Result<void> clocksource_register_hz(Clocksource& cs, uint64_t hz) {
    if (hz == 0) return Errno::EINVAL;
    // Conversions must stay exact up to a fifth of the wrap period (so a late update is still far from
    // a wrap), and need not cover more than 10 minutes.
    uint64_t seconds = cs.mask / hz / 5;
    if (seconds < 1) seconds = 1;
    if (seconds > 600) seconds = 600;
    MultShift ms = clocks_calc_mult_shift(hz, uint32_t(NSEC_PER_SEC), uint32_t(seconds));
    cs.mult = ms.mult;
    cs.shift = ms.shift;
    cs.freq_hz = hz;
    return clocksource_register(cs);
}

Result<void> clocksource_register(Clocksource& cs) {
    if (!cs.read || !cs.mask || !cs.mult || !cs.name) return Errno::EINVAL;
    cs.max_cycles = clocks_calc_max_cycles(cs.mult, cs.mask);
    // Half the exact range: an update that arrives late by up to that much still converts exactly.
    cs.max_idle_ns = clocksource_cyc2ns(cs, cs.max_cycles) / 2;

    Clocksource* switched = nullptr;
    {
        SpinLockIrqSaveGuard guard(clocksource_lock);
        if (is_registered(cs)) return Errno::EBUSY;
        insert_sorted_locked(cs);
        if (finished_booting) switched = switch_locked(pick_locked(nullptr));
    }
    report_switch(switched);
    return {};
}

Result<void> clocksource_unregister(Clocksource& cs) {
    Clocksource* switched = nullptr;
    {
        SpinLockIrqSaveGuard guard(clocksource_lock);
        if (!is_registered(cs)) return Errno::ENOENT;
        if (timekeeping_clocksource() == &cs) {
            Clocksource* next = pick_locked(&cs);
            if (!next) return Errno::EBUSY;
            switched = switch_locked(next);
        }
        registered.remove(cs);
    }
    report_switch(switched);
    return {};
}

void clocksource_done_booting() {
    Clocksource* switched = nullptr;
    bool override_missing = false;
    {
        SpinLockIrqSaveGuard guard(clocksource_lock);
        finished_booting = true;
        Clocksource* best = pick_locked(nullptr);
        override_missing = override_name[0] && best && strcmp(best->name, override_name) != 0;
        switched = switch_locked(best);
    }
    if (override_missing)
        pr_warn("clocksource: clocksource=%s is not available, using %s", override_name,
                timekeeping_clocksource()->name);
    report_switch(switched);
}

Result<void> clocksource_override(const char* name) {
    if (name && strlen(name) >= kNameMax) return Errno::EINVAL;
    Clocksource* switched = nullptr;
    {
        SpinLockIrqSaveGuard guard(clocksource_lock);
        if (name && *name) {
            bool known = false;
            for (Clocksource& c : registered) known |= !strcmp(c.name, name);
            if (!known) return Errno::ENODEV;
            strlcpy(override_name, name, kNameMax);
        } else {
            override_name[0] = '\0';
        }
        if (finished_booting) switched = switch_locked(pick_locked(nullptr));
    }
    report_switch(switched);
    return {};
}

void clocksource_get_override(char* buf, size_t size) {
    SpinLockIrqSaveGuard guard(clocksource_lock);
    strlcpy(buf, override_name, size);
}

Clocksource* clocksource_find(const char* name) {
    SpinLockIrqSaveGuard guard(clocksource_lock);
    for (Clocksource& c : registered)
        if (!strcmp(c.name, name)) return &c;
    return nullptr;
}
