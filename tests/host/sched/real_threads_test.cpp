// Kernel-thread code run for real on the host (see real_threads.hpp): completions, wait_event, exclusive
// wake-ups, kthread_create/kthread_stop, task exit and reaping.
#include "real_threads.hpp"

#include <sched/completion.hpp>
#include <sched/exit.hpp>
#include <sched/timeout.hpp>
#include <sched/wait.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using Threads = RealThreads;

TEST_F(Threads, ThreadRunsAndExits) {
    int ran = 0;
    Task* t = spawn([&] { ran++; });
    ASSERT_NE(t, nullptr);
    int pid = t->pid;
    EXPECT_GT(pid, 0);
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        EXPECT_EQ(find_task_by_pid(pid), t);
    }
    run_until_idle();
    EXPECT_EQ(ran, 1);
    // Reaped: out of the PID table (and freed, which ASan would flag if it were used afterwards).
    SpinLockIrqSaveGuard guard(tasklist_lock);
    EXPECT_EQ(find_task_by_pid(pid), nullptr);
}

TEST_F(Threads, CompletionHandsOverBetweenTwoThreads) {
    Completion done;
    std::vector<std::string> log;
    spawn([&] {
        log.push_back("waiter: waiting");
        wait_for_completion(done);
        log.push_back("waiter: done");
    });
    run_until_idle();  // the waiter sleeps
    spawn([&] {
        log.push_back("completer: completing");
        complete(done);
        log.push_back("completer: after complete");
    });
    run_until_idle();
    // The waiter slept, so CFS places it behind the completer in virtual time: it preempts the completer
    // as soon as complete() drops its lock.
    EXPECT_EQ(log, (std::vector<std::string>{"waiter: waiting", "completer: completing", "waiter: done",
                                             "completer: after complete"}));
}

TEST_F(Threads, CompleteAllReleasesEveryWaiter) {
    Completion go;
    int released = 0;
    for (int i = 0; i < 4; i++) spawn([&] {
            wait_for_completion(go);
            released++;
        });
    run_until_idle();
    EXPECT_EQ(released, 0);
    EXPECT_EQ(this_rq().nr_running, 0u);
    spawn([&] { complete_all(go); });
    run_until_idle();
    EXPECT_EQ(released, 4);
}

TEST_F(Threads, WaitEventSleepsUntilTheConditionHolds) {
    WaitQueueHead wq;
    int value = 0;
    int wakeups_seen = 0;
    spawn([&] {
        wait_event(wq, [&] {
            wakeups_seen++;
            return value >= 3;
        });
        EXPECT_EQ(value, 3);
    });
    run_until_idle();
    for (int i = 0; i < 3; i++) {
        value++;
        wake_up(wq);
        run_until_idle();
    }
    // Checked once before sleeping, once after queueing, then once per wake-up.
    EXPECT_EQ(wakeups_seen, 5);
    EXPECT_TRUE(wq.list.empty());
}

TEST_F(Threads, ExclusiveWaitersAreWokenOneAtATime) {
    WaitQueueHead wq;
    int tokens = 0;
    int finished = 0;
    for (int i = 0; i < 3; i++) spawn([&] {
            wait_event_exclusive(wq, [&] { return tokens > 0; });
            tokens--;
            finished++;
        });
    run_until_idle();
    EXPECT_EQ(wq.list.size(), 3u);
    for (int round = 1; round <= 3; round++) {
        tokens++;
        EXPECT_EQ(wake_up(wq), 1);
        run_until_idle();
        EXPECT_EQ(finished, round);
    }
}

TEST_F(Threads, WakeUpAllWakesAllExclusiveWaiters) {
    WaitQueueHead wq;
    bool open = false;
    int finished = 0;
    for (int i = 0; i < 3; i++) spawn([&] {
            wait_event_exclusive(wq, [&] { return open; });
            finished++;
        });
    run_until_idle();
    open = true;
    EXPECT_EQ(wake_up_all(wq), 3);
    run_until_idle();
    EXPECT_EQ(finished, 3);
}

