// FsStruct (root, cwd, umask of a process) and IoIter (the source or destination of a transfer).
#include "vfs_fixture.hpp"

#include <fs/fs_struct.hpp>

namespace {

using FsStructTest = VfsTest;

TEST_F(FsStructTest, CopyIsIndependent) {
    ASSERT_EQ(mkdir("/home"), Errno::OK);
    RefPtr<FsStruct> fs = FsStruct::create(root, root, 0022).release_value();
    RefPtr<FsStruct> child = fs->copy().release_value();
    child->set_pwd(vfs_lookup_dir(caller(), "/home").value());
    EXPECT_EQ(child->set_umask(0777 | 07000), 022u);
    EXPECT_EQ(child->umask(), 0777u);
    EXPECT_EQ(fs->umask(), 022u);
    EXPECT_EQ(fs->pwd().inode(), root.inode());
    EXPECT_EQ(child->pwd().inode()->ino, stat("/home").value().ino);
    EXPECT_EQ(child->root().inode(), root.inode());
    // A relative lookup from the child's cwd.
    write_file("/home/f", "x");
    Path cwd = child->pwd();
    EXPECT_FALSE(path_lookup(caller_at(cwd), "f", 0).is_error());
}

TEST_F(FsStructTest, LookupDirNeedsSearchPermission) {
    ASSERT_EQ(mkdir("/private"), Errno::OK);
    ASSERT_EQ(chmod("/private", 0600), Errno::OK);
    write_file("/f", "x");
    EXPECT_EQ(err(vfs_lookup_dir(caller(), "/f")), Errno::ENOTDIR);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_lookup_dir(caller(), "/private")), Errno::EACCES);
}

TEST(IoIter, SegmentsCopyZeroAndAdvance) {
    char a[4] = {}, b[1] = {}, c[8] = {};
    IoSegment segs[] = {{uintptr_t(a), 4}, {uintptr_t(b), 0}, {uintptr_t(b), 1}, {uintptr_t(c), 8}};
    IoIter it = IoIter::kernel_vec(segs, 4);
    EXPECT_EQ(it.count(), 13u);
    EXPECT_EQ(it.copy_to("0123456", 6), 6u);
    EXPECT_EQ(std::string(a, 4), "0123");
    EXPECT_EQ(b[0], '4');
    EXPECT_EQ(c[0], '5');
    IoIter copy = it;  // an independent cursor
    it.advance(2);
    EXPECT_EQ(it.count(), 5u);
    EXPECT_EQ(it.zero(100), 5u);
    EXPECT_EQ(it.count(), 0u);
    EXPECT_EQ(c[2], 0);
    EXPECT_EQ(copy.count(), 7u);
    EXPECT_EQ(copy.copy_to("xyz", 3), 3u);
    EXPECT_EQ(std::string(c, 3), "5xy");
    copy.truncate(1);
    EXPECT_EQ(copy.count(), 1u);
    char out[3] = {};
    IoIter src = IoIter::kernel("abc", 3);
    EXPECT_EQ(src.copy_from(out, 10), 3u);
    EXPECT_EQ(std::string(out, 3), "abc");
}

}  // namespace
