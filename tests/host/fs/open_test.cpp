// open(2): creation, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_PATH, access modes, umask.
#include "vfs_fixture.hpp"

namespace {

using OpenTest = VfsTest;

TEST_F(OpenTest, CreateAppliesUmaskAndOwner) {
    ASSERT_EQ(mkdir("/tmp"), Errno::OK);
    ASSERT_EQ(chmod("/tmp", 01777), Errno::OK);
    cred_set_ids(cred, 1000, 100);
    umask = 027;
    ASSERT_EQ(open_err("/tmp/new", O_WRONLY | O_CREAT, 0666), Errno::OK);
    Kstat st = stat("/tmp/new").value();
    EXPECT_EQ(st.mode, S_IFREG | 0640);
    EXPECT_EQ(st.uid, 1000u);
    EXPECT_EQ(st.gid, 100u);
    EXPECT_EQ(st.nlink, 1u);
    EXPECT_EQ(st.size, 0);
}

TEST_F(OpenTest, MissingWithoutCreate) {
    EXPECT_EQ(open_err("/nope", O_RDONLY), Errno::ENOENT);
    EXPECT_EQ(open_err("/nope/x", O_RDONLY | O_CREAT), Errno::ENOENT);
    write_file("/f", "x");
    EXPECT_EQ(open_err("/f/x", O_RDONLY | O_CREAT), Errno::ENOTDIR);
}

TEST_F(OpenTest, ExclusiveCreate) {
    EXPECT_EQ(open_err("/f", O_WRONLY | O_CREAT | O_EXCL), Errno::OK);
    EXPECT_EQ(open_err("/f", O_WRONLY | O_CREAT | O_EXCL), Errno::EEXIST);
    EXPECT_EQ(open_err("/f", O_WRONLY | O_CREAT), Errno::OK);
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    EXPECT_EQ(open_err("/d", O_RDONLY | O_CREAT | O_EXCL), Errno::EEXIST);  // EEXIST before EISDIR
    // O_EXCL does not follow symlinks, even dangling ones.
    ASSERT_EQ(symlink("/nowhere", "/dangling"), Errno::OK);
    EXPECT_EQ(open_err("/dangling", O_WRONLY | O_CREAT | O_EXCL), Errno::EEXIST);
    EXPECT_EQ(err(stat("/nowhere")), Errno::ENOENT);
}

TEST_F(OpenTest, CreateThroughADanglingSymlink) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(symlink("d/target", "/link"), Errno::OK);
    EXPECT_EQ(open_err("/link", O_WRONLY | O_CREAT), Errno::OK);
    EXPECT_EQ(err(stat("/d/target")), Errno::OK);
    EXPECT_TRUE(S_ISLNK(lstat("/link").value().mode));
}

TEST_F(OpenTest, DirectoriesAndTrailingSlashes) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    write_file("/f", "x");
    EXPECT_EQ(open_err("/d", O_RDONLY), Errno::OK);
    EXPECT_EQ(open_err("/d", O_WRONLY), Errno::EISDIR);
    EXPECT_EQ(open_err("/d", O_RDWR), Errno::EISDIR);
    EXPECT_EQ(open_err("/d", O_RDONLY | O_TRUNC), Errno::EISDIR);  // O_TRUNC asks for write permission
    EXPECT_EQ(open_err("/d", O_RDONLY | O_CREAT), Errno::EISDIR);
    EXPECT_EQ(open_err(".", O_RDONLY | O_CREAT), Errno::EISDIR);
    EXPECT_EQ(open_err("/d/", O_RDONLY), Errno::OK);
    EXPECT_EQ(open_err("/f/", O_RDONLY), Errno::ENOTDIR);
    EXPECT_EQ(open_err("/new/", O_RDONLY | O_CREAT), Errno::EISDIR);
    EXPECT_EQ(open_err("/f/", O_RDONLY | O_CREAT), Errno::EISDIR);
    EXPECT_EQ(open_err("/f", O_RDONLY | O_DIRECTORY), Errno::ENOTDIR);
    EXPECT_EQ(open_err("/d", O_RDONLY | O_DIRECTORY), Errno::OK);
    EXPECT_EQ(open_err("/d", O_RDONLY | O_DIRECTORY | O_CREAT), Errno::EINVAL);
    EXPECT_EQ(open_err("/", O_RDONLY | O_DIRECTORY), Errno::OK);
}

TEST_F(OpenTest, NoFollow) {
    write_file("/f", "x");
    ASSERT_EQ(symlink("f", "/link"), Errno::OK);
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(symlink("d", "/dlink"), Errno::OK);
    EXPECT_EQ(open_err("/link", O_RDONLY), Errno::OK);
    EXPECT_EQ(open_err("/link", O_RDONLY | O_NOFOLLOW), Errno::ELOOP);
    EXPECT_EQ(open_err("/link", O_WRONLY | O_CREAT | O_NOFOLLOW), Errno::ELOOP);
    // Only the last component is affected, and a trailing slash still follows.
    EXPECT_EQ(open_err("/dlink/", O_RDONLY | O_NOFOLLOW), Errno::OK);
    ASSERT_EQ(symlink("../f", "/d/up"), Errno::OK);
    EXPECT_EQ(open_err("/dlink/up", O_RDONLY), Errno::OK);
}

