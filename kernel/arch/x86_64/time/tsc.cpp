// TSC calibration, the "tsc" clock source and sched_clock.
#include <arch/x86_64/time/tsc.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/time/i8253.hpp>
#include <init/boot_info.hpp>
#include <printk/printk.hpp>
#include <time/clocksource.hpp>
#include <time/clocksource_math.hpp>
#include <time/sched_clock.hpp>

namespace x86::tsc {

namespace {

uint64_t calibrated_hz = 0;

// Each calibration window is this long; three windows, the median wins.
constexpr uint32_t kWindowMs = 10;
constexpr unsigned kWindows = 3;
constexpr int kMaxPolls = 10000000;

// One reading of a counter, paired with the TSC at that moment.
struct Sample {
    uint64_t tsc;
    uint64_t value;
};

// Reads a counter bracketed by two TSC reads and returns the TSC at the middle: the counter was read
// somewhere in [t1, t2], so a tight bracket means an accurate pairing. Keeps the tightest of five: a
// read that was stretched (an SMI on hardware; under QEMU, code being translated on first use or the
// emulator's thread being descheduled by a busy host) would otherwise skew the pairing.
template <class Read>
Sample sample(Read read) {
    Sample best{};
    uint64_t best_gap = UINT64_MAX;
    for (int i = 0; i < 5; i++) {
        uint64_t t1 = rdtsc_ordered();
        uint64_t v = read();
        uint64_t t2 = rdtsc_ordered();
        if (t2 - t1 < best_gap) {
            best_gap = t2 - t1;
            best = {t1 + (t2 - t1) / 2, v};
        }
    }
    return best;
}

struct Estimate {
    uint64_t pit_hz;  // 0 if the window was unusable
    uint64_t ref_hz;  // 0 without a reference
};

// One window: PIT channel 2 counts down from 0xffff while the TSC and the reference run. Both are
// sampled as counters at the start and after kWindowMs of PIT counts, never by waiting for an edge, so
// a delay anywhere in the window (the loop not running for a while) costs no precision.
Estimate measure_window(const CalibrationReference* ref) {
    using namespace x86::pit;
    const uint32_t window = PIT_TICK_RATE / (1000 / kWindowMs);
    SpinLockGuard guard(channel2_lock);
    channel2_start(kMaxCount);
    // The count is loaded on the first PIT cycle after the gate opens: wait for it to run. Both waits
    // are bounded (a PIT that does not count must not hang the boot): far more polls than 55 ms take.
    int polls = 0;
    while (channel2_read_count() == kMaxCount)
        if (++polls > kMaxPolls) return {};
    Sample pit0 = sample(channel2_read_count);
    Sample ref0 = ref ? sample(ref->read) : Sample{};
    while (uint16_t(pit0.value - channel2_read_count()) < window)
        if (++polls > kMaxPolls) return {};
    Sample pit1 = sample(channel2_read_count);
    Sample ref1 = ref ? sample(ref->read) : Sample{};

    Estimate e{};
    // Past the terminal count the 16-bit count wraps: then the delta is ambiguous, drop the window.
    if (!channel2_done()) {
        uint64_t pit_delta = uint16_t(pit0.value - pit1.value);
        e.pit_hz = (pit1.tsc - pit0.tsc) * PIT_TICK_RATE / pit_delta;
    }
    if (ref) {
        uint64_t tsc_delta = ref1.tsc - ref0.tsc;
        uint64_t ref_delta = (ref1.value - ref0.value) & ref->mask;
        // 10 ms of a 5 GHz TSC times a 100 MHz reference is 5e15: no overflow for real hardware.
        if (ref_delta && tsc_delta < UINT64_MAX / ref->hz) e.ref_hz = tsc_delta * ref->hz / ref_delta;
    }
    return e;
}

uint64_t median3(uint64_t a, uint64_t b, uint64_t c) {
    if (a > b) { uint64_t t = a; a = b; b = t; }
    if (b > c) { uint64_t t = b; b = c; c = t; }
    return a > b ? a : b;
}

// CPUID leaf 0x15: TSC = crystal * ebx / eax. 0 if the CPU does not say.
uint64_t cpuid_tsc_hz() {
    if (x86::cpuid(0).eax < 0x15) return 0;
    CpuidResult r = x86::cpuid(0x15);
    if (!r.eax || !r.ebx || !r.ecx) return 0;
    return uint64_t(r.ecx) * r.ebx / r.eax;
}

bool within_percent(uint64_t a, uint64_t b, unsigned percent) {
    uint64_t diff = a > b ? a - b : b - a;
    return diff * 100 <= b * percent;
}

uint64_t calibrate(const CalibrationReference* ref) {
    Estimate e[kWindows];
    for (auto& w : e) w = measure_window(ref);
    uint64_t pit_hz = median3(e[0].pit_hz, e[1].pit_hz, e[2].pit_hz);
    uint64_t hz = pit_hz;
    if (ref) {
        uint64_t ref_hz = median3(e[0].ref_hz, e[1].ref_hz, e[2].ref_hz);
        // Both are sampled the same way; the reference runs faster (finer counts) and is read in one
        // access, so it is the more precise figure. The PIT guards against a broken reference.
        if (within_percent(ref_hz, pit_hz, 10)) {
            pr_info("tsc: PIT calibration matches %s", ref->name);
            hz = ref_hz;
        } else {
            pr_warn("tsc: PIT calibration deviates from %s: %lu vs %lu Hz, using the PIT", ref->name,
                    (unsigned long)pit_hz, (unsigned long)ref_hz);
        }
    }
    uint64_t cpuid_hz = cpuid_tsc_hz();
    if (cpuid_hz && within_percent(cpuid_hz, hz, 1)) hz = cpuid_hz;  // exact, and confirmed
    return hz;
}

uint64_t read_tsc(Clocksource*) { return rdtsc_ordered(); }
uint64_t sched_clock_read() { return rdtsc_ordered(); }

Clocksource clocksource_tsc = {
    .name = "tsc",
    .rating = 300,
    .read = read_tsc,
    .mask = CLOCKSOURCE_MASK(64),
    .flags = CLOCK_SOURCE_IS_CONTINUOUS,
};

}  // namespace

bool tsc_init(const CalibrationReference* reference) {
    if (!boot_cpu_features.tsc) {
        pr_warn("tsc: no time-stamp counter");
        return false;
    }
    uint64_t hz = calibrate(reference);
    if (hz < 1000000) {
        pr_err("tsc: calibration failed (%lu Hz)", (unsigned long)hz);
        return false;
    }
    calibrated_hz = hz;
    uint64_t khz = hz / 1000;
    pr_info("tsc: Detected %lu.%03lu MHz processor", (unsigned long)(khz / 1000), (unsigned long)(khz % 1000));

    // local_clock() counts from the TSC value head.S saved at the very first instruction.
    MultShift ms = clocks_calc_mult_shift(hz, uint32_t(NSEC_PER_SEC), 600);
    sched_clock_register(sched_clock_read, ms.mult, ms.shift, boot_info.tsc_at_entry);
    return true;
}

void tsc_register_clocksource() {
    if (Result<void> r = clocksource_register_hz(clocksource_tsc, calibrated_hz); r.is_error())
        pr_err("tsc: cannot register the clock source (error %d)", int(r.error()));
}

uint64_t tsc_hz() { return calibrated_hz; }

}  // namespace x86::tsc
