// Scheduler self-tests with real kernel threads: the boot-time tasks, the kernel-thread life cycle,
// wait queues and completions between threads, preemption by a real-time wake-up, visible task states.
// They run in kernel_init (PID 1, SCHED_NORMAL, nice 0) and stop every thread they start.
// (sched_tick_ktest.cpp has the tests that need the timer tick.)
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <printk/printk.hpp>
#include <sched/completion.hpp>
#include <sched/debug.hpp>
#include <sched/kthread.hpp>
#include <sched/pid.hpp>
#include <sched/runqueue.hpp>
#include <sched/sched.hpp>
#include <sched/sched_class.hpp>
#include <sched/task_internal.hpp>
#include <sched/wait.hpp>

namespace {


// Starts a thread created by kthread_create() as SCHED_FIFO: it outranks kernel_init, so it runs at
// once and wake_up_process() returns only when it has blocked (or exited). That makes "the thread is
// now asleep in X" a fact rather than a race, on one CPU.
Task* start_fifo(Task* t) {
    if (sched_setscheduler(t, SCHED_FIFO, SchedParam{.sched_priority = 1}).is_error()) return nullptr;
    wake_up_process(t);
    return t;
}

// A thread that sleeps until kthread_stop(): the usual shape of a kernel daemon.
int sleeper_fn(void*) {
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!kthread_should_stop()) schedule();
        __set_current_state(TASK_RUNNING);
    }
    return 7;
}

}  // namespace

KTEST(sched, boot_tasks) {
    Task* self = current();
    KEXPECT_EQ(self->pid, 1);
    KEXPECT_TRUE(!strcmp(self->comm, "init"));
    KEXPECT_TRUE(self->sched_class == &fair_sched_class);
    KEXPECT_EQ(task_nice(self), 0);
    KASSERT_TRUE(kthreadd_task != nullptr);
    KEXPECT_EQ(kthreadd_task->pid, 2);
    KEXPECT_TRUE(!strcmp(kthreadd_task->comm, "kthreadd"));
    Task* idle = this_rq().idle;
    KEXPECT_EQ(idle->pid, 0);
    KEXPECT_TRUE(idle->flags & PF_IDLE);
    KEXPECT_TRUE(idle->sched_class == &idle_sched_class);
    KEXPECT_TRUE(!strcmp(idle->comm, "swapper/0"));
    // Both were created by the boot flow, the idle task.
    KEXPECT_TRUE(self->real_parent == idle);
    KEXPECT_TRUE(kthreadd_task->real_parent == idle);
}

KTEST(sched, kthread_life_cycle) {
    Result<Task*> k = kthread_create(sleeper_fn, nullptr, "ktest/%d", 1);
    KASSERT_TRUE(!k.is_error());
    Task* t = k.value();
    KEXPECT_TRUE(!strcmp(t->comm, "ktest/1"));
    KEXPECT_TRUE(t->flags & PF_KTHREAD);
    KEXPECT_TRUE(t->real_parent == kthreadd_task);
    Task* found = get_task_by_pid(t->pid);
    KEXPECT_TRUE(found == t);
    if (found) put_task_struct(found);
    // Created asleep (kthread_create returns once the new thread has reported in and gone to sleep).
    KEXPECT_EQ(task_state_char(t), 'D');
    KEXPECT_EQ(t->on_rq, 0);
    KASSERT_TRUE(start_fifo(t) == t);
    KEXPECT_EQ(task_state_char(t), 'S');  // in its own interruptible sleep now
    int pid = t->pid;
    KEXPECT_EQ(kthread_stop(t), 7);
    // Exited and reaped: gone from the PID table.
    KEXPECT_TRUE(get_task_by_pid(pid) == nullptr);
}

KTEST(sched, kthread_stop_before_first_run) {
    static bool ran;
    ran = false;
    Result<Task*> k = kthread_create([](void*) { ran = true; return 0; }, nullptr, "ktest-never");
    KASSERT_TRUE(!k.is_error());
    KEXPECT_EQ(kthread_stop(k.value()), -int(Errno::EINTR));
    KEXPECT_FALSE(ran);
}

namespace {
struct PingPong {
    Completion ping, pong;
    int rounds = 0;
};
int ponger(void* arg) {
    auto* pp = static_cast<PingPong*>(arg);
    for (int i = 0; i < 100; i++) {
        wait_for_completion(pp->ping);
        pp->rounds++;
        complete(pp->pong);
    }
    return 0;
}
}  // namespace

KTEST(sched, completion_ping_pong) {
    PingPong pp;
    uint64_t switches_before = nr_context_switches();
    Result<Task*> k = kthread_run(ponger, &pp, "ktest-pong");
    KASSERT_TRUE(!k.is_error());
    for (int i = 0; i < 100; i++) {
        complete(pp.ping);
        wait_for_completion(pp.pong);
        KEXPECT_EQ(pp.rounds, i + 1);
    }
    // Every round trip needs the other thread to run: at least two switches each.
    KEXPECT_TRUE(nr_context_switches() - switches_before >= 200);
}

