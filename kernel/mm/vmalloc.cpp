// vmalloc() and ioremap(): virtually contiguous kernel mappings in the vmalloc range.
//
// Every area is followed by an unmapped guard page (VmArea::span includes it), and areas are laid out
// next to each other, so the page before an area is also unmapped: the guard of its neighbour, or never
// mapped at all. A kernel stack that overflows (downwards) or a buffer that overruns (upwards) faults.
//
// Works once mm_core_init() has run (start_kernel calls it before trap_init/init_IRQ/time_init, the
// first users of ioremap); earlier calls fail with nullptr and a warning.
#include <mm/vmalloc.hpp>
#include <mm/internal.hpp>
#include <mm/mmu.hpp>
#include <mm/slab.hpp>
#include <mm/vmap_area.hpp>
#include <locking/spinlock.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>

namespace {

constexpr size_t kGuardSize = kPageSize;

SpinLock vmap_lock;
VmapSpace vmap_space;
bool vmap_ready = false;

VmArea* alloc_area(size_t size, VmArea::Kind kind) {
    if (WARN_ON(!vmap_ready)) {
        pr_err("vmalloc/ioremap called before mm_core_init");
        return nullptr;
    }
    VmArea* area = knew<VmArea>();
    if (!area) return nullptr;
    area->size = size;
    area->kind = kind;
    bool placed;
    {
        SpinLockIrqSaveGuard guard(vmap_lock);
        placed = size + kGuardSize > size && vmap_space.insert(*area, size + kGuardSize);
    }
    if (!placed) {
        kdelete(area);
        return nullptr;
    }
    return area;
}

// Finds the area that starts at `addr` and claims it for tearing down; nullptr (after a warning) if
// there is no such area of that kind or someone else is already freeing it.
VmArea* claim_area(uintptr_t addr, VmArea::Kind kind, const char* who) {
    VmArea* area;
    {
        SpinLockIrqSaveGuard guard(vmap_lock);
        area = vmap_space.find(addr);
        if (area && area->kind == kind && !area->freeing) {
            area->freeing = true;
            return area;
        }
    }
    pr_err("%s: %p is not the start of a live area", who, reinterpret_cast<void*>(addr));
    warn_slowpath(__FILE__, __LINE__, "bad vfree/iounmap");
    return nullptr;
}

// Unmaps the area and frees what backed it. The addresses are released last, so the range cannot be
// handed out again while its old mappings still exist.
void destroy_area(VmArea* area) {
    arch::unmap_kernel_range(area->addr, area->size);
    while (Page* page = area->pages.pop_front()) {
        page->clear(PG_vmalloc);
        free_pages(page, 0);
    }
    {
        SpinLockIrqSaveGuard guard(vmap_lock);
        vmap_space.remove(*area);
    }
    kdelete(area);
}

}  // namespace

void vmalloc_init() {
    VirtRange range = arch::vmalloc_range();
    vmap_space.init(range.start, range.end);
    vmap_ready = true;
}

void* vmalloc(size_t size) {
    size = page_align_up(size);
    if (size == 0) return nullptr;
    VmArea* area = alloc_area(size, VmArea::Kind::Vmalloc);
    if (!area) return nullptr;
    for (size_t offset = 0; offset < size; offset += kPageSize) {
        Page* page = alloc_pages(GFP_KERNEL, 0);
        if (!page) {
            destroy_area(area);
            return nullptr;
        }
        page->set(PG_vmalloc);
        area->pages.push_back(*page);
        if (!arch::map_kernel_range(area->addr + offset, page_to_phys(page), kPageSize, PAGE_KERNEL)) {
            destroy_area(area);
            return nullptr;
        }
    }
    return reinterpret_cast<void*>(area->addr);
}

void vfree(void* addr) {
    if (!addr) return;
    if (VmArea* area = claim_area(reinterpret_cast<uintptr_t>(addr), VmArea::Kind::Vmalloc, "vfree"))
        destroy_area(area);
}

void* ioremap(uint64_t phys, size_t size, CacheMode mode) {
    if (size == 0) return nullptr;
    uint64_t offset = phys & (kPageSize - 1);
    uint64_t base = phys - offset;
    uint64_t len = page_align_up(size + offset);
    if (len < size || base + len < base) return nullptr;
    // RAM the page allocator manages already has a cached mapping in the direct map; a second,
    // differently cached alias of it would be undefined behaviour on x86. Linux refuses it too.
    for (uint64_t pfn = base >> kPageShift; pfn < (base + len) >> kPageShift; pfn++) {
        if (pfn_valid(pfn) && !pfn_to_page(pfn)->test(PG_reserved)) {
            pr_err("ioremap: [%#lx-%#lx] is RAM in use by the kernel", (unsigned long)phys,
                   (unsigned long)(phys + size - 1));
            warn_slowpath(__FILE__, __LINE__, "ioremap of RAM");
            return nullptr;
        }
    }
    VmArea* area = alloc_area(len, VmArea::Kind::Ioremap);
    if (!area) return nullptr;
    area->phys = base;
    PageProt prot = mode == CacheMode::Uncached ? PAGE_KERNEL_NOCACHE : PAGE_KERNEL;
    if (!arch::map_kernel_range(area->addr, base, len, prot)) {
        destroy_area(area);
        return nullptr;
    }
    return reinterpret_cast<void*>(area->addr + offset);
}

void iounmap(void* addr) {
    if (!addr) return;
    uintptr_t base = page_align_down(reinterpret_cast<uintptr_t>(addr));
    if (VmArea* area = claim_area(base, VmArea::Kind::Ioremap, "iounmap")) destroy_area(area);
}

size_t vmalloc_nr_areas() {
    SpinLockIrqSaveGuard guard(vmap_lock);
    return vmap_space.nr_areas();
}
