#pragma once
// A deterministic scheduler simulator: the real scheduler core and classes (sched/core.cpp, fair.cpp,
// rt.cpp, idle.cpp) driven in virtual time on the host, without context switches.
//
// The simulator plays the hardware and the tasks. Virtual time advances from event to event: the
// periodic tick every 1/HZ (scheduler_tick(), then a reschedule if one is pending, as at an interrupt
// return), a running task reaching the end of its CPU burst (it blocks: set_current_state +
// schedule()), and a sleeping task's wake-up time (wake_up_process() from "interrupt" context). Between
// events the task the scheduler chose (rq.curr) is charged the elapsed time, which gives a ground truth
// to compare the scheduler's own accounting (se.sum_exec_runtime) against.
//
//   SchedSim sim;
//   Task* a = sim.spawn({.name = "a", .nice = 0});
//   Task* b = sim.spawn({.name = "b", .nice = 5});
//   sim.run_for(10'000'000'000);                 // 10 s of virtual time
//   double ratio = double(sim.cpu_time(a)) / sim.cpu_time(b);
#include <sched/runqueue.hpp>
#include <sched/task.hpp>
#include <stdint.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

struct SimTaskSpec {
    const char* name = "task";
    int nice = 0;
    int policy = SCHED_NORMAL;
    int rt_priority = 0;
    // CPU time per burst before the task blocks, and how long it then sleeps. kForever: CPU-bound.
    uint64_t run_ns = kForever;
    uint64_t sleep_ns = 0;
    static constexpr uint64_t kForever = ~uint64_t(0);
};

// One context switch seen by the simulator.
struct SimSwitch {
    uint64_t time;
    Task* from;
    Task* to;
};

class SchedSim {
public:
    SchedSim();
    ~SchedSim();
    SchedSim(const SchedSim&) = delete;
    SchedSim& operator=(const SchedSim&) = delete;

    // Creates a task as a child of whatever runs now (copy_process's scheduler part: sched_fork) with
    // the spec's policy and nice, and wakes it with wake_up_new_task() (from interrupt context, so a
    // preemption it causes happens at the interrupt return).
    Task* spawn(const SimTaskSpec& spec);

    void run_for(uint64_t ns) { run_until(now_ + ns); }
    void run_until(uint64_t t);

    // Event injection at the current time.
    void wake(Task* t);          // wake_up_process() from interrupt context, then an interrupt return
    void block_current();        // the running task sleeps (TASK_INTERRUPTIBLE) until wake()
    void yield_current();        // the running task calls yield()
    // Calls fn at virtual time t (from interrupt context: an interrupt return follows).
    void at(uint64_t t, std::function<void()> fn);

    uint64_t now() const { return now_; }
    uint64_t tick_ns() const { return tick_ns_; }
    Task* running() const;
    RunQueue& rq() const;
    // Ground truth: virtual time during which t was rq.curr.
    uint64_t cpu_time(const Task* t) const;
    // The scheduler's own accounting, brought up to date.
    uint64_t sum_exec_runtime(Task* t);
    const std::vector<SimSwitch>& switches() const { return switches_; }
    uint64_t ticks() const { return ticks_; }

private:
    struct SimTask {
        std::unique_ptr<Task> task;
        SimTaskSpec spec;
        uint64_t burst_left;
        uint64_t wake_at = kNever;
        uint64_t cpu_time = 0;
    };
    static constexpr uint64_t kNever = ~uint64_t(0);

    SimTask* info(const Task* t);
    const SimTask* info(const Task* t) const;
    void enter_context();      // preempt_count/irqs as the running task would have them
    void irq_enter();          // entering a (simulated) interrupt handler
    void interrupt_return();   // leaving it: reschedule if needed, as the interrupt exit path does
    void record_switch(Task* before);
    void do_block(SimTask& st);

    std::vector<std::unique_ptr<SimTask>> tasks_;
    struct Timer {
        uint64_t time;
        std::function<void()> fn;
    };
    std::vector<Timer> timers_;
    std::vector<SimSwitch> switches_;
    uint64_t now_ = 0;
    uint64_t tick_ns_;
    uint64_t next_tick_;
    uint64_t ticks_ = 0;
};
