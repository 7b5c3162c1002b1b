// fork's copy of an address space (dup_mm): what is shared, what becomes copy-on-write, and that the
// two sides are isolated afterwards.
#include "mm/user_mm_fixture.hpp"

namespace {

using DupMmTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

MmStruct* fork_of(MmStruct* mm) {
    Result<MmStruct*> child = dup_mm(mm);
    EXPECT_FALSE(child.is_error());
    return child.is_error() ? nullptr : child.value();
}

TEST_F(DupMmTest, PrivateWritablePagesBecomeCopyOnWriteOnBothSides) {
    uint64_t a = map_anon(2 * P);
    ASSERT_EQ(write(a, 1), FaultResult::Handled);
    Page* page = page_of(mm, a);
    MmStruct* child = fork_of(mm);
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(page_of(child, a), page);
    EXPECT_EQ(page_count(page), 2);
    UserPte p, c;
    ASSERT_TRUE(pte(mm, a, p));
    ASSERT_TRUE(pte(child, a, c));
    EXPECT_FALSE(p.writable);
    EXPECT_FALSE(c.writable);
    EXPECT_TRUE(vma_lookup(child, a)->flags & VM_WRITE);  // the area stays writable
    EXPECT_EQ(mm_rss_pages(child), 1u);
    EXPECT_EQ(child->total_vm, mm->total_vm);

    // The child writes: it gets a copy; the parent keeps the original.
    ASSERT_EQ(write(a, 2, child), FaultResult::Handled);
    EXPECT_NE(page_of(child, a), page);
    EXPECT_EQ(peek(a, child), 2);
    EXPECT_EQ(peek(a), 1);
    EXPECT_EQ(page_count(page), 1);
    // Now the parent is the only holder: its write takes the page over instead of copying.
    uint64_t free_before = nr_free_pages();
    ASSERT_EQ(write(a, 3), FaultResult::Handled);
    EXPECT_EQ(page_of(mm, a), page);
    EXPECT_EQ(nr_free_pages(), free_before);
    EXPECT_EQ(peek(a, child), 2);
    mmput(child);
}

TEST_F(DupMmTest, ParentWriteAfterForkIsInvisibleToTheChild) {
    uint64_t a = map_anon(P);
    ASSERT_EQ(write(a + 10, 5), FaultResult::Handled);
    MmStruct* child = fork_of(mm);
    ASSERT_EQ(write(a + 10, 6), FaultResult::Handled);
    EXPECT_EQ(peek(a + 10, child), 5);
    EXPECT_EQ(peek(a + 10), 6);
    mmput(child);
}

TEST_F(DupMmTest, TheZeroPageStaysShared) {
    uint64_t a = map_anon(P);
    EXPECT_EQ(peek(a), 0);
    MmStruct* child = fork_of(mm);
    EXPECT_EQ(pfn_of(child, a), zero_pfn());
    EXPECT_EQ(mm_rss_pages(child), 0u);
    ASSERT_EQ(write(a, 4, child), FaultResult::Handled);
    EXPECT_EQ(pfn_of(mm, a), zero_pfn());
    EXPECT_EQ(peek(a), 0);
    mmput(child);
}

TEST_F(DupMmTest, SharedAnonymousMemoryStaysShared) {
    uint64_t a = map(0, 2 * P, kRw, MAP_SHARED | MAP_ANONYMOUS);
    ASSERT_EQ(write(a, 1), FaultResult::Handled);
    MmStruct* child = fork_of(mm);
    UserPte c;
    ASSERT_TRUE(pte(child, a, c));
    EXPECT_TRUE(c.writable);  // shared: same permissions as the parent's entry
    ASSERT_EQ(write(a, 7, child), FaultResult::Handled);
    EXPECT_EQ(peek(a), 7);
    // A page first touched after the fork is still one page for both.
    ASSERT_EQ(write(a + P, 8), FaultResult::Handled);
    EXPECT_EQ(peek(a + P, child), 8);
    EXPECT_EQ(page_of(mm, a + P), page_of(child, a + P));
    // The object outlives the parent's mapping.
    mmput(mm);
    mm = nullptr;
    EXPECT_EQ(peek(a + P, child), 8);
    mmput(child);
}

TEST_F(DupMmTest, PrivateReadOnlyPagesAreSharedAsTheyAre) {
    uint64_t a = map_anon(P);
    ASSERT_EQ(write(a, 9), FaultResult::Handled);
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_READ).is_error());
    uint64_t flushes = fake_pgtable::local_flushes();
    MmStruct* child = fork_of(mm);
    EXPECT_EQ(page_of(child, a), page_of(mm, a));
    EXPECT_EQ(fake_pgtable::local_flushes(), flushes);  // nothing lost write access: no flush
    EXPECT_EQ(peek(a, child), 9);
    mmput(child);
}

