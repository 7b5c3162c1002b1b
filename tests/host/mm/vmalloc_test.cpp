// vmalloc/ioremap bookkeeping against the recording fake kernel page table (host_support.cpp): which
// pages get mapped with which protection, the guard page, and that everything is given back.
#include "mm_arena.hpp"
#include <mm/mmu.hpp>
#include <mm/vmalloc.hpp>
#include <gtest/gtest.h>

namespace {

bool mapped(uintptr_t virt, Translation* out = nullptr) {
    Translation t;
    bool ok = arch::kernel_translate(virt, t);
    if (out) *out = t;
    return ok;
}

TEST(Vmalloc, MapsPagesWithAGuardPageAfter) {
    MmArena arena;
    uint64_t before = nr_free_pages();
    auto* p = static_cast<char*>(vmalloc(3 * kPageSize + 1));  // 4 pages
    ASSERT_NE(p, nullptr);
    auto base = reinterpret_cast<uintptr_t>(p);
    EXPECT_GE(base, arch::vmalloc_range().start);
    for (int i = 0; i < 4; i++) {
        Translation t;
        ASSERT_TRUE(mapped(base + i * kPageSize, &t)) << i;
        EXPECT_EQ(t.prot, PAGE_KERNEL);
        Page* page = virt_to_page(arch::phys_to_virt(t.phys));
        ASSERT_NE(page, nullptr);
        EXPECT_TRUE(page->test(PG_vmalloc));
    }
    EXPECT_FALSE(mapped(base + 4 * kPageSize));  // the guard
    EXPECT_FALSE(mapped(base - kPageSize));
    EXPECT_EQ(nr_free_pages(), before - 4 - 1);  // + the kmalloc-64 slab holding the VmArea
    vfree(p);
    for (int i = 0; i < 4; i++) EXPECT_FALSE(mapped(base + i * kPageSize));
    EXPECT_EQ(nr_free_pages(), before - 1);  // the emptied slab stays cached
    EXPECT_EQ(vmalloc_nr_areas(), 0u);
}

TEST(Vmalloc, ConsecutiveAreasAreSeparatedByGuards) {
    MmArena arena;
    auto a = reinterpret_cast<uintptr_t>(vmalloc(kPageSize));
    auto b = reinterpret_cast<uintptr_t>(vmalloc(kPageSize));
    EXPECT_GE(b, a + 2 * kPageSize);
    EXPECT_FALSE(mapped(a + kPageSize));
    vfree(reinterpret_cast<void*>(a));
    vfree(reinterpret_cast<void*>(b));
}

TEST(Vmalloc, FailureUnwindsEverything) {
    MmArena arena(64);
    uint64_t before = nr_free_pages();
    EXPECT_EQ(vmalloc(100 * kPageSize), nullptr);
    EXPECT_EQ(vmalloc_nr_areas(), 0u);
    EXPECT_GE(nr_free_pages(), before - 1);  // at most the VmArea's slab remains cached
}

TEST(Vmalloc, BadVfreeIsRefused) {
    MmArena arena;
    char* p = static_cast<char*>(vmalloc(2 * kPageSize));
    vfree(p + kPageSize);  // WARNs: not the start of an area
    EXPECT_TRUE(mapped(reinterpret_cast<uintptr_t>(p)));
    vfree(p);
    vfree(p);  // WARNs: already freed
    EXPECT_EQ(vmalloc_nr_areas(), 0u);
}

TEST(Ioremap, MapsUncachedAndKeepsTheOffset) {
    MmArena arena;
    auto* regs = static_cast<char*>(ioremap(0xfee00020, 0x10));
    ASSERT_NE(regs, nullptr);
    Translation t;
    ASSERT_TRUE(mapped(reinterpret_cast<uintptr_t>(regs), &t));
    EXPECT_EQ(t.phys, 0xfee00020u);
    EXPECT_EQ(t.prot, PAGE_KERNEL_NOCACHE);
    void* wb = ioremap(0xfed00000, 0x2000, CacheMode::WriteBack);
    ASSERT_TRUE(mapped(reinterpret_cast<uintptr_t>(wb) + kPageSize, &t));
    EXPECT_EQ(t.prot, PAGE_KERNEL);
    iounmap(regs);
    iounmap(wb);
    EXPECT_FALSE(mapped(reinterpret_cast<uintptr_t>(regs)));
    EXPECT_EQ(vmalloc_nr_areas(), 0u);
}

TEST(Ioremap, RefusesRamTheAllocatorManages) {
    MmArena arena;
    uint64_t ram = arena.base_pfn() << kPageShift;
    EXPECT_EQ(ioremap(ram + 5 * kPageSize, 64), nullptr);
    EXPECT_EQ(ioremap(0, 0), nullptr);
}

}  // namespace
