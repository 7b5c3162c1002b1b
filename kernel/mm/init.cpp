// mm_core_init(): from the firmware memory map to working alloc_pages(), kmalloc() and vmalloc() on
// Tern's own page tables.
//
//   1. The memory map gives the RAM ranges. Free memory is usable RAM above boot_info.reserved_phys_end
//      (which covers the kernel image and the initrd modules); the first MiB is left alone (firmware
//      data, and the real-mode trampoline other CPUs will start in).
//   2. The boot allocator (memblock) takes mem_map, one Page per frame up to the end of RAM, from the
//      lowest free memory.
//   3. The buddy allocator gets the free memory the boot page tables can reach, builds the kernel page
//      tables from it (arch::paging_init) and then gets the rest.
//   4. Slab caches and the vmalloc area come last; then the Linux-style "Memory:" summary.
#include <init/boot_info.hpp>
#include <init/subsystems.hpp>
#include <mm/internal.hpp>
#include <mm/memblock.hpp>
#include <mm/mmu.hpp>
#include <mm/page_alloc.hpp>
#include <mm/slab_cache.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <new>

extern "C" char _stext[], _etext[], _erodata[], _sksyms[], _edata[], _sbss[], _ebss[];

namespace {

constexpr uint64_t kLowMemoryEnd = 1ull << 20;

Memblock free_memory;  // what the page allocator will get
Memblock direct_map;   // what the direct map must cover

bool is_ram(MemoryRegion::Type type) {
    using T = MemoryRegion::Type;
    return type == T::Usable || type == T::AcpiReclaimable || type == T::AcpiNvs;
}

struct RamSummary {
    uint64_t phys_pages;  // usable RAM, in pages
    uint64_t max_pfn;     // one past the last usable page
};

RamSummary scan_memory_map() {
    RamSummary ram{0, 0};
    for (unsigned i = 0; i < boot_info.memory_count; i++) {
        const MemoryRegion& r = boot_info.memory[i];
        uint64_t end = r.base + r.size;
        if (is_ram(r.type) && !direct_map.add(page_align_down(r.base), page_align_up(end)))
            pr_warn("mm: memory map too fragmented, [%#lx-%#lx] left out of the direct map", (unsigned long)r.base,
                    (unsigned long)end);
        if (r.type != MemoryRegion::Type::Usable) continue;
        uint64_t first = page_align_up(r.base) >> kPageShift, last = page_align_down(end) >> kPageShift;
        if (last <= first) continue;
        ram.phys_pages += last - first;
        if (last > ram.max_pfn) ram.max_pfn = last;
        if (!free_memory.add(r.base, end))
            pr_warn("mm: memory map too fragmented, [%#lx-%#lx] not used", (unsigned long)r.base, (unsigned long)end);
    }
    // The first MiB (BIOS data, EBDA, ROMs) and the boot modules stay reachable through the direct map.
    direct_map.add(0, kLowMemoryEnd);
    for (unsigned i = 0; i < boot_info.module_count; i++)
        direct_map.add(page_align_down(boot_info.modules[i].phys_start), page_align_up(boot_info.modules[i].phys_end));

    free_memory.reserve(0, kLowMemoryEnd);
    free_memory.reserve(boot_info.kernel_phys_start, boot_info.reserved_phys_end);
    for (unsigned i = 0; i < boot_info.module_count; i++)
        free_memory.reserve(boot_info.modules[i].phys_start, boot_info.modules[i].phys_end);
    return ram;
}

Page* alloc_mem_map(uint64_t nr_pages) {
    uint64_t bytes = nr_pages * sizeof(Page);
    uint64_t phys = free_memory.alloc(bytes, kPageSize, arch::early_direct_map_limit());
    if (!phys) panic("mm: no room for %lu page descriptors (%lu KiB)", (unsigned long)nr_pages, (unsigned long)(bytes >> 10));
    auto* map = static_cast<Page*>(arch::phys_to_virt(phys));
    for (uint64_t pfn = 0; pfn < nr_pages; pfn++) {
        Page* page = new (&map[pfn]) Page();
        page->flags.store(PG_reserved, MemoryOrder::Relaxed);
        page->refcount.store(1, MemoryOrder::Relaxed);
    }
    return map;
}

// Gives the page allocator the part of the free ranges within [low, high).
void release_free_memory(uint64_t low, uint64_t high) {
    for (unsigned i = 0; i < free_memory.count(); i++) {
        uint64_t start = free_memory.range(i).start, end = free_memory.range(i).end;
        if (start < low) start = low;
        if (end > high) end = high;
        if (start < end) page_alloc_add_free_range(start >> kPageShift, end >> kPageShift);
    }
}

unsigned long kib(uint64_t bytes) { return (unsigned long)(bytes >> 10); }
unsigned long kib(const char* start, const char* end) { return kib(uint64_t(end - start)); }

void mem_init_print_info(uint64_t phys_pages) {
    uint64_t reserved_pages = phys_pages - totalram_pages();
    pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK bss, %luK reserved)",
            kib(nr_free_pages() << kPageShift), kib(phys_pages << kPageShift), kib(_stext, _etext),
            kib(_erodata, _sksyms), kib(_etext, _erodata) + kib(_sksyms, _edata), kib(_sbss, _ebss),
            kib(reserved_pages << kPageShift));
}

}  // namespace

void mm_core_init() {
    RamSummary ram = scan_memory_map();
    if (ram.max_pfn == 0) panic("mm: the memory map lists no usable RAM");

    Page* map = alloc_mem_map(ram.max_pfn);
    page_alloc_init(map, 0, ram.max_pfn);
    pr_info("mm: mem_map: %luK for %lu page frames", kib(ram.max_pfn * sizeof(Page)), (unsigned long)ram.max_pfn);

    uint64_t limit = arch::early_direct_map_limit();
    release_free_memory(0, limit);
    arch::paging_init(direct_map.ranges(), direct_map.count());
    release_free_memory(limit, ~0ull);

    kmem_cache_init();
    vmalloc_init();
    mem_init_print_info(ram.phys_pages);
}
