// Scheduler self-tests that need the periodic tick and the kernel timers: preemption of a thread that
// never gives up the CPU, CPU shares by nice level, sleeping with timeouts, and a mutex hammered by
// threads the tick preempts inside their critical sections.
#include <kunit/ktest.hpp>
#include <locking/mutex.hpp>
#include <printk/printk.hpp>
#include <sched/completion.hpp>
#include <sched/kthread.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <sched/wait.hpp>
#include <time/jiffies.hpp>
#include <time/sched_clock.hpp>

namespace {

constexpr uint64_t kMs = 1'000'000;

int sleep_until_stopped(void*) {
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!kthread_should_stop()) schedule();
        __set_current_state(TASK_RUNNING);
    }
    return 7;
}

struct Spinner {
    volatile bool release = false;
    volatile bool saw_release = false;
    uint64_t give_up_ns = 0;
    Completion done;
};

// Spins without ever yielding or blocking: only the tick can take the CPU away from it.
int spinner(void* arg) {
    auto* s = static_cast<Spinner*>(arg);
    uint64_t start = local_clock();
    while (!s->release && local_clock() - start < s->give_up_ns) asm volatile("" ::: "memory");
    s->saw_release = s->release;
    complete(s->done);
    return sleep_until_stopped(nullptr);
}

int releaser(void* arg) {
    static_cast<Spinner*>(arg)->release = true;
    return sleep_until_stopped(nullptr);
}

}  // namespace

KTEST(sched_tick, tick_preempts_a_busy_thread) {
    static Spinner s;
    new (&s) Spinner();
    s.give_up_ns = 3000 * kMs;
    Result<Task*> spin = kthread_create(spinner, &s, "ktest-spin");
    Result<Task*> rel = kthread_create(releaser, &s, "ktest-release");
    KASSERT_TRUE(!spin.is_error() && !rel.is_error());
    // Both runnable; kernel_init then sleeps. Whichever of the two runs first, the releaser can only
    // run after the spinner has been preempted: the spinner never gives up the CPU by itself.
    wake_up_process(spin.value());
    wake_up_process(rel.value());
    uint64_t start = local_clock();
    wait_for_completion(s.done);
    uint64_t waited = local_clock() - start;
    KEXPECT_TRUE(s.saw_release);
    KEXPECT_TRUE(waited < 1000 * kMs);  // a few ticks, not the 3 s give-up
    KEXPECT_TRUE(spin.value()->nivcsw >= 1);
    KEXPECT_EQ(kthread_stop(rel.value()), 7);
    KEXPECT_EQ(kthread_stop(spin.value()), 7);
}

namespace {

struct BusyPair {
    volatile bool stop = false;
    Completion started;
    // Set before the test sleeps: the nice-0 thread completes `measured` after 1 s more of its CPU time.
    volatile bool armed = false;
    uint64_t base = 0;
    Completion measured;
};

int busy_loop(void* arg) {
    auto* bp = static_cast<BusyPair*>(arg);
    Task* self = current();
    complete(bp->started);
    while (!bp->stop) {
        if (bp->armed && task_nice(self) == 0 && self->se.sum_exec_runtime - bp->base >= 1000 * kMs) {
            bp->armed = false;
            complete(bp->measured);
        }
        asm volatile("" ::: "memory");
    }
    return sleep_until_stopped(nullptr);
}

}  // namespace

namespace {

// One measurement: two fresh CPU-bound threads at nice 0 and nice 3; returns their CPU-time ratio in
// thousandths (0 if the threads could not be made). *nice3_weight: what set_user_nice gave the second.
long measure_nice0_vs_nice3_permille(uint32_t* nice3_weight) {
    static BusyPair bp;
    new (&bp) BusyPair();
    Result<Task*> a = kthread_create(busy_loop, &bp, "ktest-nice0");
    Result<Task*> b = kthread_create(busy_loop, &bp, "ktest-nice3");
    if (a.is_error() || b.is_error()) return 0;
    set_user_nice(b.value(), 3);
    *nice3_weight = b.value()->se.load.weight;
    wake_up_process(a.value());
    wake_up_process(b.value());
    wait_for_completion(bp.started);
    wait_for_completion(bp.started);

    uint64_t a0 = a.value()->se.sum_exec_runtime, b0 = b.value()->se.sum_exec_runtime;
    bp.base = a0;
    bp.armed = true;
    wait_for_completion(bp.measured);
    uint64_t da = a.value()->se.sum_exec_runtime - a0;
    uint64_t db = b.value()->se.sum_exec_runtime - b0;
    bp.stop = true;
    kthread_stop(a.value());
    kthread_stop(b.value());
    if (!db) return 0;
    long permille = long(da * 1000 / db);
    pr_info("ktest: nice 0 vs nice 3: %lu vs %lu us of CPU, ratio %ld.%03ld (ideal 1.946)",
            (unsigned long)(da / 1000), (unsigned long)(db / 1000), permille / 1000, permille % 1000);
    return permille;
}

}  // namespace

