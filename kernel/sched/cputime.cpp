// task_cputime and the tick's samples: see cputime.hpp.
#include <sched/cputime.hpp>
#include <sched/task.hpp>

namespace {

// stime * rtime / total without overflowing 64 bits: while the product would not fit, halve stime and
// total together (their ratio, all that matters, barely moves; stime <= total, so total stays >= 1
// while stime is).
uint64_t scale_stime(uint64_t stime, uint64_t rtime, uint64_t total) {
    while (stime && rtime > UINT64_MAX / stime) {
        stime >>= 1;
        total >>= 1;
    }
    return stime ? stime * rtime / total : 0;
}

// cputime_adjust's body, prev_lock held.
TaskCputime split(CputimeSamples& samples, uint64_t rtime, uint64_t uticks, uint64_t sticks) {
    TaskCputime t{samples.prev_utime_ns, samples.prev_stime_ns};
    // No run time since the last report (or less, across a race): the last split still holds.
    if (t.sum_ns() >= rtime) return t;

    uint64_t stime;
    if (sticks == 0) stime = 0;
    else if (uticks == 0) stime = rtime;
    else stime = scale_stime(sticks, rtime, sticks + uticks);
    // Neither side may shrink: give the other side what is left.
    if (stime < samples.prev_stime_ns) stime = samples.prev_stime_ns;
    uint64_t utime = rtime - stime;
    if (utime < samples.prev_utime_ns) {
        utime = samples.prev_utime_ns;
        stime = rtime - utime;
    }
    samples.prev_utime_ns = utime;
    samples.prev_stime_ns = stime;
    return {utime, stime};
}

}  // namespace

void account_process_tick(Task* task, bool user_tick) {
    if (is_idle_task(task)) return;
    uint64_t& counter = user_tick ? task->cputime.utime_ticks : task->cputime.stime_ticks;
    __atomic_store_n(&counter, counter + 1, __ATOMIC_RELAXED);  // single writer: the task's CPU
}

TaskCputime cputime_adjust(CputimeSamples& samples, uint64_t rtime) {
    uint64_t uticks = __atomic_load_n(&samples.utime_ticks, __ATOMIC_RELAXED);
    uint64_t sticks = __atomic_load_n(&samples.stime_ticks, __ATOMIC_RELAXED);
    // Interrupts off and the raw lock: a report is no preemption point (reporters run inside exit and
    // wait paths whose order the callers rely on), and the section is a few instructions.
    arch::IrqFlags flags = arch::irq_save();
    samples.prev_lock.raw_lock();
    TaskCputime t = split(samples, rtime, uticks, sticks);
    samples.prev_lock.raw_unlock();
    arch::irq_restore(flags);
    return t;
}

TaskCputime task_cputime(const Task* task) {
    uint64_t rtime = __atomic_load_n(&task->se.sum_exec_runtime, __ATOMIC_RELAXED);
    // The samples' previous split is bookkeeping, not part of the task's visible state.
    return cputime_adjust(const_cast<Task*>(task)->cputime, rtime);
}
