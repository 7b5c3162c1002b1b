// read/write/pread/pwrite/lseek on tmpfs files: page boundaries, holes, append, truncate, errnos.
#include "vfs_fixture.hpp"

#include <mm/page.hpp>

#include <vector>

namespace {

using ReadWriteTest = VfsTest;

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; i++) v[i] = uint8_t(i * 31 + seed);
    return v;
}

TEST_F(ReadWriteTest, AcrossPageBoundaries) {
    RefPtr<File> f = open("/f", O_RDWR | O_CREAT).release_value();
    std::vector<uint8_t> data = pattern(3 * kPageSize + 123, 7);
    // Write in odd-sized pieces that straddle page boundaries.
    size_t off = 0;
    for (size_t chunk : {1000, 5000, 4096, 2, 2313}) {
        IoIter from = IoIter::kernel(data.data() + off, chunk);
        ASSERT_EQ(vfs_write(*f, from).value(), chunk);
        off += chunk;
    }
    ASSERT_EQ(off, data.size());
    EXPECT_EQ(f->pos, int64_t(data.size()));
    EXPECT_EQ(stat("/f").value().size, int64_t(data.size()));
    EXPECT_EQ(stat("/f").value().blocks, 4u * 8);
    std::vector<uint8_t> back(data.size());
    ASSERT_EQ(kernel_read(*f, back.data(), back.size(), 0).value(), data.size());
    EXPECT_EQ(back, data);
    // A read that starts in one page and ends in the next.
    uint8_t mid[100];
    ASSERT_EQ(kernel_read(*f, mid, 100, kPageSize - 50).value(), 100u);
    EXPECT_EQ(0, memcmp(mid, data.data() + kPageSize - 50, 100));
    // Reads stop at the end of the file.
    ASSERT_EQ(kernel_read(*f, mid, 100, data.size() - 10).value(), 10u);
    ASSERT_EQ(kernel_read(*f, mid, 100, data.size()).value(), 0u);
    ASSERT_EQ(kernel_read(*f, mid, 100, data.size() + 5000).value(), 0u);
}

TEST_F(ReadWriteTest, HolesReadAsZerosAndTakeNoPages) {
    RefPtr<File> f = open("/sparse", O_RDWR | O_CREAT).release_value();
    ASSERT_EQ(kernel_write(*f, "end", 3, 10 * kPageSize).value(), 3u);
    Kstat st = stat("/sparse").value();
    EXPECT_EQ(st.size, int64_t(10 * kPageSize + 3));
    EXPECT_EQ(st.blocks, 8u);  // one page
    std::vector<uint8_t> buf(10 * kPageSize + 3, 0xff);
    ASSERT_EQ(kernel_read(*f, buf.data(), buf.size(), 0).value(), buf.size());
    for (size_t i = 0; i < 10 * kPageSize; i++) ASSERT_EQ(buf[i], 0) << i;
    EXPECT_EQ(0, memcmp(buf.data() + 10 * kPageSize, "end", 3));
}

