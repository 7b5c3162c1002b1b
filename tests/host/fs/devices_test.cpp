// The memory devices through device nodes, the character-device registry, and devtmpfs.
#include "vfs_fixture.hpp"

#include <fs/chrdev.hpp>
#include <fs/devices/mem.hpp>
#include <fs/devtmpfs.hpp>

#include <set>
#include <vector>

namespace {

class DevicesTest : public VfsTest {
protected:
    void SetUp() override {
        VfsTest::SetUp();
        static bool registered = false;
        if (!registered) {
            ASSERT_EQ(err(chr_dev_init()), Errno::OK);
            ASSERT_EQ(err(register_filesystem(&devtmpfs_fs_type)), Errno::OK);
            registered = true;
        }
        ASSERT_EQ(err(devtmpfs_setup(caller(), "/dev")), Errno::OK);
    }
};

TEST_F(DevicesTest, NodesHaveLinuxNumbers) {
    struct {
        const char* path;
        uint32_t minor;
    } nodes[] = {{"/dev/null", 3}, {"/dev/zero", 5}, {"/dev/full", 7}, {"/dev/random", 8}, {"/dev/urandom", 9}};
    for (auto n : nodes) {
        Kstat st = stat(n.path).value();
        EXPECT_EQ(st.mode, S_IFCHR | 0666) << n.path;
        EXPECT_EQ(st.rdev, MKDEV(1, n.minor)) << n.path;
    }
    // Populating again leaves existing nodes alone.
    EXPECT_EQ(err(devtmpfs_setup(caller(), "/dev")), Errno::OK);
    EXPECT_EQ(err(devtmpfs_register_node("null", S_IFCHR | 0666, MKDEV(1, 3))), Errno::EEXIST);
    EXPECT_EQ(err(devtmpfs_register_node("a/b", S_IFCHR | 0666, MKDEV(1, 3))), Errno::EINVAL);
}

TEST_F(DevicesTest, DevNull) {
    RefPtr<File> f = open("/dev/null", O_RDWR).release_value();
    char buf[16];
    IoIter to = IoIter::kernel(buf, sizeof(buf));
    EXPECT_EQ(vfs_read(*f, to).value(), 0u);
    IoIter from = IoIter::kernel("discard me", 10);
    EXPECT_EQ(vfs_write(*f, from).value(), 10u);
    EXPECT_EQ(vfs_llseek(*f, 100, SEEK_SET).value(), 0);  // every seek lands at 0
    EXPECT_EQ(kernel_read(*f, buf, 16, 5).value(), 0u);
}

TEST_F(DevicesTest, DevZero) {
    RefPtr<File> f = open("/dev/zero", O_RDWR).release_value();
    std::vector<uint8_t> buf(10000, 0xaa);
    IoIter to = IoIter::kernel(buf.data(), buf.size());
    EXPECT_EQ(vfs_read(*f, to).value(), buf.size());
    for (uint8_t c : buf) ASSERT_EQ(c, 0);
    IoIter from = IoIter::kernel(buf.data(), 123);
    EXPECT_EQ(vfs_write(*f, from).value(), 123u);
}

TEST_F(DevicesTest, DevFull) {
    RefPtr<File> f = open("/dev/full", O_RDWR).release_value();
    char buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    IoIter to = IoIter::kernel(buf, sizeof(buf));
    EXPECT_EQ(vfs_read(*f, to).value(), 8u);
    EXPECT_EQ(buf[7], 0);
    IoIter from = IoIter::kernel("x", 1);
    EXPECT_EQ(err(vfs_write(*f, from)), Errno::ENOSPC);
}

TEST_F(DevicesTest, RandomDevices) {
    for (const char* path : {"/dev/urandom", "/dev/random"}) {
        RefPtr<File> f = open(path, O_RDWR).release_value();
        std::vector<uint8_t> a(4096), b(4096);
        IoIter ta = IoIter::kernel(a.data(), a.size());
        IoIter tb = IoIter::kernel(b.data(), b.size());
        ASSERT_EQ(vfs_read(*f, ta).value(), a.size()) << path;
        ASSERT_EQ(vfs_read(*f, tb).value(), b.size()) << path;
        EXPECT_NE(a, b) << path;
        std::set<uint8_t> distinct(a.begin(), a.end());
        EXPECT_GT(distinct.size(), 200u) << path;  // 4096 random bytes cover nearly all 256 values
        IoIter from = IoIter::kernel("entropy?", 8);
        EXPECT_EQ(vfs_write(*f, from).value(), 8u) << path;
    }
}

TEST_F(DevicesTest, UnknownMinorsAndMajors) {
    ASSERT_EQ(err(vfs_mknod(caller(), "/dev/mem", S_IFCHR | 0600, MKDEV(1, 1))), Errno::OK);
    EXPECT_EQ(open_err("/dev/mem", O_RDONLY), Errno::ENXIO);
    ASSERT_EQ(err(vfs_mknod(caller(), "/dev/nodrv", S_IFCHR | 0600, MKDEV(200, 0))), Errno::OK);
    EXPECT_EQ(open_err("/dev/nodrv", O_RDONLY), Errno::ENXIO);
    // A node for a real device on a nodev mount cannot be opened.
    ASSERT_EQ(mkdir("/nd"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "x", "/nd", "tmpfs", MS_NODEV, nullptr)), Errno::OK);
    ASSERT_EQ(err(vfs_mknod(caller(), "/nd/null", S_IFCHR | 0666, MKDEV(1, 3))), Errno::OK);
    EXPECT_EQ(open_err("/nd/null", O_RDONLY), Errno::EACCES);
    ASSERT_EQ(unlink("/nd/null"), Errno::OK);
    EXPECT_EQ(err(vfs_umount(caller(), "/nd", 0)), Errno::OK);
}

