#pragma once
// Scheduling policies, priorities and load weights: Linux's numbers, which user space sees through
// sched_setscheduler(2), nice(2) and /proc.
//
// One priority scale covers every class (lower is more important):
//      -1        SCHED_DEADLINE
//    0 .. 99     real-time: prio = 99 - rt_priority (rt_priority 1..99 as user space passes it)
//  100 .. 139    normal (SCHED_NORMAL/BATCH/IDLE): prio = 120 + nice, nice in -20..19
#include <stdint.h>

#if defined(TERN_HOST)
// Host builds also see the C library's <sched.h>, whose SCHED_* macros (the same values) would clash
// with the constants below. Take it in first and drop the macros; its include guard keeps them away.
#include <sched.h>
#undef SCHED_FIFO
#undef SCHED_RR
#undef SCHED_BATCH
#undef SCHED_IDLE
#undef SCHED_DEADLINE
#endif

// Policies (the values of sched_setscheduler(2)'s `policy`).
constexpr int SCHED_NORMAL = 0;
constexpr int SCHED_FIFO = 1;
constexpr int SCHED_RR = 2;
constexpr int SCHED_BATCH = 3;
constexpr int SCHED_IDLE = 5;
constexpr int SCHED_DEADLINE = 6;

constexpr int MIN_NICE = -20;
constexpr int MAX_NICE = 19;
constexpr int NICE_WIDTH = MAX_NICE - MIN_NICE + 1;  // 40

constexpr int MAX_DL_PRIO = 0;
constexpr int MAX_RT_PRIO = 100;                       // rt prios are 0..99
constexpr int MAX_PRIO = MAX_RT_PRIO + NICE_WIDTH;     // 140
constexpr int DEFAULT_PRIO = MAX_RT_PRIO + NICE_WIDTH / 2;  // 120: nice 0
constexpr int MAX_USER_RT_PRIO = 100;

constexpr int nice_to_prio(int nice) { return nice + DEFAULT_PRIO; }
constexpr int prio_to_nice(int prio) { return prio - DEFAULT_PRIO; }

constexpr bool fair_policy(int policy) {
    return policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE;
}
constexpr bool rt_policy(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }
constexpr bool dl_policy(int policy) { return policy == SCHED_DEADLINE; }
constexpr bool valid_policy(int policy) { return fair_policy(policy) || rt_policy(policy) || dl_policy(policy); }
constexpr bool rt_prio(int prio) { return prio < MAX_RT_PRIO; }
constexpr bool dl_prio(int prio) { return prio < MAX_DL_PRIO; }

// A CPU's share under CFS is proportional to its load weight. Linux's table: nice 0 is 1024 and each
// nice step multiplies the weight by about 1.25, so one step up or down changes a task's CPU share
// against a nice-0 competitor by roughly 10%.
constexpr uint32_t NICE_0_LOAD = 1024;
constexpr unsigned NICE_0_SHIFT = 10;

inline constexpr uint32_t sched_prio_to_weight[NICE_WIDTH] = {
    /* -20 */ 88761, 71755, 56483, 46273, 36291,
    /* -15 */ 29154, 23254, 18705, 14949, 11916,
    /* -10 */ 9548,  7620,  6100,  4904,  3906,
    /*  -5 */ 3121,  2501,  1991,  1586,  1277,
    /*   0 */ 1024,  820,   655,   526,   423,
    /*   5 */ 335,   272,   215,   172,   137,
    /*  10 */ 110,   87,    70,    56,    45,
    /*  15 */ 36,    29,    23,    18,    15,
};

// 2^32 / weight (to within one: Linux's table rounds some entries up, some down), so dividing by a
// weight becomes a multiply and a shift.
inline constexpr uint32_t sched_prio_to_wmult[NICE_WIDTH] = {
    /* -20 */ 48388,     59856,     76040,     92818,     118348,
    /* -15 */ 147320,    184698,    229616,    287308,    360437,
    /* -10 */ 449829,    563644,    704093,    875809,    1099582,
    /*  -5 */ 1376151,   1717300,   2157191,   2708050,   3363326,
    /*   0 */ 4194304,   5237765,   6557202,   8165337,   10153587,
    /*   5 */ 12820798,  15790321,  19976592,  24970740,  31350126,
    /*  10 */ 39045157,  49367440,  61356676,  76695844,  95443717,
    /*  15 */ 119304647, 148102320, 186737708, 238609294, 286331153,
};

// SCHED_IDLE tasks weigh less than nice 19 (Linux's WEIGHT_IDLEPRIO / WMULT_IDLEPRIO).
constexpr uint32_t WEIGHT_IDLEPRIO = 3;
constexpr uint32_t WMULT_IDLEPRIO = 1431655765;

// A load weight with its precomputed inverse (2^32 / weight).
struct LoadWeight {
    uint64_t weight = 0;
    uint32_t inv_weight = 0;
};

constexpr LoadWeight nice_to_load(int nice) {
    int i = nice - MIN_NICE;
    return LoadWeight{sched_prio_to_weight[i], sched_prio_to_wmult[i]};
}

// The tables are facts that must agree with each other: every inverse is 2^32 / weight to within one,
// i.e. |wmult * weight - 2^32| < weight. (A typo in either table fails the build.)
consteval bool inverse_ok(uint64_t weight, uint64_t wmult) {
    uint64_t product = weight * wmult, two32 = uint64_t(1) << 32;
    return (product > two32 ? product - two32 : two32 - product) < weight;
}
consteval bool wmult_table_consistent() {
    for (int i = 0; i < NICE_WIDTH; i++)
        if (!inverse_ok(sched_prio_to_weight[i], sched_prio_to_wmult[i])) return false;
    // Adjacent nice levels differ by a factor of about 1.25 (between 1.2 and 1.3).
    for (int i = 1; i < NICE_WIDTH; i++)
        if (sched_prio_to_weight[i - 1] * 10 < sched_prio_to_weight[i] * 12 ||
            sched_prio_to_weight[i - 1] * 10 > sched_prio_to_weight[i] * 13)
            return false;
    return inverse_ok(WEIGHT_IDLEPRIO, WMULT_IDLEPRIO);
}
static_assert(wmult_table_consistent());
