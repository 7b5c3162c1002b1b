// Self-tests of the memory devices through real device nodes, and of the kernel's random numbers.
#include <fs/devtmpfs.hpp>
#include <fs/ktest_tmpfs.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/random.hpp>
#include <lib/string.hpp>

KTEST(mem_devices, null_zero_full) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    KASSERT_TRUE(!devtmpfs_setup(fs.caller(), "/dev").is_error());
    uint8_t buf[256];
    {
        RefPtr<File> null = vfs_open(fs.caller(), "/dev/null", O_RDWR, 0).release_value();
        KEXPECT_EQ(kernel_read(*null, buf, sizeof(buf), 0).value(), 0);
        KEXPECT_EQ(kernel_write(*null, buf, sizeof(buf), 0).value(), sizeof(buf));
    }
    {
        RefPtr<File> zero = vfs_open(fs.caller(), "/dev/zero", O_RDONLY, 0).release_value();
        memset(buf, 0xee, sizeof(buf));
        KEXPECT_EQ(kernel_read(*zero, buf, sizeof(buf), 0).value(), sizeof(buf));
        KEXPECT_EQ(buf[0] | buf[255], 0);
    }
    {
        RefPtr<File> full = vfs_open(fs.caller(), "/dev/full", O_WRONLY, 0).release_value();
        KEXPECT_EQ(kernel_write(*full, buf, 1, 0).error(), Errno::ENOSPC);
    }
}

KTEST(mem_devices, random_is_seeded_and_varies) {
    KEXPECT_TRUE(crng_ready());
    uint64_t a = get_random_u64(), b = get_random_u64(), c = get_random_u64();
    KEXPECT_TRUE(a != b && b != c && a != c);
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    KASSERT_TRUE(!devtmpfs_setup(fs.caller(), "/dev").is_error());
    RefPtr<File> random = vfs_open(fs.caller(), "/dev/random", O_RDONLY, 0).release_value();
    uint8_t x[64], y[64];
    KEXPECT_EQ(kernel_read(*random, x, sizeof(x), 0).value(), sizeof(x));
    KEXPECT_EQ(kernel_read(*random, y, sizeof(y), 0).value(), sizeof(y));
    KEXPECT_TRUE(memcmp(x, y, sizeof(x)) != 0);
}
