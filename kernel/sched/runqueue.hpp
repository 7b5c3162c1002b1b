#pragma once
// The per-CPU runqueue (Linux's struct rq) and the per-class sub-queues it holds. Internal to sched/.
//
// Each CPU has one RunQueue. Its lock protects everything in it and the scheduling fields of every task
// queued on it (Task::on_rq, se, rt, and which task is `curr`). The lock is taken with interrupts off
// (the tick and wake-ups from interrupt handlers take it too). Lock order: Task::pi_lock, then
// RunQueue::lock; two runqueue locks in CPU order.
#include <lib/list.hpp>
#include <lib/rbtree.hpp>
#include <locking/spinlock.hpp>
#include <sched/fair_math.hpp>
#include <sched/prio.hpp>
#include <sched/task.hpp>
#include <smp/percpu.hpp>

// CFS: runnable entities ordered by vruntime. The running entity (`curr`) is kept out of the tree while
// it runs (its vruntime changes constantly) but still counts in nr_running and load.
struct CfsRq {
    struct ByVruntime {
        bool operator()(const SchedEntity& a, const SchedEntity& b) const {
            return cfs::vruntime_before(a.vruntime, b.vruntime);
        }
    };
    using Timeline = RbTree<SchedEntity, &SchedEntity::run_node, ByVruntime>;

    Timeline timeline;
    LoadWeight load;          // sum of the weights of all entities on_rq (including curr)
    unsigned nr_running = 0;  // entities on_rq (including curr)
    // Never decreases: the smallest vruntime of the entities here (curr included), clamped to stay
    // monotonic. New and waking entities are placed relative to it.
    uint64_t min_vruntime = 0;
    SchedEntity* curr = nullptr;  // the entity running now, or nullptr when another class runs
    SchedEntity* skip = nullptr;  // sched_yield(): avoid picking this one next if a peer is close
};

// Real-time: one FIFO list per priority, and a bitmap of the non-empty ones so the highest runnable
// priority is found with a bit scan. A running RT task stays in its list.
struct RtRq {
    static constexpr unsigned kBitmapWords = (MAX_RT_PRIO + 63) / 64;
    uint64_t bitmap[kBitmapWords] = {};
    IntrusiveList<SchedRtEntity, &SchedRtEntity::run_list> queue[MAX_RT_PRIO];
    unsigned nr_running = 0;
};

// Deadline: pending (see sched/deadline.cpp); never holds a task yet.
struct DlRq {
    unsigned nr_running = 0;
};

struct RunQueue {
    SpinLock lock;
    unsigned cpu = 0;
    unsigned nr_running = 0;  // tasks enqueued in any class (the idle task is never enqueued)
    uint64_t nr_switches = 0;
    // The rq clock: local_clock() at the last update_rq_clock(), never going backwards. clock_task is
    // the part charged to tasks (the same until interrupt time is accounted separately).
    uint64_t clock = 0;
    uint64_t clock_task = 0;

    Task* curr = nullptr;
    Task* idle = nullptr;
    Task* stop = nullptr;  // the stop class's task (none yet)
    // The address space a kernel thread borrowed until the switch in progress, dropped (mmdrop) by
    // finish_task_switch once this CPU no longer uses it.
    MmStruct* prev_mm = nullptr;

    CfsRq cfs;
    RtRq rt;
    DlRq dl;
};

// The runqueue of a CPU that runs tasks (today: the boot CPU; see core.cpp).
RunQueue& cpu_rq(unsigned cpu);
inline RunQueue& this_rq() { return *this_cpu()->rq; }
inline RunQueue& task_rq(const Task* p) { return cpu_rq(task_cpu(p)); }

// Brings rq.clock up to date with local_clock(). Call with rq.lock held before any accounting.
void update_rq_clock(RunQueue& rq);
inline uint64_t rq_clock(const RunQueue& rq) { return rq.clock; }
inline uint64_t rq_clock_task(const RunQueue& rq) { return rq.clock_task; }

// Asks rq's CPU to reschedule at its next safe point. rq.lock held.
void resched_curr(RunQueue& rq);
