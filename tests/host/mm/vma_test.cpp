// The area tree of an address space: lookups, splitting, merging (mm/vma.hpp).
#include "mm/user_mm_fixture.hpp"

#include <mm/vma.hpp>

namespace {

using VmaTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr uint64_t kRw = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

VmArea* add(MmStruct* mm, uint64_t start, uint64_t end, uint64_t flags = kRw) {
    Result<VmArea*> vma = vma_alloc(mm, start, end, flags);
    EXPECT_FALSE(vma.is_error());
    vma_link(mm, vma.value());
    return vma.value();
}

TEST_F(VmaTest, FindReturnsTheFirstAreaEndingAboveTheAddress) {
    VmArea* a = add(mm, 0x10000, 0x20000);
    VmArea* b = add(mm, 0x30000, 0x32000);
    VmArea* c = add(mm, 0x40000, 0x50000);
    EXPECT_EQ(find_vma(mm, 0), a);
    EXPECT_EQ(find_vma(mm, 0x10000), a);
    EXPECT_EQ(find_vma(mm, 0x1ffff), a);
    EXPECT_EQ(find_vma(mm, 0x20000), b);  // in the gap: the next area
    EXPECT_EQ(find_vma(mm, 0x31fff), b);
    EXPECT_EQ(find_vma(mm, 0x4ffff), c);
    EXPECT_EQ(find_vma(mm, 0x50000), nullptr);

    EXPECT_EQ(vma_lookup(mm, 0x20000), nullptr);
    EXPECT_EQ(vma_lookup(mm, 0x30000), b);
    EXPECT_EQ(find_vma_intersection(mm, 0x20000, 0x30000), nullptr);
    EXPECT_EQ(find_vma_intersection(mm, 0x20000, 0x30001), b);
    EXPECT_EQ(find_vma_prev(mm, 0x30000), a);
    EXPECT_EQ(find_vma_prev(mm, 0x60000), c);
    EXPECT_EQ(find_vma_prev(mm, 0x5000), nullptr);
    EXPECT_EQ(vma_next(mm, a), b);
    EXPECT_EQ(vma_prev(mm, c), b);
    EXPECT_EQ(mm->total_vm, 16u + 2u + 16u);
}

TEST_F(VmaTest, ManyAreasStayOrdered) {
    for (uint64_t i = 0; i < 200; i++) {
        uint64_t slot = (i * 37) % 200;  // out of order
        add(mm, 0x100000 + slot * 2 * P, 0x100000 + slot * 2 * P + P);
    }
    uint64_t last_end = 0;
    size_t n = 0;
    for (VmArea* v = vma_first(mm); v; v = vma_next(mm, v), n++) {
        EXPECT_GE(v->start, last_end);
        last_end = v->end;
    }
    EXPECT_EQ(n, 200u);
    EXPECT_EQ(vma_lookup(mm, 0x100000 + 57 * 2 * P + 5)->start, 0x100000 + 57 * 2 * P);
    EXPECT_EQ(vma_lookup(mm, 0x100000 + 57 * 2 * P + P), nullptr);
}

TEST_F(VmaTest, SplitKeepsPageOffsetsAndTotal) {
    VmArea* a = add(mm, 0x10000, 0x20000);
    a->pgoff = 100;  // as for a file mapped at page 100
    Result<VmArea*> upper = split_vma(mm, a, 0x14000);
    ASSERT_FALSE(upper.is_error());
    EXPECT_EQ(a->start, 0x10000u);
    EXPECT_EQ(a->end, 0x14000u);
    EXPECT_EQ(upper.value()->start, 0x14000u);
    EXPECT_EQ(upper.value()->end, 0x20000u);
    EXPECT_EQ(upper.value()->pgoff, 104u);
    EXPECT_EQ(upper.value()->pgoff_of(0x15000), 105u);
    EXPECT_EQ(mm->total_vm, 16u);
    EXPECT_EQ(nr_vmas(), 2u);
    EXPECT_EQ(vma_lookup(mm, 0x14000), upper.value());
}

TEST_F(VmaTest, SplitPiecesMergeBack) {
    VmArea* a = add(mm, 0x10000, 0x20000);
    VmArea* upper = split_vma(mm, a, 0x18000).value();
    EXPECT_TRUE(vma_can_merge(a, upper));
    VmArea* merged = vma_merge_neighbours(mm, upper);
    EXPECT_EQ(merged, a);
    EXPECT_EQ(a->end, 0x20000u);
    EXPECT_EQ(nr_vmas(), 1u);
    EXPECT_EQ(mm->total_vm, 16u);
}

TEST_F(VmaTest, MergeNeedsSameFlagsContiguousOffsetsAndNoStack) {
    VmArea* a = add(mm, 0x10000, 0x20000);
    VmArea* b = add(mm, 0x20000, 0x30000, kRw & ~VM_WRITE);
    EXPECT_FALSE(vma_can_merge(a, b));
    b->flags = kRw;
    EXPECT_TRUE(vma_can_merge(a, b));
    b->pgoff += 1;
    EXPECT_FALSE(vma_can_merge(a, b));
    b->pgoff -= 1;
    a->flags |= VM_GROWSDOWN;
    b->flags |= VM_GROWSDOWN;
    EXPECT_FALSE(vma_can_merge(a, b));
    VmArea* gap = add(mm, 0x31000, 0x32000);
    EXPECT_FALSE(vma_can_merge(b, gap));  // not adjacent
}

TEST_F(VmaTest, MergeJoinsBothNeighbours) {
    add(mm, 0x10000, 0x20000);
    add(mm, 0x30000, 0x40000);
    VmArea* middle = add(mm, 0x20000, 0x30000);
    VmArea* merged = vma_merge_neighbours(mm, middle);
    EXPECT_EQ(merged->start, 0x10000u);
    EXPECT_EQ(merged->end, 0x40000u);
    EXPECT_EQ(nr_vmas(), 1u);
    EXPECT_EQ(mm->total_vm, 48u);
}

TEST_F(VmaTest, StackKeepsAGuardGapBelow) {
    VmArea* stack = add(mm, 0x7ff000000000, 0x7ff000100000, kRw | VM_GROWSDOWN);
    EXPECT_EQ(vm_start_gap(stack), 0x7ff000000000 - kStackGuardGap);
    VmArea* low = add(mm, 0x1000, 0x2000, kRw | VM_GROWSDOWN);
    EXPECT_EQ(vm_start_gap(low), 0u);
}

TEST_F(VmaTest, ProtBitsTranslate) {
    EXPECT_EQ(calc_vm_prot_bits(PROT_NONE), 0u);
    EXPECT_EQ(calc_vm_prot_bits(PROT_READ | PROT_EXEC), VM_READ | VM_EXEC);
    EXPECT_EQ(calc_vm_prot_bits(PROT_READ | PROT_WRITE | PROT_EXEC), VM_ACCESS_FLAGS);
}

}  // namespace
