// mkdir, rmdir, unlink, link, symlink, readlink, mknod: success paths and every errno.
#include "vfs_fixture.hpp"

namespace {

using DirOpsTest = VfsTest;

TEST_F(DirOpsTest, Mkdir) {
    EXPECT_EQ(mkdir("/d", 0777), Errno::OK);
    Kstat st = stat("/d").value();
    EXPECT_EQ(st.mode, S_IFDIR | 0755);  // umask 022
    EXPECT_EQ(st.nlink, 2u);
    EXPECT_EQ(stat("/").value().nlink, 3u);
    EXPECT_EQ(mkdir("/d"), Errno::EEXIST);
    EXPECT_EQ(mkdir("/d/"), Errno::EEXIST);
    EXPECT_EQ(mkdir("/e/"), Errno::OK);        // a trailing slash is fine for a directory
    EXPECT_EQ(mkdir("/"), Errno::EEXIST);
    EXPECT_EQ(mkdir("/d/."), Errno::EEXIST);
    EXPECT_EQ(mkdir("/d/.."), Errno::EEXIST);
    EXPECT_EQ(mkdir("/missing/x"), Errno::ENOENT);
    write_file("/f", "x");
    EXPECT_EQ(mkdir("/f"), Errno::EEXIST);
    EXPECT_EQ(mkdir("/f/x"), Errno::ENOTDIR);
    EXPECT_EQ(mkdir("/sticky", 01777), Errno::OK);
    EXPECT_EQ(stat("/sticky").value().mode, S_IFDIR | 01755);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(mkdir("/nope"), Errno::EACCES);
}

TEST_F(DirOpsTest, SetGroupIdDirectoriesPassTheirGroupOn) {
    ASSERT_EQ(mkdir("/shared"), Errno::OK);
    ASSERT_EQ(err(vfs_chown(caller(), lookup("/shared").value(), 0, 50)), Errno::OK);
    ASSERT_EQ(chmod("/shared", 02777), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    ASSERT_EQ(mkdir("/shared/sub"), Errno::OK);
    write_file("/shared/file", "x");
    EXPECT_EQ(stat("/shared/sub").value().gid, 50u);
    EXPECT_TRUE(stat("/shared/sub").value().mode & S_ISGID);
    EXPECT_EQ(stat("/shared/file").value().gid, 50u);
    EXPECT_FALSE(stat("/shared/file").value().mode & S_ISGID);
}

TEST_F(DirOpsTest, Rmdir) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(mkdir("/d/sub"), Errno::OK);
    write_file("/f", "x");
    EXPECT_EQ(rmdir("/d"), Errno::ENOTEMPTY);
    EXPECT_EQ(rmdir("/d/sub/."), Errno::EINVAL);
    EXPECT_EQ(rmdir("/d/sub/.."), Errno::ENOTEMPTY);
    EXPECT_EQ(rmdir("/"), Errno::EBUSY);
    EXPECT_EQ(rmdir("/f"), Errno::ENOTDIR);
    EXPECT_EQ(rmdir("/f/"), Errno::ENOTDIR);
    EXPECT_EQ(rmdir("/missing"), Errno::ENOENT);
    EXPECT_EQ(stat("/d").value().nlink, 3u);
    EXPECT_EQ(rmdir("/d/sub/"), Errno::OK);
    EXPECT_EQ(stat("/d").value().nlink, 2u);
    EXPECT_EQ(rmdir("/d"), Errno::OK);
    EXPECT_EQ(err(stat("/d")), Errno::ENOENT);
    EXPECT_EQ(stat("/").value().nlink, 2u);
}

TEST_F(DirOpsTest, RemovedDirectoryStaysUsableButEmpty) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    Path d = lookup("/d").release_value();
    ASSERT_EQ(rmdir("/d"), Errno::OK);
    EXPECT_EQ(d.inode()->nlink, 0u);
    // Like a process whose cwd was removed: nothing can be created or found there.
    EXPECT_EQ(err(vfs_mkdir(caller_at(d), "x", 0755)), Errno::ENOENT);
    EXPECT_EQ(err(vfs_open(caller_at(d), "f", O_CREAT | O_WRONLY, 0644)), Errno::ENOENT);
    EXPECT_EQ(err(path_lookup(caller_at(d), "x", 0)), Errno::ENOENT);
    EXPECT_EQ(err(path_lookup(caller_at(d), "..", 0)), Errno::OK);
}

TEST_F(DirOpsTest, Unlink) {
    write_file("/f", "data");
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    EXPECT_EQ(unlink("/d"), Errno::EISDIR);
    EXPECT_EQ(unlink("/d/"), Errno::EISDIR);
    EXPECT_EQ(unlink("/f/"), Errno::ENOTDIR);
    EXPECT_EQ(unlink("/missing"), Errno::ENOENT);
    EXPECT_EQ(unlink("/missing/"), Errno::ENOENT);
    EXPECT_EQ(unlink("/"), Errno::EISDIR);
    EXPECT_EQ(unlink("/d/.."), Errno::EISDIR);
    // An open file outlives its name.
    Result<RefPtr<File>> f = open("/f", O_RDWR);
    ASSERT_FALSE(f.is_error());
    EXPECT_EQ(unlink("/f"), Errno::OK);
    EXPECT_EQ(err(stat("/f")), Errno::ENOENT);
    EXPECT_EQ(f.value()->inode->nlink, 0u);
    char buf[8] = {};
    EXPECT_EQ(kernel_read(*f.value(), buf, 8, 0).value(), 4u);
    EXPECT_EQ(std::string(buf), "data");
    // The name can be reused at once.
    write_file("/f", "new");
    EXPECT_EQ(read_file("/f"), "new");
}

