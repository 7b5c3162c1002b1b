#pragma once
// A fixture for host tests that run real kernel-thread code (host_thread.hpp's real switching): the
// test body is the idle task; threads created with spawn() run, cooperatively, whenever the body calls
// run_until_idle(). Tests must let every thread they create exit.
#include "host_thread.hpp"
#include "mm/mm_arena.hpp"

#include <sched/fork.hpp>
#include <sched/kthread.hpp>
#include <sched/pid.hpp>
#include <sched/runqueue.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>
#include <init/subsystems.hpp>
#include <time/jiffies.hpp>
#include <time/sched_clock.hpp>
#include <time/timer.hpp>

#include <gtest/gtest.h>

#include <functional>

class RealThreads : public testing::Test {
protected:
    MmArena arena{4096};  // kmalloc for tasks and kthread structures (16 MiB)

    // Time advances 1 us per clock read: code that runs longer (reads the clock more often) is charged
    // more, so CFS orders the threads sensibly even though there is no timer tick.
    static uint64_t stepping_clock() {
        static uint64_t now = 0;
        return now += 1000;
    }

    void SetUp() override {
        host_sched::set_real_switching(true);
        sched_clock_register(stepping_clock, 1, 0, 0);
        sched_init();
        set_last_pid(1000);  // PID 1 is init's: its exit would (rightly) panic
    }

    void TearDown() override {
        run_until_idle();
        EXPECT_EQ(this_rq().nr_running, 0u) << "threads still runnable";
        if (kthreadd_task) abandon(kthreadd_task);
        kthreadd_task = nullptr;
        EXPECT_TRUE(init_task_ptr()->children.empty()) << "threads left behind";
        arch::release_thread(init_task_ptr());
        host_sched::set_real_switching(false);
        host_sched::reset_cpu();
    }

    // Runs threads until none is runnable. Returns when all are blocked or have exited.
    void run_until_idle() {
        while (this_rq().nr_running) {
            this_cpu()->need_resched = true;
            schedule_idle();
        }
    }

    // One tick of the timer interrupt as far as kernel timers are concerned: jiffies advance and due
    // timers run (waking sleepers), then the woken threads run.
    void tick() {
        arch::irq_disable();
        this_cpu()->preempt_count++;
        jiffies = jiffies + 1;
        run_timers();
        this_cpu()->preempt_count--;
        arch::irq_enable();
        run_until_idle();
    }

    // A kernel thread (a child of the idle task) running fn.
    Task* spawn(std::function<void()> fn, const char* name = "t") {
        auto* heap_fn = new std::function<void()>(std::move(fn));
        Result<Task*> t = copy_process(
            [](void* arg) {
                auto* f = static_cast<std::function<void()>*>(arg);
                (*f)();
                delete f;
                return 0;
            },
            heap_fn, name, PF_KTHREAD);
        if (t.is_error()) {
            delete heap_fn;
            ADD_FAILURE() << "copy_process failed";
            return nullptr;
        }
        wake_up_new_task(t.value());
        return t.value();
    }

    // kthreadd never exits: at the end of a test, free it where it sleeps.
    static void abandon(Task* t) {
        {
            SpinLockIrqSaveGuard guard(tasklist_lock);
            t->real_parent->children.remove(*t);
            detach_pid(t);
        }
        put_task_struct(t);
    }
};
