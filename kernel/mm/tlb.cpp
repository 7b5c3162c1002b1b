// TLB shootdown for user address spaces (see tlb.hpp).
//
// Ordering. A CPU joins mm->cpu_mask (atomically, a full barrier) before it loads the page table, and
// the flusher reads the mask after its page-table stores, with a full fence in between. So either the
// flusher sees the CPU in the mask and flushes it, or the CPU loaded the table after the stores and
// never cached the old entries.
#include <mm/mm_struct.hpp>
#include <mm/tlb.hpp>
#include <sched/preempt.hpp>
#include <smp/smp.hpp>

namespace {

struct FlushRequest {
    MmStruct* mm;
    uint64_t start, end;
};

Atomic<uint64_t> remote_flushes{0};

bool loaded_on(const MmStruct* mm, unsigned cpu) {
    return mm->cpu_mask.load(MemoryOrder::Acquire) & (1ull << cpu);
}

// Runs on every other CPU, in interrupt context.
void flush_if_loaded(void* arg) {
    auto* req = static_cast<FlushRequest*>(arg);
    if (loaded_on(req->mm, smp_processor_id())) arch::flush_tlb_user_local(req->start, req->end);
}

}  // namespace

void flush_tlb_mm_range(MmStruct* mm, uint64_t start, uint64_t end) {
    if (start >= end) return;
    PreemptGuard stay_on_this_cpu;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);  // page-table stores before reading the mask
    unsigned self = smp_processor_id();
    uint64_t mask = mm->cpu_mask.load(MemoryOrder::Acquire);
    if (mask & (1ull << self)) arch::flush_tlb_user_local(start, end);
    if (!(mask & ~(1ull << self))) return;
    // Every other CPU is interrupted; those that do not have the table loaded return at once.
    remote_flushes.fetch_add(1, MemoryOrder::Relaxed);
    FlushRequest req{mm, start, end};
    smp_call_function(flush_if_loaded, &req, /*wait=*/true);
}

void flush_tlb_mm(MmStruct* mm) { flush_tlb_mm_range(mm, 0, mm->task_size); }

uint64_t nr_tlb_remote_flushes() { return remote_flushes.load(MemoryOrder::Relaxed); }
