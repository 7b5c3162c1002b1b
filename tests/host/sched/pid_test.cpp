// PID allocation: cyclic, wrapping to kPidReserved, never handing out a PID in use; lookup by PID.
#include <sched/pid.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace {

struct PidTable : testing::Test {
    std::vector<std::unique_ptr<Task>> tasks;

    int attach() {
        auto t = std::make_unique<Task>();
        SpinLockIrqSaveGuard guard(tasklist_lock);
        Result<int> pid = attach_pid(t.get());
        if (pid.is_error()) return -1;
        tasks.push_back(std::move(t));
        return pid.value();
    }
    void detach(int pid) {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        Task* t = find_task_by_pid(pid);
        ASSERT_NE(t, nullptr);
        detach_pid(t);
    }
    void TearDown() override {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        for (auto& t : tasks)
            if (find_task_by_pid(t->pid) == t.get()) detach_pid(t.get());
    }
};

TEST_F(PidTable, AllocatesCyclicallyAndWrapsToTheReservedBoundary) {
    set_last_pid(PID_MAX_DEFAULT - 3);
    EXPECT_EQ(attach(), PID_MAX_DEFAULT - 2);
    EXPECT_EQ(attach(), PID_MAX_DEFAULT - 1);
    int wrapped = attach();
    EXPECT_GE(wrapped, kPidReserved);
    EXPECT_LT(wrapped, PID_MAX_DEFAULT - 2);
}

TEST_F(PidTable, AFreedPidIsNotReusedAtOnce) {
    set_last_pid(5000);
    int a = attach();
    int b = attach();
    EXPECT_EQ(a, 5001);
    EXPECT_EQ(b, 5002);
    detach(a);
    EXPECT_EQ(attach(), 5003);
}

TEST_F(PidTable, SkipsPidsInUse) {
    set_last_pid(6000);
    int a = attach();  // 6001
    attach();          // 6002
    set_last_pid(a - 1);
    EXPECT_EQ(attach(), 6003);
}

TEST_F(PidTable, FindsTasksByPidAndForgetsThem) {
    set_last_pid(7000);
    int pid = attach();
    Task* t = tasks.back().get();
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        EXPECT_EQ(find_task_by_pid(pid), t);
        EXPECT_EQ(t->pid, pid);
        EXPECT_TRUE(all_tasks().contains(*t));
    }
    Task* ref = get_task_by_pid(pid);
    EXPECT_EQ(ref, t);
    EXPECT_EQ(t->usage.load(), 2);
    t->usage.fetch_sub(1);
    detach(pid);
    SpinLockIrqSaveGuard guard(tasklist_lock);
    EXPECT_EQ(find_task_by_pid(pid), nullptr);
    EXPECT_FALSE(all_tasks().contains(*t));
    EXPECT_EQ(find_task_by_pid(0), nullptr);
    EXPECT_EQ(find_task_by_pid(PID_MAX_DEFAULT), nullptr);
}

}  // namespace
