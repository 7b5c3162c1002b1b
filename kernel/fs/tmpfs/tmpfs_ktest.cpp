// Self-tests of tmpfs on real pages, and of the root file system the VFS mounted at boot.
#include <fs/init.hpp>
#include <fs/ktest_tmpfs.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>

KTEST(tmpfs, rootfs_is_mounted) {
    Path root = rootfs_root();
    KASSERT_TRUE(bool(root.dentry));
    KEXPECT_TRUE(root.dentry->is_dir());
    KEXPECT_EQ(root.mnt->sb->magic, TMPFS_MAGIC);
    KEXPECT_EQ(root.inode()->mode, S_IFDIR | 0755);
}

KTEST(tmpfs, file_data_across_pages_and_holes) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    uint64_t free_before = nr_free_pages();
    {
        Result<RefPtr<File>> opened = vfs_open(fs.caller(), "/data", O_RDWR | O_CREAT, 0644);
        KASSERT_TRUE(!opened.is_error());
        File& f = *opened.value();
        // 3 pages of data starting mid-page, then one byte far away (a hole between).
        static uint8_t buf[3 * kPageSize];
        for (size_t i = 0; i < sizeof(buf); i++) buf[i] = uint8_t(i * 13 + 5);
        KEXPECT_EQ(kernel_write(f, buf, sizeof(buf), 100).value(), sizeof(buf));
        KEXPECT_EQ(kernel_write(f, "!", 1, 40 * kPageSize).value(), 1);
        KEXPECT_EQ(f.inode->blocks, 5 * 8);  // pages 0-3 and 40
        static uint8_t back[3 * kPageSize];
        KEXPECT_EQ(kernel_read(f, back, sizeof(back), 100).value(), sizeof(back));
        KEXPECT_EQ(memcmp(back, buf, sizeof(buf)), 0);
        uint8_t hole[64];
        memset(hole, 0xff, sizeof(hole));
        KEXPECT_EQ(kernel_read(f, hole, sizeof(hole), 20 * kPageSize).value(), sizeof(hole));
        KEXPECT_EQ(hole[0] | hole[63], 0);
        Credentials root;
        KEXPECT_EQ(vfs_ftruncate(f, 0, root).is_error(), false);
        KEXPECT_EQ(f.inode->blocks, 0);
    }
    KEXPECT_TRUE(!vfs_unlink(fs.caller(), "/data").is_error());
    KEXPECT_TRUE(nr_free_pages() + 4 >= free_before);  // slab caches may keep a few pages
}

KTEST(tmpfs, names_and_errors) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    VfsCaller c = fs.caller();
    KEXPECT_TRUE(!vfs_mkdir(c, "/a", 0755).is_error());
    KEXPECT_EQ(vfs_mkdir(c, "/a", 0755).error(), Errno::EEXIST);
    KEXPECT_TRUE(!vfs_symlink(c, "a", "/link").is_error());
    KEXPECT_TRUE(!vfs_mkdir(c, "/link/b", 0755).is_error());
    KEXPECT_EQ(vfs_rmdir(c, "/a").error(), Errno::ENOTEMPTY);
    KEXPECT_TRUE(!vfs_rename(c, "/a/b", c, "/b", 0).is_error());
    KEXPECT_EQ(vfs_rename(c, "/a", c, "/a/x", 0).error(), Errno::EINVAL);
    KEXPECT_TRUE(!vfs_rmdir(c, "/a").is_error());
    KEXPECT_EQ(vfs_stat(c, "/link", 0).error(), Errno::ENOENT);
    KEXPECT_TRUE(!vfs_unlink(c, "/link").is_error());
    KEXPECT_TRUE(!vfs_rmdir(c, "/b").is_error());
}
