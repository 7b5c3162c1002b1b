// Mapping tmpfs files: private mappings read the page cache and copy on write, shared ones write the
// file; the open file's mode limits the mapping; SIGBUS beyond the end; areas keep their file open.
#include "fs/vfs_fixture.hpp"
#include "mm/user_mm_fixture.hpp"

#include <fs/address_space.hpp>
#include <fs/vfs.hpp>

namespace {

constexpr uint64_t P = 4096;

class FileMmapTest : public VfsTest {
protected:
    MmStruct* mm = nullptr;

    void SetUp() override {
        VfsTest::SetUp();
        fake_pgtable::fail_new_entries_after(-1);
        mm = mm_alloc().value();
        std::string content(2 * P + 100, 'a');
        content[P] = 'b';
        content[2 * P] = 'c';
        write_file("/f", content);
    }
    void TearDown() override {
        mmput(mm);
        VfsTest::TearDown();
    }

    Result<uint64_t> map_file(const char* path, int oflags, int prot, int flags, uint64_t pgoff = 0,
                              uint64_t len = 3 * P) {
        Result<RefPtr<File>> f = open(path, oflags);
        if (f.is_error()) return f.error();
        return vm_mmap(mm, 0, len, prot, flags, f.value().get(), pgoff);  // the area keeps its own reference
    }
    uint8_t peek(uint64_t addr) {
        uint8_t v = 0;
        EXPECT_EQ(mmu_access(mm, addr, false, v), FaultResult::Handled);
        return v;
    }
    FaultResult poke(uint64_t addr, uint8_t v) { return mmu_access(mm, addr, true, v); }
};

TEST_F(FileMmapTest, PrivateMappingReadsThePageCacheAndCopiesOnWrite) {
    Result<uint64_t> a = map_file("/f", O_RDONLY, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    ASSERT_FALSE(a.is_error()) << errno_name(a.error());
    EXPECT_EQ(peek(a.value()), 'a');
    EXPECT_EQ(peek(a.value() + P), 'b');
    EXPECT_EQ(peek(a.value() + 2 * P), 'c');
    EXPECT_EQ(peek(a.value() + 2 * P + 100), 0);  // the tail of the last page reads as zeros
    VmArea* vma = vma_lookup(mm, a.value());
    Page* cached = vma->file->inode->mapping->find_get_page(1);
    UserPte pte;
    ASSERT_TRUE(arch::user_pte_get(mm->pgd, a.value() + P, pte));
    EXPECT_EQ(vm_normal_page(pte), cached);  // the page cache's own page, read-only
    EXPECT_FALSE(pte.writable);
    ASSERT_EQ(poke(a.value() + P, 'X'), FaultResult::Handled);
    EXPECT_EQ(peek(a.value() + P), 'X');
    EXPECT_EQ(read_file("/f")[P], 'b');  // the file is untouched
    put_page(cached);
}

TEST_F(FileMmapTest, SharedMappingWritesTheFile) {
    Result<uint64_t> a = map_file("/f", O_RDWR, PROT_READ | PROT_WRITE, MAP_SHARED);
    ASSERT_FALSE(a.is_error());
    ASSERT_EQ(poke(a.value() + 5, 'Z'), FaultResult::Handled);
    EXPECT_EQ(read_file("/f")[5], 'Z');
    // And a write() is seen through the mapping.
    Result<RefPtr<File>> f = open("/f", O_WRONLY);
    ASSERT_FALSE(f.is_error());
    ASSERT_FALSE(kernel_write(*f.value(), "Q", 1, 6).is_error());
    EXPECT_EQ(peek(a.value() + 6), 'Q');
}

TEST_F(FileMmapTest, OffsetSelectsThePage) {
    Result<uint64_t> a = map_file("/f", O_RDONLY, PROT_READ, MAP_PRIVATE, /*pgoff=*/2, P);
    ASSERT_FALSE(a.is_error());
    EXPECT_EQ(peek(a.value()), 'c');
}

TEST_F(FileMmapTest, BeyondTheEndOfTheFileIsSigbus) {
    Result<uint64_t> a = map_file("/f", O_RDONLY, PROT_READ, MAP_PRIVATE, 0, 5 * P);
    ASSERT_FALSE(a.is_error());
    uint8_t v;
    EXPECT_EQ(mmu_access(mm, a.value() + 2 * P, false, v), FaultResult::Handled);
    EXPECT_EQ(mmu_access(mm, a.value() + 3 * P, false, v), FaultResult::Sigbus);
}

TEST_F(FileMmapTest, TheOpenModeLimitsTheMapping) {
    EXPECT_EQ(err(map_file("/f", O_RDONLY, PROT_READ | PROT_WRITE, MAP_SHARED)), Errno::EACCES);
    EXPECT_EQ(err(map_file("/f", O_WRONLY, PROT_READ, MAP_PRIVATE)), Errno::EACCES);
    EXPECT_EQ(err(map_file("/f", O_RDWR | O_APPEND, PROT_READ | PROT_WRITE, MAP_SHARED)), Errno::EACCES);
    EXPECT_EQ(err(map_file("/f", O_RDWR, PROT_READ, MAP_SHARED_VALIDATE | 0x800000)), Errno::EOPNOTSUPP);
    // Read-only shared: allowed, but write access can never be added.
    Result<uint64_t> a = map_file("/f", O_RDONLY, PROT_READ, MAP_SHARED);
    ASSERT_FALSE(a.is_error());
    MmapLockGuard guard(mm);
    EXPECT_EQ(do_mprotect(mm, a.value(), P, PROT_READ | PROT_WRITE).error(), Errno::EACCES);
    EXPECT_FALSE(vma_lookup(mm, a.value())->flags & VM_SHARED);
}

TEST_F(FileMmapTest, DirectoriesCannotBeMapped) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    EXPECT_EQ(err(map_file("/d", O_RDONLY | O_DIRECTORY, PROT_READ, MAP_PRIVATE)), Errno::ENODEV);
}

TEST_F(FileMmapTest, TheMappingKeepsTheFileOpen) {
    uint64_t files = nr_open_files();
    Result<uint64_t> a = map_file("/f", O_RDONLY, PROT_READ, MAP_PRIVATE);
    ASSERT_FALSE(a.is_error());
    EXPECT_EQ(nr_open_files(), files + 1);  // our descriptor is gone, the area's reference is not
    EXPECT_EQ(unlink("/f"), Errno::OK);
    EXPECT_EQ(peek(a.value() + P), 'b');   // still readable after unlink
    Result<MmStruct*> child = dup_mm(mm);
    ASSERT_FALSE(child.is_error());
    ASSERT_FALSE(vm_munmap(mm, a.value(), 3 * P).is_error());
    EXPECT_EQ(nr_open_files(), files + 1);  // the child's area
    mmput(child.value());
    EXPECT_EQ(nr_open_files(), files);
}

}  // namespace
