// The context switch keeps each user-capable task's FPU/SSE registers its own: two threads with FPU
// state set different MXCSR values and see their own after switching back and forth.
#include <arch/thread.hpp>
#include <arch/x86_64/fpu.hpp>
#include <kunit/ktest.hpp>
#include <sched/completion.hpp>
#include <sched/kthread.hpp>
#include <sched/sched.hpp>

namespace {

// MXCSR values differing from the default only in the rounding-control field (bits 13-14), so every
// exception stays masked.
constexpr uint32_t kMxcsrA = 0x1f80 | (1u << 13);  // round down
constexpr uint32_t kMxcsrB = 0x1f80 | (2u << 13);  // round up

uint32_t read_mxcsr() {
    uint32_t v;
    asm volatile("stmxcsr %0" : "=m"(v));
    return v;
}
void write_mxcsr(uint32_t v) { asm volatile("ldmxcsr %0" : : "m"(v)); }

// Done: stay until kthread_stop(), so the test decides when the threads are gone.
int wait_for_stop() {
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!kthread_should_stop()) schedule();
        __set_current_state(TASK_RUNNING);
    }
    return 0;
}

struct FpuPair {
    Completion a_set, b_set, a_checked;
    uint32_t a_initial = 0, b_initial = 0, a_after = 0, b_after = 0;
    Completion done;
};

int fpu_a(void* arg) {
    auto* p = static_cast<FpuPair*>(arg);
    if (arch::init_fpu_state(current()).is_error()) return -12;
    p->a_initial = read_mxcsr();
    write_mxcsr(kMxcsrA);
    complete(p->a_set);
    wait_for_completion(p->b_set);  // B runs and sets its own value meanwhile
    p->a_after = read_mxcsr();
    complete(p->a_checked);
    complete(p->done);
    return wait_for_stop();
}

int fpu_b(void* arg) {
    auto* p = static_cast<FpuPair*>(arg);
    if (arch::init_fpu_state(current()).is_error()) return -12;
    wait_for_completion(p->a_set);
    p->b_initial = read_mxcsr();
    write_mxcsr(kMxcsrB);
    complete(p->b_set);
    wait_for_completion(p->a_checked);
    p->b_after = read_mxcsr();
    complete(p->done);
    return wait_for_stop();
}

}  // namespace

KTEST(sched, fpu_state_is_per_task) {
    static FpuPair p;
    new (&p) FpuPair();
    Result<Task*> a = kthread_run(fpu_a, &p, "ktest-fpu-a");
    Result<Task*> b = kthread_run(fpu_b, &p, "ktest-fpu-b");
    KASSERT_TRUE(!a.is_error() && !b.is_error());
    wait_for_completion(p.done);
    wait_for_completion(p.done);
    KEXPECT_EQ(kthread_stop(a.value()), 0);
    KEXPECT_EQ(kthread_stop(b.value()), 0);
    KEXPECT_EQ(p.a_initial, arch::kFpuDefaultMxcsr);  // a fresh state, whatever ran before
    KEXPECT_EQ(p.b_initial, arch::kFpuDefaultMxcsr);
    KEXPECT_EQ(p.a_after, kMxcsrA);
    KEXPECT_EQ(p.b_after, kMxcsrB);
}
