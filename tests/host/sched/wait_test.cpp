// Wait-queue wake-up rules: which entries wake_up(), wake_up_nr() and wake_up_all() wake, with
// recording wake functions and with real (simulated) sleeping tasks.
#include "sim.hpp"

#include <sched/completion.hpp>
#include <sched/sched.hpp>
#include <sched/wait.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// An entry whose wake function records its name and reports "woken" (or, if `asleep` is false, "not
// in a matching state", like a task that is already running).
struct Recorder {
    WaitQueueEntry entry;
    const char* name;
    bool asleep = true;
    std::vector<std::string>* log;

    Recorder(const char* n, std::vector<std::string>* l) : entry(nullptr, record), name(n), log(l) {}
    static int record(WaitQueueEntry* e, unsigned, int, void*) {
        Recorder* r = container_of(e, &Recorder::entry);
        if (!r->asleep) return 0;
        r->log->push_back(r->name);
        r->asleep = false;
        return 1;
    }
};

class WaitRules : public testing::Test {
protected:
    std::vector<std::string> log;
    WaitQueueHead wq;
    Recorder n1{"n1", &log}, n2{"n2", &log}, x1{"x1", &log}, x2{"x2", &log}, x3{"x3", &log};

    void SetUp() override {
        add_wait_queue_exclusive(wq, x1.entry);
        add_wait_queue(wq, n1.entry);
        add_wait_queue_exclusive(wq, x2.entry);
        add_wait_queue(wq, n2.entry);  // non-exclusive go to the head, exclusive to the tail
        add_wait_queue_exclusive(wq, x3.entry);
    }
    void TearDown() override {
        for (Recorder* r : {&n1, &n2, &x1, &x2, &x3}) remove_wait_queue(wq, r->entry);
    }
};

TEST_F(WaitRules, ExclusiveWaitersQueueBehindNonExclusive) {
    std::vector<std::string> order;
    for (WaitQueueEntry& e : wq.list) order.push_back(container_of(&e, &Recorder::entry)->name);
    EXPECT_EQ(order, (std::vector<std::string>{"n2", "n1", "x1", "x2", "x3"}));
}

TEST_F(WaitRules, WakeUpWakesAllNonExclusiveAndTheFirstExclusive) {
    EXPECT_EQ(wake_up(wq), 3);
    EXPECT_EQ(log, (std::vector<std::string>{"n2", "n1", "x1"}));
    // The wake functions here do not remove entries: the next wake_up finds the woken ones awake
    // (returning 0), so they do not count, and the next exclusive waiter is woken.
    log.clear();
    EXPECT_EQ(wake_up(wq), 1);
    EXPECT_EQ(log, (std::vector<std::string>{"x2"}));
}

TEST_F(WaitRules, WakeUpNrWakesThatManyExclusive) {
    EXPECT_EQ(wake_up_nr(wq, 2), 4);
    EXPECT_EQ(log, (std::vector<std::string>{"n2", "n1", "x1", "x2"}));
}

TEST_F(WaitRules, WakeUpAllWakesEveryone) {
    EXPECT_EQ(wake_up_all(wq), 5);
    EXPECT_EQ(log, (std::vector<std::string>{"n2", "n1", "x1", "x2", "x3"}));
}

TEST_F(WaitRules, AnExclusiveWaiterThatIsAlreadyAwakeDoesNotUseUpTheWakeUp) {
    x1.asleep = false;
    EXPECT_EQ(wake_up(wq), 3);
    EXPECT_EQ(log, (std::vector<std::string>{"n2", "n1", "x2"}));
}

TEST_F(WaitRules, ANegativeReturnStopsTheWalk) {
    WaitQueueHead q;
    std::vector<std::string> l;
    Recorder a{"a", &l};
    WaitQueueEntry stopper(nullptr, [](WaitQueueEntry*, unsigned, int, void*) { return -1; });
    add_wait_queue(q, a.entry);
    add_wait_queue(q, stopper);  // at the head
    EXPECT_EQ(wake_up_all(q), 0);
    EXPECT_TRUE(l.empty());
    remove_wait_queue(q, stopper);
    remove_wait_queue(q, a.entry);
}