TEST_F(DirOpsTest, StickyDirectories) {
    ASSERT_EQ(mkdir("/tmp"), Errno::OK);
    ASSERT_EQ(chmod("/tmp", 01777), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    write_file("/tmp/alice", "x");
    cred_set_ids(cred, 1001, 1001);
    EXPECT_EQ(unlink("/tmp/alice"), Errno::EPERM);
    EXPECT_EQ(rename("/tmp/alice", "/tmp/bob"), Errno::EPERM);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(unlink("/tmp/alice"), Errno::OK);
}

TEST_F(DirOpsTest, HardLinks) {
    write_file("/f", "shared");
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    EXPECT_EQ(link("/f", "/d/g"), Errno::OK);
    EXPECT_EQ(stat("/f").value().nlink, 2u);
    EXPECT_EQ(stat("/f").value().ino, stat("/d/g").value().ino);
    EXPECT_EQ(link("/f", "/d/g"), Errno::EEXIST);
    EXPECT_EQ(link("/missing", "/x"), Errno::ENOENT);
    EXPECT_EQ(link("/d", "/dirlink"), Errno::EPERM);
    EXPECT_EQ(link("/f", "/missing/x"), Errno::ENOENT);
    EXPECT_EQ(link("/f", "/newname/"), Errno::ENOENT);
    EXPECT_EQ(link("/f", "/d/."), Errno::EEXIST);
    EXPECT_EQ(unlink("/f"), Errno::OK);
    EXPECT_EQ(stat("/d/g").value().nlink, 1u);
    EXPECT_EQ(read_file("/d/g"), "shared");
    // A symlink is linked itself unless AT_SYMLINK_FOLLOW.
    ASSERT_EQ(symlink("/d/g", "/s"), Errno::OK);
    EXPECT_EQ(link("/s", "/s2"), Errno::OK);
    EXPECT_TRUE(S_ISLNK(lstat("/s2").value().mode));
    EXPECT_EQ(link("/s", "/g2", AT_SYMLINK_FOLLOW), Errno::OK);
    EXPECT_EQ(stat("/d/g").value().nlink, 2u);
    EXPECT_EQ(link("/s", "/g3", 0x1), Errno::EINVAL);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(link("/d/g", "/mine"), Errno::EACCES);
}

TEST_F(DirOpsTest, SymlinkAndReadlink) {
    EXPECT_EQ(symlink("some/target", "/s"), Errno::OK);
    EXPECT_EQ(readlink("/s"), "some/target");
    Kstat st = lstat("/s").value();
    EXPECT_EQ(st.mode, S_IFLNK | 0777);
    EXPECT_EQ(st.size, 11);
    EXPECT_EQ(symlink("x", "/s"), Errno::EEXIST);
    EXPECT_EQ(symlink("", "/empty"), Errno::ENOENT);
    EXPECT_EQ(symlink(std::string(PATH_MAX, 'x').c_str(), "/long"), Errno::ENAMETOOLONG);
    EXPECT_EQ(symlink("x", "/new/"), Errno::ENOENT);
    EXPECT_EQ(symlink("x", "/missing/s"), Errno::ENOENT);
    write_file("/f", "x");
    EXPECT_EQ(readlink("/f"), "<EINVAL>");
    EXPECT_EQ(readlink("/missing"), "<ENOENT>");
    char small[4];
    EXPECT_EQ(vfs_readlink(caller(), "/s", small, 4).value(), 4u);
    EXPECT_EQ(std::string(small, 4), "some");
    EXPECT_EQ(err(vfs_readlink(caller(), "/s", small, 0)), Errno::EINVAL);
}

TEST_F(DirOpsTest, Mknod) {
    EXPECT_EQ(err(vfs_mknod(caller(), "/c", S_IFCHR | 0620, MKDEV(4, 64))), Errno::OK);
    Kstat st = stat("/c").value();
    EXPECT_EQ(st.mode, S_IFCHR | 0600);  // umask 022
    EXPECT_EQ(st.rdev, MKDEV(4, 64));
    EXPECT_EQ(err(vfs_mknod(caller(), "/r", 0644, 0)), Errno::OK);  // type 0: a regular file
    EXPECT_TRUE(S_ISREG(stat("/r").value().mode));
    EXPECT_EQ(err(vfs_mknod(caller(), "/d", S_IFDIR | 0755, 0)), Errno::EPERM);
    EXPECT_EQ(err(vfs_mknod(caller(), "/bad", 0170000 | 0644, 0)), Errno::EINVAL);
    EXPECT_EQ(err(vfs_mknod(caller(), "/c", S_IFCHR | 0644, 0)), Errno::EEXIST);
    ASSERT_EQ(mkdir("/open"), Errno::OK);
    ASSERT_EQ(chmod("/open", 0777), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_mknod(caller(), "/open/c", S_IFCHR | 0644, MKDEV(1, 3))), Errno::EPERM);
    EXPECT_EQ(err(vfs_mknod(caller(), "/open/fifo", S_IFIFO | 0644, 0)), Errno::OK);
}

}  // namespace
