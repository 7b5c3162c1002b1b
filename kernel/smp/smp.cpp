// Cross-CPU function calls and reschedule IPIs (see smp.hpp).
//
// Each CPU has a queue of calls for it: a small ring under a spinlock. A caller appends a request to the
// target's ring and, if the ring was empty, sends the target an IPI; the target's handler drains its
// ring until it is empty. (When the ring was not empty an IPI is already on its way or the handler is
// running and will see the new request before it stops.) A caller that waits counts down a completion
// counter on its own stack, which each target decrements once its call has returned.
#include <smp/smp.hpp>
#include <arch/arch.hpp>
#include <locking/spinlock.hpp>
#include <smp/cpumask.hpp>

namespace {

struct CallRequest {
    SmpCallFunc fn;
    void* arg;
    Atomic<unsigned>* pending;  // decremented after fn returns; nullptr when nobody waits
};

struct alignas(arch::kCacheLine) CallQueue {
    static constexpr unsigned kSize = 16;
    SpinLock lock;
    unsigned head = 0;  // next request to run
    unsigned count = 0;
    CallRequest ring[kSize];
};

CallQueue call_queues[kMaxCpus];

struct alignas(arch::kCacheLine) IpiStats {
    uint64_t reschedule;     // only the owning CPU writes its counters
    uint64_t call_function;
};
IpiStats ipi_stats[kMaxCpus];

unsigned current_cpu() { return smp_processor_id(); }

// Takes the next request of `q`, if any.
bool dequeue(CallQueue& q, CallRequest& out) {
    SpinLockIrqSaveGuard guard(q.lock);
    if (q.count == 0) return false;
    out = q.ring[q.head];
    q.head = (q.head + 1) % CallQueue::kSize;
    q.count--;
    return true;
}

// Appends to `q` unless it is full; says whether it was empty before.
bool try_enqueue(CallQueue& q, const CallRequest& req, bool& was_empty) {
    SpinLockIrqSaveGuard guard(q.lock);
    if (q.count == CallQueue::kSize) return false;
    q.ring[(q.head + q.count) % CallQueue::kSize] = req;
    was_empty = q.count++ == 0;
    return true;
}

// Runs every call queued for this CPU. Interrupts are off (the IPI handler, or a waiting caller).
void flush_call_queue() {
    CallQueue& q = call_queues[current_cpu()];
    CallRequest req;
    while (dequeue(q, req)) {
        req.fn(req.arg);
        if (req.pending) req.pending->fetch_sub(1, MemoryOrder::Release);
    }
}

// Runs this CPU's own queue with interrupts off, so that a CPU spinning on another CPU (a full ring, a
// completion) keeps serving the calls others may be waiting on from it.
void flush_while_waiting() {
    arch::IrqFlags flags = arch::irq_save();
    flush_call_queue();
    arch::irq_restore(flags);
}

enum class IpiKind { Single, Many };

// Queues fn(arg) for `cpu` and interrupts it if its queue was idle.
void queue_call(unsigned cpu, const CallRequest& req, IpiKind kind) {
    CallQueue& q = call_queues[cpu];
    bool was_empty = false;
    while (!try_enqueue(q, req, was_empty)) {
        flush_while_waiting();  // the target is busy with earlier calls
        arch::cpu_relax();
    }
    if (!was_empty) return;
    if (kind == IpiKind::Single)
        arch::send_call_function_single_ipi(cpu);
    else
        arch::send_call_function_ipi(cpu);
}

// Queues fn(arg) on every online CPU but this one; with `pending`, counts them there.
void queue_on_others(SmpCallFunc fn, void* arg, Atomic<unsigned>* pending) {
    unsigned self = current_cpu();
    for_each_online_cpu(cpu) {
        if (cpu == self) continue;
        if (pending) pending->fetch_add(1, MemoryOrder::Relaxed);
        queue_call(cpu, CallRequest{fn, arg, pending}, IpiKind::Many);
    }
}

void wait_for(Atomic<unsigned>& pending) {
    while (pending.load(MemoryOrder::Acquire) != 0) {
        flush_while_waiting();
        arch::cpu_relax();
    }
}

void run_locally(SmpCallFunc fn, void* arg) {
    arch::IrqFlags flags = arch::irq_save();
    fn(arg);
    arch::irq_restore(flags);
}

}  // namespace

Result<void> smp_call_function_single(unsigned cpu, SmpCallFunc fn, void* arg, bool wait) {
    PreemptGuard stay_on_this_cpu;
    if (cpu == current_cpu()) {
        run_locally(fn, arg);
        return {};
    }
    if (!cpu_online(cpu)) return Errno::ENXIO;
    Atomic<unsigned> pending{1};
    queue_call(cpu, CallRequest{fn, arg, wait ? &pending : nullptr}, IpiKind::Single);
    if (wait) wait_for(pending);
    return {};
}

void smp_call_function(SmpCallFunc fn, void* arg, bool wait) {
    PreemptGuard stay_on_this_cpu;
    Atomic<unsigned> pending{0};
    queue_on_others(fn, arg, wait ? &pending : nullptr);
    if (wait) wait_for(pending);
}

void on_each_cpu(SmpCallFunc fn, void* arg, bool wait) {
    PreemptGuard stay_on_this_cpu;
    Atomic<unsigned> pending{0};
    queue_on_others(fn, arg, wait ? &pending : nullptr);
    run_locally(fn, arg);
    if (wait) wait_for(pending);
}

void smp_send_reschedule(unsigned cpu) {
    if (!cpu_online(cpu)) return;
    arch::send_reschedule_ipi(cpu);
}

void generic_smp_call_function_interrupt() {
    ipi_stats[current_cpu()].call_function++;
    flush_call_queue();
}

void scheduler_ipi() {
    PerCpu* cpu = this_cpu();
    ipi_stats[cpu->cpu_id].reschedule++;
    // The interrupt return path calls the scheduler if the interrupted code can be preempted.
    cpu->need_resched = true;
}

IpiCounts smp_ipi_counts(unsigned cpu) {
    if (cpu >= kMaxCpus) return {};
    return IpiCounts{__atomic_load_n(&ipi_stats[cpu].reschedule, __ATOMIC_RELAXED),
                     __atomic_load_n(&ipi_stats[cpu].call_function, __ATOMIC_RELAXED)};
}