TEST_F(DupMmTest, WriteProtectingTheParentFlushesItsTlb) {
    uint64_t a = map_anon(P);
    ASSERT_EQ(write(a, 1), FaultResult::Handled);
    switch_mm(nullptr, mm);  // "running" on this CPU
    uint64_t flushes = fake_pgtable::local_flushes();
    MmStruct* child = fork_of(mm);
    EXPECT_GT(fake_pgtable::local_flushes(), flushes);
    switch_mm(mm, nullptr);
    mmdrop(mm);  // the "CPU"'s reference
    EXPECT_EQ(mm->cpu_mask.load(), 0u);
    mmput(child);
}

TEST_F(DupMmTest, DontforkAndWipeonforkAreHonoured) {
    uint64_t keep = map(0x10000000, P, kRw, kAnon);
    uint64_t skip = map(0x20000000, P, kRw, kAnon);
    uint64_t wipe = map(0x30000000, P, kRw, kAnon);
    for (uint64_t a : {keep, skip, wipe}) ASSERT_EQ(write(a, 1), FaultResult::Handled);
    ASSERT_FALSE(do_madvise(mm, skip, P, MADV_DONTFORK).is_error());
    ASSERT_FALSE(do_madvise(mm, wipe, P, MADV_WIPEONFORK).is_error());
    MmStruct* child = fork_of(mm);
    EXPECT_EQ(peek(keep, child), 1);
    uint8_t byte;
    EXPECT_EQ(read(skip, byte, child), FaultResult::MapError);
    EXPECT_EQ(peek(wipe, child), 0);
    EXPECT_EQ(peek(wipe), 1);
    EXPECT_EQ(nr_vmas(child), 2u);
    mmput(child);
}

TEST_F(DupMmTest, LayoutIsCopied) {
    MmLayout& layout = mm_layout(mm);
    layout.start_brk = layout.brk = 0x600000;
    layout.start_stack = 0x7ffffffde000;
    MmStruct* child = fork_of(mm);
    EXPECT_EQ(mm_layout(child).brk, 0x600000u);
    EXPECT_EQ(mm_layout(child).start_stack, 0x7ffffffde000u);
    EXPECT_EQ(child->mmap_base, mm->mmap_base);
    mmput(child);
}

TEST_F(DupMmTest, FailureLeavesNothingBehind) {
    uint64_t a = map_anon(8 * P);
    for (int i = 0; i < 8; i++) ASSERT_EQ(write(a + i * P, 1), FaultResult::Handled);
    size_t tables = fake_pgtable::live_tables();
    fake_pgtable::fail_new_entries_after(3);
    Result<MmStruct*> child = dup_mm(mm);
    fake_pgtable::fail_new_entries_after(-1);
    ASSERT_TRUE(child.is_error());
    EXPECT_EQ(child.error(), Errno::ENOMEM);
    EXPECT_EQ(fake_pgtable::live_tables(), tables);
    for (int i = 0; i < 8; i++) EXPECT_EQ(page_count(page_of(mm, a + i * P)), 1);
    EXPECT_EQ(peek(a + 7 * P), 1);
}

TEST_F(DupMmTest, EverythingIsFreedAfterBothExit) {
    // Warm the slab caches so that the measurement sees only page-level leaks.
    auto run = [&] {
        MmStruct* parent = new_mm();
        uint64_t a = map_anon(16 * P, kRw, parent);
        for (int i = 0; i < 16; i++) EXPECT_EQ(write(a + i * P, uint8_t(i), parent), FaultResult::Handled);
        map(0, 4 * P, kRw, MAP_SHARED | MAP_ANONYMOUS, parent);
        MmStruct* child = fork_of(parent);
        for (int i = 0; i < 16; i += 2) EXPECT_EQ(write(a + i * P, 0xff, child), FaultResult::Handled);
        mmput(parent);
        mmput(child);
    };
    run();
    uint64_t before = nr_free_pages();
    run();
    EXPECT_EQ(nr_free_pages(), before);
}

}  // namespace
