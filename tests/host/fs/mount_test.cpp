// Mounts: crossing in both directions, bind mounts, EXDEV, EBUSY, read-only, lazy detach.
#include "vfs_fixture.hpp"

namespace {

using MountTest = VfsTest;

TEST_F(MountTest, CrossingMountPointsBothWays) {
    ASSERT_EQ(mkdir("/mnt"), Errno::OK);
    write_file("/mnt/hidden", "under");
    ASSERT_EQ(err(vfs_mount(caller(), "none", "/mnt", "tmpfs", 0, "mode=0700")), Errno::OK);
    EXPECT_EQ(err(stat("/mnt/hidden")), Errno::ENOENT);  // covered
    Kstat top = stat("/mnt").value();
    EXPECT_EQ(top.mode, S_IFDIR | 0700);
    EXPECT_NE(top.dev, stat("/").value().dev);
    write_file("/mnt/new", "over");
    EXPECT_EQ(read_file("/mnt/new"), "over");
    // ".." from the mounted root leaves through the mount point.
    EXPECT_EQ(lookup("/mnt/..").value().inode()->ino, root.inode()->ino);
    EXPECT_EQ(lookup("/mnt/../mnt/new").value().inode()->ino, stat("/mnt/new").value().ino);
    Path inside = lookup("/mnt").release_value();
    EXPECT_EQ(path_lookup(caller_at(inside), "..", 0).value().mnt.get(), root.mnt.get());
    inside = Path{};
    // rmdir and rename of a mount point are EBUSY, moving across the mount is EXDEV.
    EXPECT_EQ(rmdir("/mnt"), Errno::EBUSY);
    EXPECT_EQ(rename("/mnt", "/elsewhere"), Errno::EBUSY);
    write_file("/outside", "x");
    EXPECT_EQ(rename("/outside", "/mnt/inside"), Errno::EXDEV);
    EXPECT_EQ(link("/outside", "/mnt/inside"), Errno::EXDEV);
    EXPECT_EQ(err(vfs_umount(caller(), "/mnt", 0)), Errno::OK);
    EXPECT_EQ(read_file("/mnt/hidden"), "under");
}

TEST_F(MountTest, StackedMountsAndUmountOrder) {
    ASSERT_EQ(mkdir("/m"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "one", "/m", "tmpfs", 0, nullptr)), Errno::OK);
    write_file("/m/one", "1");
    ASSERT_EQ(err(vfs_mount(caller(), "two", "/m", "tmpfs", 0, nullptr)), Errno::OK);
    EXPECT_EQ(err(stat("/m/one")), Errno::ENOENT);  // the second covers the first
    ASSERT_EQ(mkdir("/m/sub"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "three", "/m/sub", "tmpfs", 0, nullptr)), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::EBUSY);  // has a child mount
    EXPECT_EQ(err(vfs_umount(caller(), "/m/sub", 0)), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::OK);
    EXPECT_EQ(read_file("/m/one"), "1");
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::EINVAL);  // not a mount any more
}

TEST_F(MountTest, UmountErrors) {
    ASSERT_EQ(mkdir("/m"), Errno::OK);
    ASSERT_EQ(mkdir("/m/d"), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::EINVAL);
    EXPECT_EQ(err(vfs_umount(caller(), "/missing", 0)), Errno::ENOENT);
    EXPECT_EQ(err(vfs_umount(caller(), "/", 0)), Errno::EINVAL);  // the name-space root
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0x100)), Errno::EINVAL);
    ASSERT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0, nullptr)), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", MNT_EXPIRE | MNT_DETACH)), Errno::EINVAL);
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::EPERM);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0, nullptr)), Errno::EPERM);
    cred_set_ids(cred, 0, 0);
    // Busy while a file is open or a directory in it is someone's working directory.
    {
        write_file("/m/f", "x");
        RefPtr<File> f = open("/m/f", O_RDONLY).release_value();
        EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::EBUSY);
    }
    {
        Path cwd = lookup("/m").release_value();
        EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::EBUSY);
    }
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::OK);
}

TEST_F(MountTest, LazyDetachKeepsOpenFilesWorking) {
    ASSERT_EQ(mkdir("/m"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0, nullptr)), Errno::OK);
    write_file("/m/f", "still here");
    RefPtr<File> f = open("/m/f", O_RDONLY).release_value();
    EXPECT_EQ(err(vfs_umount(caller(), "/m", MNT_DETACH)), Errno::OK);
    EXPECT_EQ(err(stat("/m/f")), Errno::ENOENT);
    char buf[16] = {};
    EXPECT_EQ(kernel_read(*f, buf, sizeof(buf), 0).value(), 10u);
    EXPECT_EQ(std::string(buf), "still here");
    // ".." inside the detached tree stays inside it.
    Path detached_root = path_dotdot(f->path, root);
    EXPECT_EQ(detached_root.mnt.get(), f->path.mnt.get());
}