TEST_F(DevicesTest, ChrdevRegistry) {
    static const FileOperations fops = {};
    EXPECT_EQ(err(register_chrdev_region(1, 0, 1, "clash", &fops)), Errno::EBUSY);  // mem has 1:0-255
    EXPECT_EQ(register_chrdev_region(42, 10, 5, "test", &fops).value(), 42u);
    EXPECT_EQ(err(register_chrdev_region(42, 14, 1, "overlap", &fops)), Errno::EBUSY);
    EXPECT_EQ(register_chrdev_region(42, 15, 1, "next", &fops).value(), 42u);
    EXPECT_EQ(chrdev_lookup(MKDEV(42, 12)), &fops);
    EXPECT_EQ(chrdev_lookup(MKDEV(42, 9)), nullptr);
    EXPECT_EQ(err(register_chrdev_region(4096, 0, 1, "big", &fops)), Errno::EINVAL);
    EXPECT_EQ(err(register_chrdev_region(5, 0, 0, "none", &fops)), Errno::EINVAL);
    Result<uint32_t> dynamic = register_chrdev_region(0, 0, 1, "dyn", &fops);
    ASSERT_FALSE(dynamic.is_error());
    EXPECT_EQ(dynamic.value(), 254u);
    unregister_chrdev_region(42, 10, 5);
    unregister_chrdev_region(42, 15, 1);
    unregister_chrdev_region(dynamic.value(), 0, 1);
    EXPECT_EQ(chrdev_lookup(MKDEV(42, 12)), nullptr);
}

TEST_F(DevicesTest, DevtmpfsMountComesPopulated) {
    ASSERT_EQ(mkdir("/dev2"), Errno::OK);
    ASSERT_EQ(err(vfs_mount(caller(), "devtmpfs", "/dev2", "devtmpfs", 0, nullptr)), Errno::OK);
    EXPECT_EQ(stat("/dev2/zero").value().rdev, MKDEV(1, 5));
    EXPECT_EQ(stat("/dev2").value().mode, S_IFDIR | 0755);
    EXPECT_EQ(err(vfs_umount(caller(), "/dev2", 0)), Errno::OK);
}

}  // namespace