// Two CPU-bound threads at nice 0 and nice 3 share the CPU 1024:526 (within 5%) while kernel_init
// sleeps: measured with sum_exec_runtime over 1 s of the nice-0 thread's CPU time (~1.5 s in all).
// Under TCG the host may stop the emulated CPU, and the pause is charged to whichever thread was
// running, which can spoil one measurement; wrong weights spoil every one: the best of three counts.
KTEST(sched_tick, nice_levels_share_cpu_by_weight) {
    const long ideal = 1024 * 1000 / 526;  // 1.946
    bool ok = false;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        uint32_t nice3_weight = 0;
        long permille = measure_nice0_vs_nice3_permille(&nice3_weight);
        KEXPECT_EQ(nice3_weight, 526u);
        ok = permille > ideal * 95 / 100 && permille < ideal * 105 / 100;
    }
    KEXPECT_TRUE(ok);
}

KTEST(sched_tick, msleep_sleeps_at_least_as_long_as_asked) {
    uint64_t j0 = jiffies;
    uint64_t t0 = local_clock();
    msleep(100);
    uint64_t slept = local_clock() - t0;
    // The guarantee is in jiffies: at least msecs_to_jiffies(100) + 1 of them pass. In real time that is
    // 100 ms less whatever jiffies lagged behind the clock when the timer was armed (a loaded host makes
    // QEMU lose tick interrupts, which the next tick then catches up on).
    KEXPECT_TRUE(jiffies - j0 >= msecs_to_jiffies(100) + 1);
    KEXPECT_TRUE(slept >= 80 * kMs);
    KEXPECT_TRUE(slept < 1000 * kMs);
    // An early wake-up ends schedule_timeout() before its time: it returns what was left.
    set_current_state(TASK_INTERRUPTIBLE);
    wake_up_process(current());
    long left = schedule_timeout(long(msecs_to_jiffies(1000)));
    KEXPECT_TRUE(left > 0);
}

namespace {
struct TimedWait {
    WaitQueueHead wq;
    volatile bool flag = false;
    Completion never;
};
int set_flag_later(void* arg) {
    auto* tw = static_cast<TimedWait*>(arg);
    msleep(20);
    tw->flag = true;
    wake_up(tw->wq);
    return sleep_until_stopped(nullptr);
}
}  // namespace

KTEST(sched_tick, waits_with_timeouts) {
    static TimedWait tw;
    new (&tw) TimedWait();
    // Nobody sets the condition: the wait times out after about 50 ms.
    uint64_t t0 = local_clock();
    long left = wait_event_timeout(tw.wq, [] { return tw.flag; }, long(msecs_to_jiffies(50)));
    KEXPECT_EQ(left, 0);
    KEXPECT_TRUE(local_clock() - t0 >= 30 * kMs);  // 50 ms, less any jiffies lag (see msleep above)
    KEXPECT_EQ(wait_for_completion_timeout(tw.never, long(msecs_to_jiffies(20))), 0);
    // Someone sets it after 20 ms: the wait ends early with time to spare.
    Result<Task*> k = kthread_run(set_flag_later, &tw, "ktest-flag");
    KASSERT_TRUE(!k.is_error());
    left = wait_event_timeout(tw.wq, [] { return tw.flag; }, long(msecs_to_jiffies(1000)));
    KEXPECT_TRUE(left > 0);
    KEXPECT_TRUE(tw.flag);
    KEXPECT_EQ(kthread_stop(k.value()), 7);
    KEXPECT_TRUE(tw.wq.list.empty());
}

namespace {

constexpr int kThreads = 4;
constexpr int kIterations = 3000;

struct Hammer {
    Mutex mutex;
    int counter = 0;  // mutex
    int inside = 0;
    int max_inside = 0;
    Completion done;
};

// A read-modify-write that loses updates unless serialised, long enough that the tick often lands in
// it (and then another thread runs and contends), plus an occasional sleep while holding the mutex.
int hammer(void* arg) {
    auto* h = static_cast<Hammer*>(arg);
    for (int i = 0; i < kIterations; i++) {
        MutexGuard guard(h->mutex);
        int in = __atomic_add_fetch(&h->inside, 1, __ATOMIC_RELAXED);
        if (in > h->max_inside) h->max_inside = in;
        int value = h->counter;
        for (int spin = 0; spin < 500; spin++) asm volatile("" ::: "memory");
        if (i % 500 == 0) msleep(1);
        h->counter = value + 1;
        __atomic_sub_fetch(&h->inside, 1, __ATOMIC_RELAXED);
    }
    complete(h->done);
    return 0;
}

}  // namespace

KTEST(sched_tick, mutex_survives_preemption_inside_critical_sections) {
    static Hammer h;
    new (&h) Hammer();
    uint64_t switches = nr_context_switches();
    for (int i = 0; i < kThreads; i++) KASSERT_TRUE(!kthread_run(hammer, &h, "ktest-hammer/%d", i).is_error());
    for (int i = 0; i < kThreads; i++) wait_for_completion(h.done);
    KEXPECT_EQ(h.counter, kThreads * kIterations);
    KEXPECT_EQ(h.max_inside, 1);
    KEXPECT_FALSE(h.mutex.is_locked());
    KEXPECT_TRUE(nr_context_switches() - switches > 2 * kThreads);
}
