// stat/statx/statfs records, chmod/chown/utimes/access rules, timestamps.
#include "vfs_fixture.hpp"

#include <time/timekeeping.hpp>

#include "../time/time_host_support.hpp"

namespace {

using StatTest = VfsTest;

TEST_F(StatTest, LinuxStatLayoutAndEncoding) {
    ASSERT_EQ(err(vfs_mknod(caller(), "/tty", S_IFCHR | 0620, MKDEV(4, 300))), Errno::OK);
    write_file("/f", std::string(5000, 'x'));
    Kstat k = stat("/tty").value();
    LinuxStat st;
    fill_linux_stat(k, st);
    EXPECT_EQ(st.st_mode, S_IFCHR | 0600u);
    // new_encode_dev: minor low byte | major << 8 | minor high bits << 12.
    EXPECT_EQ(st.st_rdev, 0x2cu | (4u << 8) | (0x100u << 12));
    EXPECT_EQ(st.st_dev, new_encode_dev(root.mnt->sb->dev));
    EXPECT_EQ(st.st_blksize, 4096);
    Kstat kf = stat("/f").value();
    fill_linux_stat(kf, st);
    EXPECT_EQ(st.st_size, 5000);
    EXPECT_EQ(st.st_blocks, 16);  // two pages in 512-byte units
    EXPECT_EQ(st.st_nlink, 1u);
    EXPECT_EQ(st.pad0, 0u);
    EXPECT_EQ(st.unused[0], 0);

    LinuxStatx sx;
    fill_linux_statx(k, STATX_BASIC_STATS, sx);
    EXPECT_EQ(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
    EXPECT_EQ(sx.stx_rdev_major, 4u);
    EXPECT_EQ(sx.stx_rdev_minor, 300u);
    EXPECT_EQ(sx.stx_mode, S_IFCHR | 0600);
    EXPECT_EQ(sx.stx_mnt_id, root.mnt->id);
    EXPECT_EQ(sx.stx_ino, k.ino);
}

TEST_F(StatTest, SymlinkFollowingAndEmptyPath) {
    write_file("/f", "x");
    ASSERT_EQ(symlink("f", "/s"), Errno::OK);
    EXPECT_TRUE(S_ISREG(stat("/s").value().mode));
    EXPECT_TRUE(S_ISLNK(lstat("/s").value().mode));
    EXPECT_EQ(err(stat("", 0)), Errno::ENOENT);
    EXPECT_EQ(stat("", AT_EMPTY_PATH).value().ino, root.inode()->ino);
    EXPECT_EQ(err(stat("/f", 0x4000)), Errno::EINVAL);
}

TEST_F(StatTest, Timestamps) {
    ensure_time_core();
    do_settimeofday64({1000, 0});
    write_file("/f", "x");
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    Kstat dir_before = stat("/d").value();
    EXPECT_EQ(dir_before.mtime.tv_sec, 1000);
    EXPECT_EQ(dir_before.btime.tv_sec, 1000);
    do_settimeofday64({2000, 0});
    write_file("/d/g", "y");
    // Creating a name changes the directory's mtime and ctime, not its birth time.
    Kstat dir_after = stat("/d").value();
    EXPECT_EQ(dir_after.mtime.tv_sec, 2000);
    EXPECT_EQ(dir_after.ctime.tv_sec, 2000);
    EXPECT_EQ(dir_after.btime.tv_sec, 1000);
    // Writing changes the file's mtime and ctime.
    do_settimeofday64({3000, 0});
    RefPtr<File> f = open("/f", O_WRONLY).release_value();
    ASSERT_EQ(kernel_write(*f, "z", 1, 0).value(), 1u);
    EXPECT_EQ(stat("/f").value().mtime.tv_sec, 3000);
    // Reading updates atime when it is not newer than mtime (relatime).
    do_settimeofday64({4000, 0});
    RefPtr<File> r = open("/f", O_RDONLY).release_value();
    char c;
    ASSERT_EQ(kernel_read(*r, &c, 1, 0).value(), 1u);
    EXPECT_EQ(stat("/f").value().atime.tv_sec, 4000);
    do_settimeofday64({5000, 0});
    ASSERT_EQ(kernel_read(*r, &c, 1, 0).value(), 1u);
    EXPECT_EQ(stat("/f").value().atime.tv_sec, 4000);  // already newer than the last change
    Timespec64 t{123456789, 42};
    ASSERT_EQ(err(vfs_utimes(caller(), lookup("/f").value(), &t, &t)), Errno::OK);
    Kstat after = stat("/f").value();
    EXPECT_EQ(after.mtime.tv_sec, 123456789);
    EXPECT_EQ(after.atime.tv_nsec, 42);
    EXPECT_EQ(after.ctime.tv_sec, 5000);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_utimes(caller(), lookup("/f").value(), &t, &t)), Errno::EPERM);
    EXPECT_EQ(err(vfs_utimes(caller(), lookup("/f").value(), nullptr, nullptr)), Errno::EACCES);
}