TEST_F(ReadWriteTest, FilePositionAndLseek) {
    RefPtr<File> f = open("/f", O_RDWR | O_CREAT).release_value();
    IoIter from = IoIter::kernel("0123456789", 10);
    ASSERT_EQ(vfs_write(*f, from).value(), 10u);
    EXPECT_EQ(vfs_llseek(*f, 0, SEEK_CUR).value(), 10);
    EXPECT_EQ(vfs_llseek(*f, 2, SEEK_SET).value(), 2);
    char buf[4] = {};
    IoIter to = IoIter::kernel(buf, 3);
    ASSERT_EQ(vfs_read(*f, to).value(), 3u);
    EXPECT_EQ(std::string(buf), "234");
    EXPECT_EQ(vfs_llseek(*f, -1, SEEK_CUR).value(), 4);
    EXPECT_EQ(vfs_llseek(*f, -3, SEEK_END).value(), 7);
    EXPECT_EQ(vfs_llseek(*f, 100, SEEK_END).value(), 110);  // past the end is allowed
    EXPECT_EQ(err(vfs_llseek(*f, -11, SEEK_END)), Errno::EINVAL);
    EXPECT_EQ(err(vfs_llseek(*f, -1, SEEK_SET)), Errno::EINVAL);
    EXPECT_EQ(err(vfs_llseek(*f, 0, 5)), Errno::EINVAL);
    EXPECT_EQ(err(vfs_llseek(*f, INT64_MAX, SEEK_END)), Errno::EINVAL);  // overflows
    EXPECT_EQ(f->pos, 110);  // failed seeks leave the position
    EXPECT_EQ(vfs_llseek(*f, 3, SEEK_DATA).value(), 3);
    EXPECT_EQ(vfs_llseek(*f, 3, SEEK_HOLE).value(), 10);
    EXPECT_EQ(err(vfs_llseek(*f, 10, SEEK_DATA)), Errno::ENXIO);
    // pread/pwrite leave the position alone.
    ASSERT_EQ(kernel_read(*f, buf, 2, 0).value(), 2u);
    EXPECT_EQ(f->pos, 10);
    EXPECT_EQ(err(kernel_read(*f, buf, 2, -1)), Errno::EINVAL);
}

TEST_F(ReadWriteTest, AppendWritesGoToTheEnd) {
    write_file("/log", "one\n");
    RefPtr<File> f = open("/log", O_WRONLY | O_APPEND).release_value();
    EXPECT_EQ(vfs_llseek(*f, 0, SEEK_SET).value(), 0);
    IoIter from = IoIter::kernel("two\n", 4);
    ASSERT_EQ(vfs_write(*f, from).value(), 4u);
    EXPECT_EQ(f->pos, 8);
    // Linux appends even with pwrite on an O_APPEND file.
    ASSERT_EQ(kernel_write(*f, "3\n", 2, 0).value(), 2u);
    EXPECT_EQ(read_file("/log"), "one\ntwo\n3\n");
}

TEST_F(ReadWriteTest, WrongDirectionAndDirectories) {
    write_file("/f", "x");
    RefPtr<File> ro = open("/f", O_RDONLY).release_value();
    RefPtr<File> wo = open("/f", O_WRONLY).release_value();
    char c;
    IoIter from = IoIter::kernel("y", 1);
    IoIter to = IoIter::kernel(&c, 1);
    EXPECT_EQ(err(vfs_write(*ro, from)), Errno::EBADF);
    EXPECT_EQ(err(vfs_read(*wo, to)), Errno::EBADF);
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    RefPtr<File> d = open("/d", O_RDONLY).release_value();
    EXPECT_EQ(err(vfs_read(*d, to)), Errno::EISDIR);
    // Zero-length transfers succeed without touching anything.
    IoIter empty = IoIter::kernel(&c, 0);
    EXPECT_EQ(vfs_read(*ro, empty).value(), 0u);
}

TEST_F(ReadWriteTest, TruncateShrinksAndGrows) {
    std::vector<uint8_t> data = pattern(3 * kPageSize, 1);
    RefPtr<File> f = open("/f", O_RDWR | O_CREAT).release_value();
    ASSERT_EQ(kernel_write(*f, data.data(), data.size(), 0).value(), data.size());
    uint64_t pages_before = nr_free_pages();
    ASSERT_EQ(err(vfs_ftruncate(*f, kPageSize + 100, cred)), Errno::OK);
    EXPECT_EQ(nr_free_pages(), pages_before + 1);  // the third page went back
    EXPECT_EQ(stat("/f").value().size, int64_t(kPageSize + 100));
    EXPECT_EQ(stat("/f").value().blocks, 2u * 8);
    // Growing again exposes zeros, not the old bytes.
    ASSERT_EQ(err(vfs_truncate(caller(), lookup("/f").value(), 3 * kPageSize)), Errno::OK);
    std::vector<uint8_t> back(3 * kPageSize);
    ASSERT_EQ(kernel_read(*f, back.data(), back.size(), 0).value(), back.size());
    EXPECT_EQ(0, memcmp(back.data(), data.data(), kPageSize + 100));
    for (size_t i = kPageSize + 100; i < back.size(); i++) ASSERT_EQ(back[i], 0) << i;
    ASSERT_EQ(err(vfs_ftruncate(*f, 0, cred)), Errno::OK);
    EXPECT_EQ(stat("/f").value().blocks, 0u);
    EXPECT_EQ(nr_free_pages(), pages_before + 3);
}

