// Self-tests of sysfs: a private mount, the CPU lists glibc reads, and clean shutdown.
#include <fs/cred.hpp>
#include <fs/dentry.hpp>
#include <fs/mount.hpp>
#include <fs/vfs.hpp>
#include <fs/sysfs/sysfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <smp/cpumask.hpp>

KTEST(sysfs, cpu_online_list) {
    uint64_t dentries_before = dcache_nr_dentries();
    {
        Result<RefPtr<Mount>> m = vfs_kern_mount(&sysfs_fs_type, 0, "sysfs", nullptr);
        KASSERT_TRUE(!m.is_error());
        RefPtr<Mount> mnt = m.release_value();
        Path root{mnt, RefPtr<Dentry>(mnt->root)};
        Credentials cred;
        VfsCaller caller{root, root, cred, 022};
        Result<RefPtr<File>> f = vfs_open(caller, "/devices/system/cpu/online", O_RDONLY, 0);
        KASSERT_TRUE(!f.is_error());
        char buf[32] = {};
        Result<size_t> n = kernel_read(*f.value(), buf, sizeof buf - 1, 0);
        KASSERT_TRUE(!n.is_error());
        char expect[32];
        unsigned online = cpu_online_mask.weight();
        // Tern brings CPUs up in order: 0, or 0-(n-1).
        if (online == 1) ksnprintf(expect, sizeof expect, "0\n");
        else ksnprintf(expect, sizeof expect, "0-%u\n", online - 1);
        KEXPECT_EQ(strcmp(buf, expect), 0);
        KEXPECT_EQ(kernel_read(*f.value(), buf, sizeof buf - 1, int64_t(strlen(expect))).value(), 0);
        KEXPECT_TRUE(!vfs_stat(caller, "/devices/system/cpu/possible", 0).is_error());
        KEXPECT_TRUE(!vfs_stat(caller, "/devices/system/cpu/present", 0).is_error());
        Result<Kstat> kernel_dir = vfs_stat(caller, "/kernel", 0);
        KEXPECT_TRUE(!kernel_dir.is_error() && S_ISDIR(kernel_dir.value().mode));
        KEXPECT_EQ(vfs_mkdir(caller, "/kernel/x", 0755).error(), Errno::EPERM);
    }
    // Unmounted (the last reference gone): the whole tree was freed.
    KEXPECT_EQ(dcache_nr_dentries(), dentries_before);
}
