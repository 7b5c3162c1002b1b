// Tern's own kernel page tables (replacing head.S's boot tables) and the kernel mapping operations of
// mm/mmu.hpp.
//
// Layout (Linux's x86-64 choices):
//   0xffff888000000000  direct map of RAM (and the first MiB): 1 GiB / 2 MiB pages where a whole
//                       aligned block is RAM, else 4 KiB; writable, NX
//   0xffffc90000000000  vmalloc/ioremap area, 512 GiB (one top-level entry)
//   0xffffffff80000000  the kernel image, 4 KiB pages with its sections' permissions
// and nothing in the lower half: the boot tables' identity map is gone, so NULL dereferences fault.
//
// TLB shootdown: unmap_kernel_range (vfree, iounmap) also flushes the other online CPUs' TLBs
// (smp_tlb.cpp); other changes to kernel mappings (protect, large-page splits) are flushed on this CPU
// only.
#include <arch/x86_64/mm/page_table.hpp>
#include <arch/x86_64/mm/tlb.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/smp.hpp>
#include <init/boot_info.hpp>
#include <locking/spinlock.hpp>
#include <mm/page.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>

extern "C" char _kernel_start[], _etext[], _erodata[], _sksyms[], _edata[], _end[];

namespace {

constexpr uintptr_t kVmallocStart = 0xffffc90000000000ul;
constexpr uintptr_t kVmallocSize = 512ul << 30;
constexpr uint64_t kBootDirectMapLimit = 4ull << 30;  // head.S maps the first 4 GiB

PageTable kernel_page_table;
SpinLock kernel_page_table_lock;

void map_or_panic(PageTable& pt, uintptr_t virt, uint64_t phys, uint64_t size, PageProt prot) {
    auto result = pt.map(virt, phys, size, prot);
    if (result.is_error())
        panic("paging_init: cannot map %#lx -> %#lx (%s)", (unsigned long)virt, (unsigned long)phys,
              errno_name(result.error()));
}

bool block_fits(uint64_t phys, uint64_t end, uint64_t size) {
    return (phys & (size - 1)) == 0 && end - phys >= size;
}

void map_direct_range(PageTable& pt, const PhysRange& range) {
    for (uint64_t phys = range.start; phys < range.end;) {
        uint64_t size = kPageSize4K;
        if (boot_cpu_features.gbpages && block_fits(phys, range.end, kPageSize1G))
            size = kPageSize1G;
        else if (block_fits(phys, range.end, kPageSize2M))
            size = kPageSize2M;
        map_or_panic(pt, arch::kDirectMapBase + phys, phys, size, PAGE_KERNEL);
        phys += size;
    }
}

void map_image_section(PageTable& pt, const char* start, const char* end, PageProt prot) {
    auto virt = page_align_down(reinterpret_cast<uintptr_t>(start));
    auto stop = page_align_up(reinterpret_cast<uintptr_t>(end));
    for (; virt < stop; virt += kPageSize4K) map_or_panic(pt, virt, virt - arch::kKernelImageBase, kPageSize4K, prot);
}

// The linker script page-aligns every boundary used here except _edata, whose page is followed by the
// (aligned) start of bss: it is rounded up, so the tail of .ksyms's last page stays read-only.
void map_kernel_image(PageTable& pt) {
    map_image_section(pt, _kernel_start, _etext, PAGE_KERNEL_EXEC);  // multiboot header, text
    map_image_section(pt, _etext, _erodata, PAGE_KERNEL_RO);         // rodata, tables of sections
    map_image_section(pt, _erodata, _sksyms, PAGE_KERNEL);           // data
    map_image_section(pt, _sksyms, _edata, PAGE_KERNEL_RO);          // symbol table
    map_image_section(pt, reinterpret_cast<char*>(page_align_up(reinterpret_cast<uintptr_t>(_edata))), _end,
                      PAGE_KERNEL);  // bss
}

struct [[gnu::packed]] DescriptorTablePointer {
    uint16_t limit;
    uint64_t base;
};

// head.S loads the GDT by its physical address (it runs before paging). Point GDTR at the image's
// high alias before the identity map goes away, or the next segment load would fault.
void rebase_gdt() {
    DescriptorTablePointer gdtr;
    asm volatile("sgdt %0" : "=m"(gdtr));
    if (gdtr.base >= boot_info.kernel_phys_start && gdtr.base < boot_info.kernel_phys_end) {
        gdtr.base += arch::kKernelImageBase;
        asm volatile("lgdt %0" : : "m"(gdtr) : "memory");
    }
}

}  // namespace

PageTable& init_page_table() { return kernel_page_table; }

uint64_t arch::early_direct_map_limit() { return kBootDirectMapLimit; }

VirtRange arch::vmalloc_range() { return {kVmallocStart, kVmallocStart + kVmallocSize}; }

void arch::paging_init(const PhysRange* ranges, unsigned count) {
    auto root = PageTable::create();
    if (root.is_error()) panic("paging_init: no memory for the kernel page table");
    PageTable pt = root.value();

    for (unsigned i = 0; i < count; i++) map_direct_range(pt, ranges[i]);
    map_kernel_image(pt);
    if (pt.populate_top_level(kVmallocStart).is_error()) panic("paging_init: no memory for the vmalloc area");
    pt.freeze_kernel_half();

    rebase_gdt();
    x86::write_cr3(pt.root_phys());  // drops the boot tables' (non-global) entries from the TLB
    x86::write_cr4(x86::read_cr4() | x86::CR4_PGE);
    x86::flush_tlb_all();
    kernel_page_table = pt;
}

Result<void> arch::map_kernel_range(uintptr_t virt, uint64_t phys, size_t size, PageProt prot) {
    if ((virt | phys | size) & (kPageSize4K - 1)) return Errno::EINVAL;
    SpinLockIrqSaveGuard guard(kernel_page_table_lock);
    if (!kernel_page_table.root_phys()) return Errno::EINVAL;  // before paging_init
    for (size_t offset = 0; offset < size; offset += kPageSize4K) {
        auto result = kernel_page_table.map(virt + offset, phys + offset, kPageSize4K, prot);
        if (result.is_error()) {
            for (size_t undo = 0; undo < offset; undo += kPageSize4K) (void)kernel_page_table.unmap(virt + undo);
            return result.error();
        }
    }
    return {};
}

void arch::unmap_kernel_range(uintptr_t virt, size_t size) {
    {
        SpinLockIrqSaveGuard guard(kernel_page_table_lock);
        if (!kernel_page_table.root_phys()) return;
        for (size_t offset = 0; offset < size; offset += kPageSize4K) (void)kernel_page_table.unmap(virt + offset);
    }
    x86::flush_tlb_kernel_range_others(virt, size);  // the other CPUs may cache what was just unmapped
}

bool arch::kernel_translate(uintptr_t virt, Translation& out) {
    SpinLockIrqSaveGuard guard(kernel_page_table_lock);
    return kernel_page_table.root_phys() && kernel_page_table.translate(virt, out);
}