namespace {
struct ExclusiveWait {
    WaitQueueHead wq;
    int tokens = 0;
    int finished = 0;
    Completion one_done;
};
int exclusive_waiter(void* arg) {
    auto* ew = static_cast<ExclusiveWait*>(arg);
    wait_event_exclusive(ew->wq, [&] { return ew->tokens > 0 || kthread_should_stop(); });
    if (kthread_should_stop()) return -1;
    ew->tokens--;
    ew->finished++;
    complete(ew->one_done);
    // Stay around until stopped, so the test controls the end of every thread.
    return sleeper_fn(nullptr);
}
}  // namespace

KTEST(sched, exclusive_wake_up_wakes_one) {
    ExclusiveWait ew;
    Task* threads[3];
    for (int i = 0; i < 3; i++) {
        Result<Task*> k = kthread_create(exclusive_waiter, &ew, "ktest-excl/%d", i);
        KASSERT_TRUE(!k.is_error());
        threads[i] = start_fifo(k.value());
        KASSERT_TRUE(threads[i] != nullptr);
    }
    KEXPECT_EQ(ew.wq.list.size(), 3u);
    for (Task* t : threads) KEXPECT_EQ(task_state_char(t), 'D');
    for (int round = 1; round <= 3; round++) {
        {
            SpinLockIrqSaveGuard guard(ew.wq.lock);
            ew.tokens++;
        }
        KEXPECT_EQ(wake_up(ew.wq), 1);
        KEXPECT_EQ(ew.finished, round);  // it ran at once (SCHED_FIFO)
        wait_for_completion(ew.one_done);
        KEXPECT_EQ(ew.wq.list.size(), unsigned(3 - round));
    }
    for (Task* t : threads) KEXPECT_EQ(kthread_stop(t), 7);
}

KTEST(sched, wake_up_all_wakes_every_waiter) {
    ExclusiveWait ew;
    Task* threads[3];
    for (int i = 0; i < 3; i++) {
        Result<Task*> k = kthread_create(exclusive_waiter, &ew, "ktest-all/%d", i);
        KASSERT_TRUE(!k.is_error());
        threads[i] = start_fifo(k.value());
        KASSERT_TRUE(threads[i] != nullptr);
    }
    KEXPECT_EQ(ew.wq.list.size(), 3u);
    {
        SpinLockIrqSaveGuard guard(ew.wq.lock);
        ew.tokens = 3;
    }
    KEXPECT_EQ(wake_up_all(ew.wq), 3);
    for (int i = 0; i < 3; i++) wait_for_completion(ew.one_done);
    KEXPECT_EQ(ew.finished, 3);
    for (Task* t : threads) KEXPECT_EQ(kthread_stop(t), 7);
}

namespace {
int rt_marker(void* arg) {
    *static_cast<volatile bool*>(arg) = true;
    return sleeper_fn(nullptr);
}
}  // namespace

KTEST(sched, rt_task_preempts_at_wake_up) {
    volatile bool ran = false;
    Result<Task*> k = kthread_create(rt_marker, const_cast<bool*>(&ran), "ktest-fifo");
    KASSERT_TRUE(!k.is_error());
    KASSERT_TRUE(!sched_setscheduler(k.value(), SCHED_FIFO, SchedParam{.sched_priority = 50}).is_error());
    KEXPECT_TRUE(k.value()->sched_class == &rt_sched_class);
    KEXPECT_EQ(k.value()->prio, 49);
    wake_up_process(k.value());
    // A SCHED_FIFO task outranks us: it ran before wake_up_process() even returned.
    KEXPECT_TRUE(ran);
    KEXPECT_EQ(kthread_stop(k.value()), 7);
}

KTEST(sched, task_states_are_visible) {
    Result<Task*> k = kthread_create(sleeper_fn, nullptr, "ktest-state");
    KASSERT_TRUE(!k.is_error());
    Task* t = start_fifo(k.value());
    KASSERT_TRUE(t != nullptr);
    KEXPECT_EQ(task_state(t), TASK_INTERRUPTIBLE);
    KEXPECT_EQ(task_state_char(t), 'S');
    KEXPECT_EQ(t->on_rq, 0);
    KEXPECT_EQ(task_state_char(current()), 'R');
    KEXPECT_EQ(current()->on_rq, TASK_ON_RQ_QUEUED);
    KEXPECT_EQ(kthread_stop(t), 7);
}

KTEST(sched, show_state_lists_every_task) {
    // Walks the lists without tripping over anything; its lines go to the log.
    show_state();
    KEXPECT_TRUE(nr_tasks() >= 2);  // init and kthreadd at least
}
