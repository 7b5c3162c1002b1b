#pragma once
// CFS arithmetic, free of any runqueue or task: how fast virtual time runs for a weight, how long a
// slice is, where a waking or new entity is placed. Header-only so the fair class, the host unit tests
// and the scheduler simulator all use exactly the same formulas.
//
// The model. Each runnable entity has a virtual runtime that advances while it runs, at a rate inversely
// proportional to its weight: vruntime += delta_exec * NICE_0_LOAD / weight. CFS always runs the entity
// with the smallest vruntime, so over time every entity's vruntime stays close to the others', and real
// CPU time divides in proportion to the weights: two CPU-bound tasks at nice 0 (1024) and nice 5 (335)
// run in the ratio 1024:335.
//
// Virtual times are u64 nanoseconds that may wrap; compare them only through vruntime_before() and the
// helpers below, which look at the signed difference.
#include <sched/prio.hpp>
#include <stdint.h>

namespace cfs {

// Tunables, in nanoseconds (Linux's base values, before its log2(ncpus) scaling, which Tern does not
// apply). Variables rather than constants so an experiment or a future sysctl can change them.
struct Tunables {
    // Every runnable task should get a turn within this period (while there are at most
    // latency / min_granularity of them).
    uint64_t latency_ns = 6'000'000;
    // ...and no turn is shorter than this, so with many tasks the period stretches instead.
    uint64_t min_granularity_ns = 750'000;
    // A waking task preempts the running one only if it is this far behind it in (its own) virtual time.
    uint64_t wakeup_granularity_ns = 1'000'000;
};
inline Tunables tunables;

// delta * weight / lw.weight, computed as delta * weight * (2^32 / lw.weight) >> 32 with a 128-bit
// intermediate (exact enough: the inverse is within one of 2^32 / lw.weight). lw.inv_weight may be 0
// for a summed weight whose inverse was never needed; it is then computed here.
inline uint64_t calc_delta(uint64_t delta, uint64_t weight, const LoadWeight& lw) {
    uint64_t inv = lw.inv_weight;
    if (!inv) inv = lw.weight ? (uint64_t(1) << 32) / lw.weight : ~uint32_t(0);
    return uint64_t((unsigned __int128)delta * weight * inv >> 32);
}

// Real time `delta` converted to virtual time for an entity of weight `lw`: delta * NICE_0_LOAD / weight.
// A nice-0 entity's virtual time runs at wall speed; heavier ones' slower, lighter ones' faster.
inline uint64_t calc_delta_fair(uint64_t delta, const LoadWeight& lw) {
    if (lw.weight == NICE_0_LOAD) return delta;
    return calc_delta(delta, NICE_0_LOAD, lw);
}

// The period in which each of `nr_running` runnable entities should run once.
inline uint64_t sched_period(unsigned long nr_running, const Tunables& t = tunables) {
    unsigned long nr_latency = t.latency_ns / t.min_granularity_ns;  // 8 with the defaults
    if (nr_running > nr_latency) return nr_running * t.min_granularity_ns;
    return t.latency_ns;
}

// An entity's fair share of the period: period * weight / total weight of the runqueue.
inline uint64_t sched_slice(uint64_t period, uint64_t weight, uint64_t total_weight) {
    if (!total_weight) return period;
    return period * weight / total_weight;
}

// Wrap-safe ordering of virtual times.
inline bool vruntime_before(uint64_t a, uint64_t b) { return int64_t(a - b) < 0; }
inline uint64_t max_vruntime(uint64_t a, uint64_t b) { return vruntime_before(a, b) ? b : a; }
inline uint64_t min_vruntime(uint64_t a, uint64_t b) { return vruntime_before(a, b) ? a : b; }

// Where an entity (re-)entering a runqueue starts in virtual time.
//   A new entity (initial): one virtual slice after min_vruntime, so a fork loop cannot grab the CPU by
//     starting each child at the front (Linux's START_DEBIT). It never moves backwards from the vruntime
//     it inherited.
//   A waking sleeper: at most half a latency period before min_vruntime. Sleepers get a bounded bonus
//     (they run soon after waking) but cannot bank the CPU time they did not use while asleep.
inline uint64_t place_vruntime(uint64_t min_vruntime_now, uint64_t entity_vruntime, bool initial,
                               uint64_t vslice, const Tunables& t = tunables) {
    uint64_t vruntime = min_vruntime_now;
    if (initial)
        vruntime += vslice;
    else
        vruntime -= t.latency_ns / 2;
    return max_vruntime(entity_vruntime, vruntime);
}

// Should an entity at `candidate_vruntime` (of weight `candidate`) preempt one running at
// `curr_vruntime`? -1: the candidate is not behind at all; 0: behind, but by no more than the wakeup
// granularity (in the candidate's virtual time); 1: far enough behind to preempt.
inline int wakeup_preempt_entity(uint64_t curr_vruntime, uint64_t candidate_vruntime, const LoadWeight& candidate,
                                 const Tunables& t = tunables) {
    int64_t vdiff = int64_t(curr_vruntime - candidate_vruntime);
    if (vdiff <= 0) return -1;
    uint64_t gran = calc_delta_fair(t.wakeup_granularity_ns, candidate);
    return vdiff > int64_t(gran) ? 1 : 0;
}

}  // namespace cfs