// With tasks: each "waiter" runs in the simulator, queues itself with prepare_to_wait*() and sleeps.
class WaitTasks : public testing::Test {
protected:
    SchedSim sim;
    WaitQueueHead wq;
    std::vector<std::unique_ptr<WaitQueueEntry>> entries;

    Task* sleeper(const char* name, bool exclusive) {
        Task* t = sim.spawn({.name = name});
        while (sim.running() != t) sim.run_for(sim.tick_ns());
        auto e = std::make_unique<WaitQueueEntry>(t);
        if (exclusive)
            prepare_to_wait_exclusive(wq, *e, TASK_UNINTERRUPTIBLE);
        else
            prepare_to_wait(wq, *e, TASK_UNINTERRUPTIBLE);
        entries.push_back(std::move(e));
        schedule();  // as the task: sleeps
        EXPECT_NE(sim.running(), t);
        return t;
    }
};

TEST_F(WaitTasks, WakeUpWakesNonExclusiveSleepersAndOneExclusive) {
    Task* x1 = sleeper("x1", true);
    Task* n1 = sleeper("n1", false);
    Task* x2 = sleeper("x2", true);
    EXPECT_EQ(task_state_char(x1), 'D');
    EXPECT_EQ(sim.rq().nr_running, 0u);
    EXPECT_EQ(wake_up(wq), 2);
    EXPECT_EQ(task_state(n1), TASK_RUNNING);
    EXPECT_EQ(task_state(x1), TASK_RUNNING);
    EXPECT_EQ(task_state(x2), TASK_UNINTERRUPTIBLE);
    EXPECT_EQ(sim.rq().nr_running, 2u);
    // autoremove_wake_function took the woken entries off the queue.
    EXPECT_EQ(wq.list.size(), 1u);
    EXPECT_EQ(wake_up_all(wq), 1);
    EXPECT_EQ(task_state(x2), TASK_RUNNING);
    EXPECT_TRUE(wq.list.empty());
}

TEST_F(WaitTasks, WakeUpInterruptibleLeavesUninterruptibleSleepers) {
    Task* t = sleeper("d", false);
    EXPECT_EQ(wake_up_interruptible(wq), 0);
    EXPECT_EQ(task_state(t), TASK_UNINTERRUPTIBLE);
    EXPECT_EQ(wake_up(wq), 1);
    EXPECT_EQ(task_state(t), TASK_RUNNING);
}

TEST_F(WaitTasks, WakeUpBeforeScheduleCancelsTheSleep) {
    Task* t = sim.spawn({.name = "racer"});
    while (sim.running() != t) sim.run_for(sim.tick_ns());
    WaitQueueEntry e(t);
    prepare_to_wait(wq, e, TASK_UNINTERRUPTIBLE);
    // The waker runs between the waiter's condition check and its schedule() (here: from an interrupt).
    sim.wake(t);  // a stray wake-up: any wake_up_process() does the same as wake_up(wq) here
    EXPECT_EQ(task_state(t), TASK_RUNNING);
    schedule();  // does not sleep: the state is TASK_RUNNING again
    EXPECT_EQ(sim.running(), t);
    EXPECT_TRUE(t->on_rq);
    finish_wait(wq, e);
    EXPECT_TRUE(wq.list.empty());
}

TEST(Completion, CompleteBeforeWaitIsNotLost) {
    Completion c;
    complete(c);
    EXPECT_TRUE(completion_done(c));
    EXPECT_TRUE(try_wait_for_completion(c));
    EXPECT_FALSE(try_wait_for_completion(c));
    complete(c);
    complete(c);
    EXPECT_TRUE(try_wait_for_completion(c));
    EXPECT_TRUE(try_wait_for_completion(c));
    EXPECT_FALSE(completion_done(c));
}

TEST(Completion, CompleteAllLetsEveryoneThroughUntilReinit) {
    Completion c;
    complete_all(c);
    for (int i = 0; i < 10; i++) EXPECT_TRUE(try_wait_for_completion(c));
    reinit_completion(c);
    EXPECT_FALSE(try_wait_for_completion(c));
}

}  // namespace