TEST_F(MountTest, BindMounts) {
    ASSERT_EQ(mkdir("/src"), Errno::OK);
    write_file("/src/f", "bound");
    ASSERT_EQ(mkdir("/dst"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "/src", "/dst", nullptr, MS_BIND, nullptr)), Errno::OK);
    EXPECT_EQ(read_file("/dst/f"), "bound");
    EXPECT_EQ(stat("/dst/f").value().ino, stat("/src/f").value().ino);
    // Same super block, different mounts: rename between them is still EXDEV.
    EXPECT_EQ(rename("/src/f", "/dst/g"), Errno::EXDEV);
    EXPECT_EQ(err(vfs_umount(caller(), "/dst", 0)), Errno::OK);
    EXPECT_EQ(err(stat("/dst/f")), Errno::ENOENT);
}

TEST_F(MountTest, ReadOnlyMounts) {
    ASSERT_EQ(mkdir("/ro"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "x", "/ro", "tmpfs", 0, nullptr)), Errno::OK);
    write_file("/ro/f", "x");
    ASSERT_EQ(err(vfs_mount(caller(), nullptr, "/ro", nullptr, MS_REMOUNT | MS_RDONLY, nullptr)), Errno::OK);
    EXPECT_EQ(open_err("/ro/f", O_WRONLY), Errno::EROFS);
    EXPECT_EQ(open_err("/ro/new", O_WRONLY | O_CREAT), Errno::EROFS);
    EXPECT_EQ(open_err("/ro/f", O_RDONLY | O_CREAT), Errno::OK);  // exists: nothing to create
    EXPECT_EQ(open_err("/ro/f", O_RDONLY), Errno::OK);
    EXPECT_EQ(mkdir("/ro/d"), Errno::EROFS);
    EXPECT_EQ(mkdir("/ro/f"), Errno::EEXIST);  // EEXIST before EROFS
    EXPECT_EQ(unlink("/ro/f"), Errno::EROFS);
    EXPECT_EQ(err(vfs_chmod(caller(), lookup("/ro/f").value(), 0600)), Errno::EROFS);
    EXPECT_EQ(err(vfs_access(caller(), "/ro/f", W_OK, 0)), Errno::EROFS);
    EXPECT_EQ(vfs_statfs(lookup("/ro").value()).value().f_flags & ST_RDONLY, ST_RDONLY);
    ASSERT_EQ(err(vfs_mount(caller(), nullptr, "/ro", nullptr, MS_REMOUNT, nullptr)), Errno::OK);
    EXPECT_EQ(unlink("/ro/f"), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/ro", 0)), Errno::OK);
}

TEST_F(MountTest, MountErrors) {
    write_file("/f", "x");
    ASSERT_EQ(mkdir("/m"), Errno::OK);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/m", "nosuchfs", 0, nullptr)), Errno::ENODEV);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/f", "tmpfs", 0, nullptr)), Errno::ENOTDIR);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/missing", "tmpfs", 0, nullptr)), Errno::ENOENT);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0, "bogus=1")), Errno::EINVAL);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0, "size=12q")), Errno::EINVAL);
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0, "mode=999")), Errno::EINVAL);
    // Old callers' magic in the flags is ignored.
    EXPECT_EQ(err(vfs_mount(caller(), "x", "/m", "tmpfs", 0xc0ed0000, "size=1m,nr_inodes=10,uid=5,gid=6")), Errno::OK);
    Kstat st = stat("/m").value();
    EXPECT_EQ(st.uid, 5u);
    EXPECT_EQ(st.gid, 6u);
    LinuxStatfs sfs = vfs_statfs(lookup("/m").value()).value();
    EXPECT_EQ(sfs.f_blocks, 256u);
    EXPECT_EQ(sfs.f_files, 10u);
    // nr_inodes=10: the root and 9 more.
    for (int i = 0; i < 9; i++) ASSERT_EQ(mkdir(("/m/d" + std::to_string(i)).c_str()), Errno::OK);
    EXPECT_EQ(mkdir("/m/one-too-many"), Errno::ENOSPC);
    for (int i = 0; i < 9; i++) ASSERT_EQ(rmdir(("/m/d" + std::to_string(i)).c_str()), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/m", 0)), Errno::OK);
}

}  // namespace