TEST_F(Threads, KthreadRunAndStop) {
    spawn([&] {
        ASSERT_FALSE(start_kthreadd().is_error());
    });
    run_until_idle();
    ASSERT_NE(kthreadd_task, nullptr);
    EXPECT_STREQ(kthreadd_task->comm, "kthreadd");

    int loops = 0;
    int stop_result = 0;
    spawn([&] {
        Result<Task*> k = kthread_run(
            [](void* arg) {
                int* n = static_cast<int*>(arg);
                while (!kthread_should_stop()) {
                    (*n)++;
                    yield();
                }
                return 42;
            },
            &loops, "worker/%d", 7);
        ASSERT_FALSE(k.is_error());
        EXPECT_STREQ(k.value()->comm, "worker/7");
        EXPECT_TRUE(k.value()->flags & PF_KTHREAD);
        EXPECT_EQ(k.value()->real_parent, kthreadd_task);
        while (loops < 3) yield();  // CFS hands over once our vruntime passes the worker's
        stop_result = kthread_stop(k.value());
    });
    run_until_idle();
    EXPECT_EQ(stop_result, 42);
    EXPECT_GE(loops, 3);
    EXPECT_TRUE(kthreadd_task->children.empty());
}

TEST_F(Threads, KthreadStoppedBeforeItRanReturnsEintr) {
    spawn([&] { ASSERT_FALSE(start_kthreadd().is_error()); });
    run_until_idle();
    bool ran = false;
    int result = 0;
    spawn([&] {
        Result<Task*> k = kthread_create(
            [](void* arg) {
                *static_cast<bool*>(arg) = true;
                return 0;
            },
            &ran, "never");
        ASSERT_FALSE(k.is_error());
        EXPECT_EQ(task_state(k.value()), TASK_UNINTERRUPTIBLE);  // created asleep
        result = kthread_stop(k.value());
    });
    run_until_idle();
    EXPECT_FALSE(ran);
    EXPECT_EQ(result, -int(Errno::EINTR));
}

TEST_F(Threads, OrphansAreAdoptedByTheReaper) {
    Task* grandchild = nullptr;
    Completion release;
    spawn([&] {
        grandchild = spawn([&] { wait_for_completion(release); }, "grandchild");
    }, "parent");
    run_until_idle();
    ASSERT_NE(grandchild, nullptr);
    // Its parent exited; with no init (PID 1) in this test, the idle task adopts it.
    EXPECT_EQ(grandchild->real_parent, init_task_ptr());
    spawn([&] { complete(release); });
    run_until_idle();
}

TEST_F(Threads, MsleepWakesAtTheFirstTickAfterTheTime) {
    bool woke = false;
    spawn([&] {
        msleep(20);  // 5 jiffies at 250 Hz, +1 because the current jiffy is partly over
        woke = true;
    });
    run_until_idle();
    uint64_t needed = msecs_to_jiffies(20) + 1;
    for (uint64_t i = 1; i < needed; i++) {
        tick();
        EXPECT_FALSE(woke) << "after " << i << " ticks";
    }
    tick();
    EXPECT_TRUE(woke);
}

TEST_F(Threads, ScheduleTimeoutReturnsTheTimeLeftWhenWokenEarly) {
    long left = -1;
    Task* t = spawn([&] {
        set_current_state(TASK_INTERRUPTIBLE);
        left = schedule_timeout(10);
    });
    run_until_idle();
    tick();
    tick();
    tick();
    EXPECT_EQ(left, -1);
    wake_up_process(t);
    run_until_idle();
    EXPECT_EQ(left, 7);
    // Its timer was cancelled: further ticks must not touch the (gone) task.
    for (int i = 0; i < 10; i++) tick();
}

TEST_F(Threads, WaitEventTimeoutTimesOutOrSucceeds) {
    WaitQueueHead wq;
    bool flag = false;
    long first = -1, second = -1;
    spawn([&] {
        first = wait_event_timeout(wq, [&] { return flag; }, 4);
        second = wait_event_timeout(wq, [&] { return flag; }, 100);
    });
    run_until_idle();
    for (int i = 0; i < 4; i++) tick();
    EXPECT_EQ(first, 0);
    EXPECT_EQ(second, -1);
    tick();
    tick();
    flag = true;
    wake_up(wq);
    run_until_idle();
    EXPECT_EQ(second, 98);
}

TEST_F(Threads, CompletionTimeout) {
    Completion c;
    long first = -1, second = -1;
    spawn([&] {
        first = wait_for_completion_timeout(c, 3);
        second = wait_for_completion_timeout(c, 50);
    });
    run_until_idle();
    for (int i = 0; i < 3; i++) tick();
    EXPECT_EQ(first, 0);
    tick();
    spawn([&] { complete(c); });
    run_until_idle();
    EXPECT_EQ(second, 49);
}

}  // namespace