TEST_F(ReadWriteTest, TruncateErrors) {
    write_file("/f", "x");
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    RefPtr<File> ro = open("/f", O_RDONLY).release_value();
    EXPECT_EQ(err(vfs_ftruncate(*ro, 0, cred)), Errno::EINVAL);
    RefPtr<File> rw = open("/f", O_RDWR).release_value();
    EXPECT_EQ(err(vfs_ftruncate(*rw, -1, cred)), Errno::EINVAL);
    EXPECT_EQ(err(vfs_truncate(caller(), lookup("/d").value(), 0)), Errno::EISDIR);
    EXPECT_EQ(err(vfs_truncate(caller(), lookup("/f").value(), -5)), Errno::EINVAL);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_truncate(caller(), lookup("/f").value(), 0)), Errno::EACCES);
}

TEST_F(ReadWriteTest, WritesClearSetIdBitsForOrdinaryUsers) {
    ASSERT_EQ(mkdir("/pub"), Errno::OK);
    ASSERT_EQ(chmod("/pub", 0777), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    write_file("/pub/prog", "x");
    ASSERT_EQ(err(vfs_chmod(caller(), lookup("/pub/prog").value(), 06777)), Errno::OK);
    EXPECT_EQ(stat("/pub/prog").value().mode & 07777, 06777u);
    RefPtr<File> f = open("/pub/prog", O_WRONLY).release_value();
    ASSERT_EQ(kernel_write(*f, "y", 1, 0).value(), 1u);
    EXPECT_EQ(stat("/pub/prog").value().mode & 07777, 0777u);
}

TEST_F(ReadWriteTest, ScatterGatherIterators) {
    RefPtr<File> f = open("/f", O_RDWR | O_CREAT).release_value();
    char a[] = "Hello, ", b[] = "", c[] = "world";
    IoSegment out[] = {{uintptr_t(a), 7}, {uintptr_t(b), 0}, {uintptr_t(c), 5}};
    IoIter from = IoIter::kernel_vec(out, 3);
    ASSERT_EQ(vfs_write(*f, from).value(), 12u);
    char x[3] = {}, y[20] = {};
    IoSegment in[] = {{uintptr_t(x), 2}, {uintptr_t(y), 20}};
    IoIter to = IoIter::kernel_vec(in, 2);
    ASSERT_EQ(vfs_pread(*f, to, 0).value(), 12u);
    EXPECT_EQ(std::string(x), "He");
    EXPECT_EQ(std::string(y), "llo, world");
}

TEST_F(ReadWriteTest, SizeLimitGivesEnospcAfterAPartialWrite) {
    ASSERT_EQ(mkdir("/small"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "none", "/small", "tmpfs", 0, "size=8k")), Errno::OK);
    {
        Path small = lookup("/small").release_value();  // the new mount on top
        RefPtr<File> f = vfs_open(caller_at(small), "big", O_RDWR | O_CREAT, 0644).release_value();
        std::vector<uint8_t> data = pattern(3 * kPageSize, 3);
        EXPECT_EQ(kernel_write(*f, data.data(), data.size(), 0).value(), 2 * kPageSize);
        EXPECT_EQ(err(kernel_write(*f, data.data(), 10, 2 * kPageSize)), Errno::ENOSPC);
        LinuxStatfs sfs = vfs_statfs(small).value();
        EXPECT_EQ(sfs.f_blocks, 2u);
        EXPECT_EQ(sfs.f_bfree, 0u);
    }
    EXPECT_EQ(err(vfs_umount(caller(), "/small", 0)), Errno::OK);
}

}  // namespace