TEST_F(OpenTest, PathOnlyOpens) {
    ASSERT_EQ(symlink("/missing", "/dangling"), Errno::OK);
    Result<RefPtr<File>> f = open("/dangling", O_PATH | O_NOFOLLOW);
    ASSERT_FALSE(f.is_error());
    EXPECT_TRUE(f.value()->inode->is_symlink());
    char c;
    IoIter to = IoIter::kernel(&c, 1);
    EXPECT_EQ(err(vfs_read(*f.value(), to)), Errno::EBADF);
    EXPECT_EQ(err(vfs_llseek(*f.value(), 0, SEEK_SET)), Errno::EBADF);
    // O_PATH needs no read permission.
    write_file("/secret", "x");
    ASSERT_EQ(chmod("/secret", 0), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(open_err("/secret", O_PATH), Errno::OK);
    EXPECT_EQ(open_err("/secret", O_RDONLY), Errno::EACCES);
}

TEST_F(OpenTest, TruncateOnOpen) {
    write_file("/f", "hello");
    EXPECT_EQ(open_err("/f", O_RDONLY | O_TRUNC), Errno::OK);  // Linux truncates even read-only opens
    EXPECT_EQ(stat("/f").value().size, 0);
    write_file("/f", "hello");
    EXPECT_EQ(open_err("/f", O_WRONLY), Errno::OK);
    EXPECT_EQ(stat("/f").value().size, 5);
}

TEST_F(OpenTest, AccessModesAndPermissions) {
    write_file("/ro", "x");
    write_file("/wo", "x");
    write_file("/none", "x");
    ASSERT_EQ(chmod("/ro", 0444), Errno::OK);
    ASSERT_EQ(chmod("/wo", 0222), Errno::OK);
    ASSERT_EQ(chmod("/none", 0), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(open_err("/ro", O_RDONLY), Errno::OK);
    EXPECT_EQ(open_err("/ro", O_WRONLY), Errno::EACCES);
    EXPECT_EQ(open_err("/ro", O_RDONLY | O_TRUNC), Errno::EACCES);
    EXPECT_EQ(open_err("/wo", O_WRONLY), Errno::OK);
    EXPECT_EQ(open_err("/wo", O_RDWR), Errno::EACCES);
    EXPECT_EQ(open_err("/none", O_RDONLY), Errno::EACCES);
    EXPECT_EQ(open_err("/newfile", O_WRONLY | O_CREAT), Errno::EACCES);  // "/" is 0755 root's
    EXPECT_EQ(open_err("/ro", O_RDONLY | O_NOATIME), Errno::EPERM);     // not the owner
    // A file created with mode 0 can still be written by the open that created it.
    cred_set_ids(cred, 0, 0);
    ASSERT_EQ(mkdir("/home"), Errno::OK);
    ASSERT_EQ(chmod("/home", 0777), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    Result<RefPtr<File>> f = open("/home/mine", O_RDWR | O_CREAT, 0);
    ASSERT_FALSE(f.is_error());
    EXPECT_EQ(err(kernel_write(*f.value(), "abc", 3, 0)), Errno::OK);
    EXPECT_EQ(open_err("/home/mine", O_RDONLY), Errno::EACCES);
    // Root reads and writes anything.
    cred_set_ids(cred, 0, 0);
    EXPECT_EQ(open_err("/none", O_RDWR), Errno::OK);
}

TEST_F(OpenTest, FlagsKeptOnTheFile) {
    Result<RefPtr<File>> f = open("/f", O_RDWR | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_TRUNC);
    ASSERT_FALSE(f.is_error());
    EXPECT_EQ(f.value()->flags, unsigned(O_RDWR | O_APPEND | O_NONBLOCK));
    EXPECT_TRUE(f.value()->readable());
    EXPECT_TRUE(f.value()->writable());
    EXPECT_EQ(open_err("/f", O_TMPFILE | O_RDWR), Errno::EOPNOTSUPP);
}

TEST_F(OpenTest, SpecialFiles) {
    ASSERT_EQ(err(vfs_mknod(caller(), "/fifo", S_IFIFO | 0644, 0)), Errno::OK);
    ASSERT_EQ(err(vfs_mknod(caller(), "/sock", S_IFSOCK | 0644, 0)), Errno::OK);
    ASSERT_EQ(err(vfs_mknod(caller(), "/blk", S_IFBLK | 0644, MKDEV(8, 0))), Errno::OK);
    ASSERT_EQ(err(vfs_mknod(caller(), "/chr", S_IFCHR | 0644, MKDEV(250, 0))), Errno::OK);
    EXPECT_EQ(open_err("/sock", O_RDONLY), Errno::ENXIO);
    EXPECT_EQ(open_err("/blk", O_RDONLY), Errno::ENXIO);
    EXPECT_EQ(open_err("/chr", O_RDONLY), Errno::ENXIO);
    EXPECT_EQ(open_err("/fifo", O_RDWR), Errno::OK);  // FIFOs open as pipes (pipe_test.cpp)
}

}  // namespace
