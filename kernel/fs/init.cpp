#include <fs/devtmpfs.hpp>
#include <fs/init.hpp>
#include <fs/pipe.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <init/initcall.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>

namespace {

SpinLock init_lock;
bool initialized = false;
Path root_path;

}  // namespace

Result<void> vfs_init() {
    {
        SpinLockGuard guard(init_lock);
        if (initialized) return {};
        initialized = true;
    }
    TRY(register_filesystem(&tmpfs_fs_type));
    TRY(register_filesystem(&devtmpfs_fs_type));
    TRY(pipe_init());
    // Linux's rootfs: a tmpfs that is the root of the initial name space and is never unmounted.
    RefPtr<Mount> root = TRY(vfs_kern_mount(&tmpfs_fs_type, 0, "rootfs", "mode=0755"));
    Path path{root, RefPtr<Dentry>(root->root)};
    SpinLockGuard guard(init_lock);
    root_path = path;
    return {};
}

Path rootfs_root() {
    SpinLockGuard guard(init_lock);
    return root_path;
}

namespace {
int vfs_initcall() {
    Result<void> r = vfs_init();
    if (r.is_error()) {
        pr_err("VFS: cannot mount the root file system: %s", errno_name(r.error()));
        return -int(r.error());
    }
    return 0;
}
}  // namespace
core_initcall(vfs_initcall);
