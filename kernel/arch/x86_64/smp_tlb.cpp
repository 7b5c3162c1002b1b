// TLB shootdown for kernel mappings (Linux's flush_tlb_kernel_range on SMP): a CPU that removed a
// kernel mapping has flushed its own TLB; every other online CPU may still cache the old translation and
// must drop it before the virtual range (vmalloc reuses it) or the physical pages are used again.
#include <arch/x86_64/mm/tlb.hpp>
#include <arch/x86_64/smp.hpp>
#include <smp/cpumask.hpp>
#include <smp/smp.hpp>

namespace {

struct FlushRange {
    uintptr_t start;
    size_t size;
};

// Past this many pages one full flush is cheaper than invlpg per page.
constexpr size_t kFullFlushPages = 32;

void flush_range_here(void* arg) {
    const auto* r = static_cast<const FlushRange*>(arg);
    if (r->size / 4096 > kFullFlushPages) {
        x86::flush_tlb_all();
        return;
    }
    for (uintptr_t va = r->start; va < r->start + r->size; va += 4096) x86::invlpg(va);
}

}  // namespace

void x86::flush_tlb_kernel_range_others(uintptr_t start, size_t size) {
    if (num_online_cpus() < 2 || size == 0) return;
    FlushRange range{start, size};
    smp_call_function(flush_range_here, &range, true);
}
