// Self-tests of vmalloc and ioremap on the real kernel page table.
#include <kunit/ktest.hpp>
#include <mm/gfp.hpp>
#include <mm/internal.hpp>
#include <mm/mmu.hpp>
#include <mm/page.hpp>
#include <mm/vmalloc.hpp>

namespace {
bool mapped(uintptr_t virt) {
    Translation t;
    return arch::kernel_translate(virt, t);
}
}  // namespace

KTEST(vmalloc, guard_pages_unmapped) {
    uint64_t before = nr_free_pages();
    size_t areas = vmalloc_nr_areas();
    auto* p = static_cast<uint64_t*>(vmalloc(4 * kPageSize));
    KASSERT_TRUE(p != nullptr);
    auto base = reinterpret_cast<uintptr_t>(p);
    for (size_t i = 0; i < 4 * kPageSize / 8; i++) p[i] = i * 3;
    uint64_t sum_ok = 1;
    for (size_t i = 0; i < 4 * kPageSize / 8; i++) sum_ok &= p[i] == i * 3;
    KEXPECT_EQ(sum_ok, 1);
    for (int i = 0; i < 4; i++) {
        Translation t;
        KASSERT_TRUE(arch::kernel_translate(base + i * kPageSize, t));
        KEXPECT_TRUE(t.prot & prot::Write);
        KEXPECT_EQ(t.page_size, kPageSize);
    }
    // Checked by walking the page table, not by faulting.
    KEXPECT_FALSE(mapped(base + 4 * kPageSize));
    KEXPECT_FALSE(mapped(base - kPageSize));
    vfree(p);
    KEXPECT_FALSE(mapped(base));
    KEXPECT_EQ(vmalloc_nr_areas(), areas);
    // The VmArea descriptor's kmalloc slab may stay cached.
    KEXPECT_TRUE(nr_free_pages() + 1 >= before);
}

KTEST(vmalloc, large_area_is_usable) {
    constexpr size_t kSize = 256 * 1024;
    auto* p = static_cast<unsigned char*>(vmalloc(kSize));
    KASSERT_TRUE(p != nullptr);
    for (size_t i = 0; i < kSize; i += 512) p[i] = (unsigned char)(i >> 9);
    unsigned bad = 0;
    for (size_t i = 0; i < kSize; i += 512) bad += p[i] != (unsigned char)(i >> 9);
    KEXPECT_EQ(bad, 0);
    vfree(p);
}

// The HPET's capability register: a read-only MMIO register above RAM (QEMU's PC machine has one).
KTEST(vmalloc, ioremap_mmio_uncached) {
    auto* hpet = static_cast<volatile uint64_t*>(ioremap(0xfed00000, 0x400));
    KASSERT_TRUE(hpet != nullptr);
    Translation t;
    KASSERT_TRUE(arch::kernel_translate(reinterpret_cast<uintptr_t>(hpet), t));
    KEXPECT_EQ(t.phys, 0xfed00000);
    KEXPECT_TRUE(t.prot & prot::NoCache);
    uint64_t caps = hpet[0];
    uint32_t period_fs = uint32_t(caps >> 32);
    KEXPECT_TRUE(period_fs > 0 && period_fs <= 100000000);  // HPET spec: at most 100 ns
    iounmap(const_cast<uint64_t*>(hpet));
    KEXPECT_FALSE(mapped(reinterpret_cast<uintptr_t>(hpet)));
}

KTEST(vmalloc, ioremap_refuses_ram) {
    void* page = get_free_pages(GFP_KERNEL, 0);
    KASSERT_TRUE(page != nullptr);
    KEXPECT_TRUE(ioremap(arch::virt_to_phys(page), 64) == nullptr);  // expected WARNING in the log
    free_pages_addr(page, 0);
}
