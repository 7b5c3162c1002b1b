// mprotect(2): splitting, merging back, PROT_NONE, and write-protection that respects copy-on-write.
#include "mm/user_mm_fixture.hpp"

namespace {

using MprotectTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

TEST_F(MprotectTest, MiddleOfAnAreaSplitsItInThreeAndMergesBack) {
    uint64_t a = map_anon(10 * P);
    ASSERT_FALSE(do_mprotect(mm, a + 3 * P, 2 * P, PROT_READ).is_error());
    EXPECT_EQ(nr_vmas(), 3u);
    VmArea* middle = vma_lookup(mm, a + 3 * P);
    EXPECT_EQ(middle->start, a + 3 * P);
    EXPECT_EQ(middle->end, a + 5 * P);
    EXPECT_EQ(middle->flags & VM_ACCESS_FLAGS, VM_READ);
    EXPECT_EQ(write(a + 3 * P, 1), FaultResult::AccessError);
    EXPECT_EQ(write(a + 5 * P, 1), FaultResult::Handled);
    ASSERT_FALSE(do_mprotect(mm, a + 3 * P, 2 * P, kRw).is_error());
    EXPECT_EQ(nr_vmas(), 1u);
    EXPECT_EQ(mm->total_vm, 10u);
    EXPECT_EQ(write(a + 3 * P, 1), FaultResult::Handled);
}

TEST_F(MprotectTest, WriteProtectionReachesMappedEntries) {
    uint64_t a = map_anon(2 * P);
    ASSERT_EQ(write(a, 5), FaultResult::Handled);
    uint64_t flushes = fake_pgtable::local_flushes();
    switch_mm(nullptr, mm);
    ASSERT_FALSE(do_mprotect(mm, a, 2 * P, PROT_READ).is_error());
    switch_mm(mm, nullptr);
    mmdrop(mm);  // the "CPU"'s reference
    EXPECT_GT(fake_pgtable::local_flushes(), flushes);
    UserPte p;
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_FALSE(p.writable);
    EXPECT_EQ(write(a, 6), FaultResult::AccessError);
    EXPECT_EQ(peek(a), 5);
    // Back to writable: the private entry stays read-only until the write fault, which takes the page
    // over (nobody else holds it) instead of copying it.
    Page* page = page_of(mm, a);
    ASSERT_FALSE(do_mprotect(mm, a, 2 * P, kRw).is_error());
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_FALSE(p.writable);
    ASSERT_EQ(write(a, 6), FaultResult::Handled);
    EXPECT_EQ(page_of(mm, a), page);
}

TEST_F(MprotectTest, MakingACopyOnWriteAreaWritableKeepsTheCopyOnWrite) {
    uint64_t a = map_anon(P);
    ASSERT_EQ(write(a, 1), FaultResult::Handled);
    Result<MmStruct*> child = dup_mm(mm);
    ASSERT_FALSE(child.is_error());
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_READ).is_error());
    ASSERT_FALSE(do_mprotect(mm, a, P, kRw).is_error());
    UserPte p;
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_FALSE(p.writable);  // still shared with the child
    ASSERT_EQ(write(a, 2), FaultResult::Handled);
    EXPECT_EQ(peek(a, child.value()), 1);
    mmput(child.value());
}

TEST_F(MprotectTest, ProtNoneKeepsTheDataButForbidsAccess) {
    uint64_t a = map_anon(P);
    ASSERT_EQ(write(a + 1, 42), FaultResult::Handled);
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_NONE).is_error());
    UserPte p;
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_FALSE(p.accessible);
    uint8_t byte;
    EXPECT_EQ(read(a + 1, byte), FaultResult::AccessError);
    EXPECT_EQ(mm_rss_pages(mm), 1u);
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_READ).is_error());
    EXPECT_EQ(peek(a + 1), 42);
}

TEST_F(MprotectTest, ExecIsAddedAndRemoved) {
    uint64_t a = map_anon(P, PROT_READ);
    EXPECT_EQ(peek(a), 0);
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_READ | PROT_EXEC).is_error());
    UserPte p;
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_TRUE(p.executable);
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_READ).is_error());
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_FALSE(p.executable);
}

TEST_F(MprotectTest, ARangeWhoseFirstPartMergesWithTheNextArea) {
    // [a, a+P) PROT_NONE, [a+P, a+4P) read-write: making all of it read-write merges the first area into
    // the second, which then already covers the rest of the range.
    uint64_t a = map_anon(4 * P);
    ASSERT_EQ(write(a + P, 42), FaultResult::Handled);
    ASSERT_FALSE(do_mprotect(mm, a, P, PROT_NONE).is_error());
    EXPECT_EQ(nr_vmas(), 2u);
    ASSERT_FALSE(do_mprotect(mm, a, 4 * P, kRw).is_error());
    EXPECT_EQ(nr_vmas(), 1u);
    EXPECT_EQ(peek(a + P), 42);
    // And across three areas whose middle one changes.
    ASSERT_FALSE(do_mprotect(mm, a + P, P, PROT_READ).is_error());
    ASSERT_FALSE(do_mprotect(mm, a, 4 * P, kRw).is_error());
    EXPECT_EQ(nr_vmas(), 1u);
}

TEST_F(MprotectTest, ErrorsAreLinuxs) {
    uint64_t a = map(0x10000000, 2 * P, kRw, kAnon);
    map(0x10003000, P, kRw, kAnon);  // a hole at 0x10002000
    EXPECT_EQ(do_mprotect(mm, a + 1, P, PROT_READ).error(), Errno::EINVAL);
    EXPECT_EQ(do_mprotect(mm, a, P, 0x100).error(), Errno::EINVAL);
    EXPECT_EQ(do_mprotect(mm, a, P, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP).error(), Errno::EINVAL);
    EXPECT_EQ(do_mprotect(mm, a, 4 * P, PROT_READ).error(), Errno::ENOMEM);  // the hole
    EXPECT_EQ(do_mprotect(mm, 0x50000000, P, PROT_READ).error(), Errno::ENOMEM);
    EXPECT_EQ(do_mprotect(mm, a, P, PROT_READ | PROT_GROWSDOWN).error(), Errno::EINVAL);  // not a stack
    EXPECT_FALSE(do_mprotect(mm, a, 0, PROT_READ).is_error());
    // Linux applies the change up to the hole before reporting it.
    EXPECT_EQ(vma_lookup(mm, a)->flags & VM_ACCESS_FLAGS, VM_READ);
}

TEST_F(MprotectTest, MayFlagsLimitWhatCanBeGranted) {
    uint64_t a = map_anon(P);
    vma_lookup(mm, a)->flags &= ~VM_MAYEXEC;
    EXPECT_EQ(do_mprotect(mm, a, P, PROT_READ | PROT_EXEC).error(), Errno::EACCES);
}

TEST_F(MprotectTest, GrowsdownExtendsToTheStackStart) {
    uint64_t s = map(0x20000000, 8 * P, kRw, kAnon | MAP_GROWSDOWN | MAP_FIXED);
    ASSERT_FALSE(do_mprotect(mm, s + 4 * P, P, PROT_READ | PROT_EXEC | PROT_GROWSDOWN).is_error());
    VmArea* low = vma_lookup(mm, s);
    EXPECT_EQ(low->end, s + 5 * P);
    EXPECT_TRUE(low->flags & VM_EXEC);
}

}  // namespace