TEST_F(StatTest, Chmod) {
    write_file("/f", "x");
    Path f = lookup("/f").release_value();
    EXPECT_EQ(err(vfs_chmod(caller(), f, 04755 | S_IFDIR)), Errno::OK);  // type bits are ignored
    EXPECT_EQ(stat("/f").value().mode, S_IFREG | 04755);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_chmod(caller(), f, 0777)), Errno::EPERM);
    cred_set_ids(cred, 0, 0);
    ASSERT_EQ(err(vfs_chown(caller(), f, 1000, 50)), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    // The owner, but not in group 50: set-group-ID is dropped.
    EXPECT_EQ(err(vfs_chmod(caller(), f, 02755)), Errno::OK);
    EXPECT_EQ(stat("/f").value().mode & 07777, 0755u);
    cred.groups[0] = 50;
    cred.ngroups = 1;
    EXPECT_EQ(err(vfs_chmod(caller(), f, 02755)), Errno::OK);
    EXPECT_EQ(stat("/f").value().mode & 07777, 02755u);
}

TEST_F(StatTest, Chown) {
    write_file("/f", "x");
    Path f = lookup("/f").release_value();
    ASSERT_EQ(err(vfs_chmod(caller(), f, 06755)), Errno::OK);
    EXPECT_EQ(err(vfs_chown(caller(), f, 1000, 1000)), Errno::OK);
    Kstat st = stat("/f").value();
    EXPECT_EQ(st.uid, 1000u);
    EXPECT_EQ(st.gid, 1000u);
    EXPECT_EQ(st.mode & 07777, 0755u);  // set-id bits cleared even by root (group-executable)
    EXPECT_EQ(err(vfs_chown(caller(), f, uint32_t(-1), 7)), Errno::OK);
    EXPECT_EQ(stat("/f").value().uid, 1000u);
    EXPECT_EQ(stat("/f").value().gid, 7u);

    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_chown(caller(), f, 0, uint32_t(-1))), Errno::EPERM);        // giving away
    EXPECT_EQ(err(vfs_chown(caller(), f, 1000, uint32_t(-1))), Errno::OK);        // to oneself
    EXPECT_EQ(err(vfs_chown(caller(), f, uint32_t(-1), 1000)), Errno::OK);        // own group
    EXPECT_EQ(err(vfs_chown(caller(), f, uint32_t(-1), 5)), Errno::EPERM);        // not a member
    cred_set_ids(cred, 1001, 1001);
    EXPECT_EQ(err(vfs_chown(caller(), f, uint32_t(-1), 1001)), Errno::EPERM);     // not the owner
}

TEST_F(StatTest, Access) {
    write_file("/f", "x");
    ASSERT_EQ(chmod("/f", 0640), Errno::OK);
    ASSERT_EQ(err(vfs_chown(caller(), lookup("/f").value(), 1000, 50)), Errno::OK);
    write_file("/noexec", "x");
    ASSERT_EQ(chmod("/noexec", 0644), Errno::OK);
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK | W_OK, 0)), Errno::OK);  // root
    EXPECT_EQ(err(vfs_access(caller(), "/noexec", X_OK, 0)), Errno::EACCES);  // root needs some x bit
    EXPECT_EQ(err(vfs_access(caller(), "/", X_OK, 0)), Errno::OK);
    EXPECT_EQ(err(vfs_access(caller(), "/missing", F_OK, 0)), Errno::ENOENT);
    EXPECT_EQ(err(vfs_access(caller(), "/f", 8, 0)), Errno::EINVAL);

    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK | W_OK, 0)), Errno::OK);
    EXPECT_EQ(err(vfs_access(caller(), "/f", X_OK, 0)), Errno::EACCES);
    cred_set_ids(cred, 2000, 50);  // group
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK, 0)), Errno::OK);
    EXPECT_EQ(err(vfs_access(caller(), "/f", W_OK, 0)), Errno::EACCES);
    cred_set_ids(cred, 2000, 2000);  // other
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK, 0)), Errno::EACCES);
    EXPECT_EQ(err(vfs_access(caller(), "/f", F_OK, 0)), Errno::OK);
    // access() checks the real ids, AT_EACCESS the effective ones.
    cred_set_ids(cred, 1000, 1000);
    cred.uid = 2000;
    cred.gid = 2000;
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK, 0)), Errno::EACCES);
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK, AT_EACCESS)), Errno::OK);
    // The owner's bits apply to the owner even when "other" would allow more.
    cred_set_ids(cred, 0, 0);
    ASSERT_EQ(chmod("/f", 0007), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_access(caller(), "/f", R_OK, 0)), Errno::EACCES);
}

TEST_F(StatTest, Statfs) {
    LinuxStatfs sfs = vfs_statfs(root).value();
    EXPECT_EQ(uint64_t(sfs.f_type), TMPFS_MAGIC);
    EXPECT_EQ(sfs.f_bsize, 4096);
    EXPECT_EQ(sfs.f_namelen, 255);
    EXPECT_EQ(sfs.f_flags & ST_VALID, ST_VALID);
    EXPECT_EQ(sfs.f_blocks, totalram_pages() / 2);
    uint64_t free_before = sfs.f_bfree;
    write_file("/f", std::string(3 * 4096, 'x'));
    EXPECT_EQ(vfs_statfs(root).value().f_bfree, free_before - 3);
    EXPECT_LT(vfs_statfs(root).value().f_ffree, sfs.f_ffree);
}

}  // namespace
