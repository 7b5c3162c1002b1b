#pragma once
// Host-test scaffolding for the signal code: tasks with their own signal structures, one of them playing
// the current task (per_cpu_data[0].current), no scheduler. Wake-ups find the tasks TASK_RUNNING and
// change nothing, so generation and delivery logic run on their own.
#include <process/cred.hpp>
#include <process/process.hpp>
#include <sched/pid.hpp>
#include <sched/task.hpp>
#include <signal/internal.hpp>
#include <signal/signal_struct.hpp>

#include <gtest/gtest.h>

#include "mm/mm_arena.hpp"

#include <memory>
#include <vector>

extern "C" {
long sys_rt_sigaction(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long sys_rt_sigprocmask(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long sys_rt_sigpending(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long sys_kill(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long sys_tgkill(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
long sys_rt_sigqueueinfo(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
}

inline uint64_t uptr(const void* p) { return reinterpret_cast<uint64_t>(p); }

struct SignalTest : testing::Test {
    MmArena arena{256};  // kmalloc for the signal structures and queue entries
    std::vector<std::unique_ptr<Task>> tasks;
    std::vector<std::unique_ptr<Credentials>> creds;
    Task* saved_current = nullptr;

    Task root;  // the creator of the test's processes: a kernel-thread-like task without signal state

    void SetUp() override {
        saved_current = per_cpu_data[0].current;
        become(&root);
    }

    // A new process (its own SigHand and SignalStruct), child of the current task, in the PID table.
    Task* new_process(uint32_t uid = 0) {
        auto t = std::make_unique<Task>();
        Task* task = t.get();
        Task* parent = per_cpu_data[0].current;
        EXPECT_TRUE(bool(copy_sighand(0, task)));
        EXPECT_TRUE(bool(copy_signal(0, task)));
        auto cred = std::make_unique<Credentials>();
        cred->uid = cred->euid = cred->suid = uid;
        task->cred = cred.get();
        creds.push_back(std::move(cred));
        {
            SpinLockIrqSaveGuard guard(tasklist_lock);
            EXPECT_TRUE(bool(attach_pid(task)));
            task->tgid = task->pid;
            task->real_parent = task->parent = parent;
        }
        tasks.push_back(std::move(t));
        return task;
    }
    // A thread of `leader`'s group (CLONE_THREAD | CLONE_SIGHAND), created by `leader`.
    Task* new_thread(Task* leader) {
        Task* saved = per_cpu_data[0].current;
        become(leader);
        auto t = std::make_unique<Task>();
        Task* task = t.get();
        EXPECT_TRUE(bool(copy_sighand(CLONE_SIGHAND | CLONE_VM, task)));
        EXPECT_TRUE(bool(copy_signal(CLONE_THREAD, task)));
        task->cred = leader->cred;
        task->group_leader = leader;
        {
            SpinLockIrqSaveGuard guard(tasklist_lock);
            EXPECT_TRUE(bool(attach_pid(task)));
            task->tgid = leader->tgid;
            signal_link_thread(task);
        }
        tasks.push_back(std::move(t));
        become(saved);
        return task;
    }
    void become(Task* t) { per_cpu_data[0].current = t; }

    static KernelSigInfo from_user(int sig) {
        KernelSigInfo info;
        info.signo = sig;
        info.code = SI_USER;
        return info;
    }
    static bool pending_in(const Task* t, int sig) { return t->signals.pending.signal.has(sig); }
    static bool group_pending(const Task* t, int sig) { return t->signal->shared_pending.signal.has(sig); }

    void TearDown() override {
        per_cpu_data[0].current = saved_current;
        for (auto& t : tasks) {
            {
                SpinLockIrqSaveGuard guard(tasklist_lock);
                if (find_task_by_pid(t->pid) == t.get()) detach_pid(t.get());
            }
            release_task_signals(t.get());
        }
    }
};
