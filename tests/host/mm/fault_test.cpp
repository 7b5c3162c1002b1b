// Page-fault decisions against the recording page table: demand zero, the shared zero page,
// copy-on-write of backed pages, stack growth, permission errors, SIGBUS and out-of-memory.
#include "mm/user_mm_fixture.hpp"

#include <cstring>
#include <vector>

namespace {

using FaultTest = UserMmTest;
constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

// A backing object like a file's page cache: `pages` pages filled with their index, faults beyond the
// end fail (SIGBUS).
struct FakeFile {
    std::vector<Page*> pages;
    explicit FakeFile(size_t n) {
        for (size_t i = 0; i < n; i++) {
            Page* page = alloc_pages(GFP_ZERO, 0);
            memset(page_address(page), int(0x40 + i), P);
            pages.push_back(page);
        }
    }
    ~FakeFile() {
        for (Page* page : pages) put_page(page);
    }
    static Result<Page*> fault(VmArea* vma, uint64_t pgoff) {
        auto* file = static_cast<FakeFile*>(vma->private_data);
        if (pgoff >= file->pages.size()) return Errno::EFAULT;
        get_page(file->pages[pgoff]);
        return file->pages[pgoff];
    }
    static constexpr VmOperations ops = {nullptr, nullptr, &FakeFile::fault, "fake"};
};

uint64_t map_fake(MmStruct* mm, FakeFile& file, uint64_t addr, uint64_t len, uint64_t vm_flags, uint64_t pgoff = 0) {
    MapBacking backing;
    backing.vm_ops = &FakeFile::ops;
    backing.private_data = &file;
    backing.pgoff = pgoff;
    MmapLockGuard guard(mm);
    Result<uint64_t> r = mmap_region(mm, addr, len, vm_flags | VM_MAYREAD | VM_MAYWRITE, backing);
    EXPECT_FALSE(r.is_error());
    return r.is_error() ? 0 : r.value();
}

TEST_F(FaultTest, ReadOfUntouchedAnonymousMemoryMapsTheZeroPage) {
    uint64_t a = map_anon(2 * P);
    EXPECT_EQ(peek(a + 17), 0);
    UserPte p;
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_EQ(p.pfn, zero_pfn());
    EXPECT_FALSE(p.writable);
    EXPECT_EQ(mm_rss_pages(mm), 0u);
}

TEST_F(FaultTest, TwoAddressSpacesShareTheZeroPage) {
    MmStruct* other = new_mm();
    uint64_t a = map_anon(P);
    uint64_t b = map_anon(P, kRw, other);
    EXPECT_EQ(peek(a), 0);
    EXPECT_EQ(peek(b, other), 0);
    EXPECT_EQ(pfn_of(mm, a), pfn_of(other, b));
    mmput(other);
}

TEST_F(FaultTest, WriteAllocatesAZeroedPrivatePage) {
    uint64_t a = map_anon(P);
    uint64_t free_before = nr_free_pages();
    ASSERT_EQ(write(a + 5, 0x77), FaultResult::Handled);
    EXPECT_EQ(nr_free_pages(), free_before - 1);
    EXPECT_EQ(peek(a + 5), 0x77);
    EXPECT_EQ(peek(a + 6), 0);
    UserPte p;
    ASSERT_TRUE(pte(mm, a, p));
    EXPECT_TRUE(p.writable);
    EXPECT_NE(p.pfn, zero_pfn());
    EXPECT_EQ(mm_rss_pages(mm), 1u);
}

TEST_F(FaultTest, WriteAfterReadReplacesTheZeroPage) {
    uint64_t a = map_anon(P);
    EXPECT_EQ(peek(a), 0);
    ASSERT_EQ(write(a, 3), FaultResult::Handled);
    EXPECT_NE(pfn_of(mm, a), zero_pfn());
    EXPECT_EQ(peek(a), 3);
    EXPECT_EQ(mm_rss_pages(mm), 1u);
}

TEST_F(FaultTest, PermissionsAreChecked) {
    uint64_t ro = map_anon(P, PROT_READ);
    uint64_t none = map_anon(P, PROT_NONE);
    uint8_t byte = 0;
    EXPECT_EQ(write(ro, 1), FaultResult::AccessError);
    EXPECT_EQ(read(ro, byte), FaultResult::Handled);
    EXPECT_EQ(read(none, byte), FaultResult::AccessError);
    EXPECT_EQ(do_user_addr_fault(mm, ro, FAULT_FLAG_USER | FAULT_FLAG_INSTRUCTION), FaultResult::AccessError);
    EXPECT_EQ(read(0x1000, byte), FaultResult::MapError);
    EXPECT_EQ(read(TASK_SIZE + 5, byte), FaultResult::MapError);
    uint64_t rx = map_anon(P, PROT_READ | PROT_EXEC);
    EXPECT_EQ(do_user_addr_fault(mm, rx, FAULT_FLAG_USER | FAULT_FLAG_INSTRUCTION), FaultResult::Handled);
    UserPte p;
    ASSERT_TRUE(pte(mm, rx, p));
    EXPECT_TRUE(p.executable);
}

TEST_F(FaultTest, PrivateBackedPagesAreSharedUntilWritten) {
    FakeFile file(4);
    uint64_t a = map_fake(mm, file, 0x40000000, 4 * P, VM_READ | VM_WRITE);
    EXPECT_EQ(peek(a + 2 * P), 0x42);
    EXPECT_EQ(page_of(mm, a + 2 * P), file.pages[2]);  // the cache's own page, read-only
    EXPECT_EQ(page_count(file.pages[2]), 2);
    UserPte p;
    ASSERT_TRUE(pte(mm, a + 2 * P, p));
    EXPECT_FALSE(p.writable);
    // Writing copies; the backing object does not change.
    ASSERT_EQ(write(a + 2 * P, 0x11), FaultResult::Handled);
    EXPECT_NE(page_of(mm, a + 2 * P), file.pages[2]);
    EXPECT_EQ(page_count(file.pages[2]), 1);
    EXPECT_EQ(peek(a + 2 * P), 0x11);
    EXPECT_EQ(peek(a + 2 * P + 1), 0x42);
    EXPECT_EQ(static_cast<uint8_t*>(page_address(file.pages[2]))[0], 0x42);
    // A first access that writes copies at once.
    ASSERT_EQ(write(a + 3 * P, 0x22), FaultResult::Handled);
    EXPECT_EQ(page_count(file.pages[3]), 1);
    EXPECT_EQ(mm_rss_pages(mm), 2u);
    ASSERT_FALSE(vm_munmap(mm, a, 4 * P).is_error());
    EXPECT_EQ(page_count(file.pages[2]), 1);
}

TEST_F(FaultTest, SharedBackedPagesAreWrittenInPlace) {
    FakeFile file(2);
    uint64_t a = map_fake(mm, file, 0x40000000, 2 * P, VM_READ | VM_WRITE | VM_SHARED | VM_MAYSHARE);
    ASSERT_EQ(write(a + P + 9, 0x99), FaultResult::Handled);
    EXPECT_EQ(page_of(mm, a + P), file.pages[1]);
    EXPECT_EQ(static_cast<uint8_t*>(page_address(file.pages[1]))[9], 0x99);
}

TEST_F(FaultTest, PageOffsetSelectsTheBackingPage) {
    FakeFile file(4);
    uint64_t a = map_fake(mm, file, 0x40000000, 2 * P, VM_READ, /*pgoff=*/2);
    EXPECT_EQ(peek(a), 0x42);
    EXPECT_EQ(peek(a + P), 0x43);
}

TEST_F(FaultTest, BeyondTheEndOfTheBackingIsSigbus) {
    FakeFile file(1);
    uint64_t a = map_fake(mm, file, 0x40000000, 3 * P, VM_READ);
    uint8_t byte;
    EXPECT_EQ(read(a, byte), FaultResult::Handled);
    EXPECT_EQ(read(a + P, byte), FaultResult::Sigbus);
}

TEST_F(FaultTest, StackGrowsDownOnFaultWithinItsLimit) {
    uint64_t top = 0x7fff00000000;
    uint64_t stack = map(top - 4 * P, 4 * P, kRw, kAnon | MAP_FIXED | MAP_GROWSDOWN);
    ASSERT_EQ(write(stack - 10 * P, 1), FaultResult::Handled);
    VmArea* vma = vma_lookup(mm, stack);
    EXPECT_EQ(vma->start, stack - 10 * P);
    EXPECT_EQ(mm->total_vm, 14u);
    // Beyond RLIMIT_STACK (8 MiB by default): no.
    uint8_t byte;
    EXPECT_EQ(read(top - (8ull << 20) - P, byte), FaultResult::MapError);
    // Not into the guard gap above another mapping.
    map(top - (4ull << 20), P, kRw, kAnon | MAP_FIXED);
    EXPECT_EQ(read(top - (4ull << 20) + P + 5 * P, byte), FaultResult::MapError);
    EXPECT_EQ(read(top - (3ull << 20) + P, byte), FaultResult::Handled);  // exactly the gap: allowed
    EXPECT_EQ(read(top - (3ull << 20), byte), FaultResult::MapError);  // one page into it
}

TEST_F(FaultTest, OutOfMemoryIsReportedNotFatal) {
    uint64_t a = map_anon(2 * P);
    // Use up the arena.
    std::vector<Page*> hog;
    while (Page* page = alloc_pages(0, 0)) hog.push_back(page);
    EXPECT_EQ(write(a, 1), FaultResult::Oom);
    uint8_t byte;
    EXPECT_EQ(read(a, byte), FaultResult::Handled);  // the zero page needs no memory
    for (Page* page : hog) put_page(page);
    EXPECT_EQ(write(a, 1), FaultResult::Handled);
}

TEST_F(FaultTest, PageTableAllocationFailureIsOom) {
    uint64_t a = map_anon(2 * P);
    uint64_t free_before = nr_free_pages();
    fake_pgtable::fail_new_entries_after(0);
    EXPECT_EQ(write(a, 1), FaultResult::Oom);
    EXPECT_EQ(nr_free_pages(), free_before);  // the page allocated for it was given back
    fake_pgtable::fail_new_entries_after(-1);
    EXPECT_EQ(write(a, 1), FaultResult::Handled);
}

TEST_F(FaultTest, AccessRemoteVmReadsAndWritesAnotherAddressSpace) {
    uint64_t a = map_anon(3 * P);
    const char msg[] = "argv and envp";
    Result<size_t> wrote = access_remote_vm(mm, a + P - 4, const_cast<char*>(msg), sizeof msg, true);
    ASSERT_FALSE(wrote.is_error());
    EXPECT_EQ(wrote.value(), sizeof msg);
    char back[sizeof msg] = {};
    ASSERT_EQ(access_remote_vm(mm, a + P - 4, back, sizeof back, false).value(), sizeof msg);
    EXPECT_STREQ(back, msg);
    EXPECT_EQ(peek(a + P), uint8_t(msg[4]));
    // Partial at the end of the mapping, EFAULT where nothing is mapped, read-only respected.
    char buf[64];
    EXPECT_EQ(access_remote_vm(mm, a + 3 * P - 10, buf, sizeof buf, false).value(), 10u);
    EXPECT_EQ(access_remote_vm(mm, a + 3 * P, buf, sizeof buf, false).error(), Errno::EFAULT);
    uint64_t ro = map_anon(P, PROT_READ);
    EXPECT_EQ(access_remote_vm(mm, ro, buf, 4, true).error(), Errno::EFAULT);
}

}  // namespace
