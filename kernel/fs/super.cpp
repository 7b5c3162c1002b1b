// Super blocks, anonymous device numbers, and the registry of file-system types.
#include <fs/dentry.hpp>
#include <fs/inode.hpp>
#include <fs/super.hpp>
#include <lib/string.hpp>
#include <locking/spinlock.hpp>
#include <mm/slab.hpp>
#include <printk/printk.hpp>

namespace {

SpinLock file_systems_lock;
FileSystemType* file_systems = nullptr;

// Anonymous device numbers (major 0) for file systems without a device, as Linux's get_anon_bdev.
// Minor 0 is never used.
constexpr uint32_t kAnonMinors = 1024;
SpinLock anon_dev_lock;
uint64_t anon_dev_used[kAnonMinors / 64] = {1};

Result<kdev_t> get_anon_dev() {
    SpinLockGuard guard(anon_dev_lock);
    for (uint32_t i = 0; i < kAnonMinors; i++) {
        if (!(anon_dev_used[i / 64] & (1ull << (i % 64)))) {
            anon_dev_used[i / 64] |= 1ull << (i % 64);
            return MKDEV(0, i);
        }
    }
    return Errno::EMFILE;
}

void free_anon_dev(kdev_t dev) {
    if (MAJOR(dev) != 0 || MINOR(dev) == 0 || MINOR(dev) >= kAnonMinors) return;
    SpinLockGuard guard(anon_dev_lock);
    anon_dev_used[MINOR(dev) / 64] &= ~(1ull << (MINOR(dev) % 64));
}

FileSystemType** find_type_locked(const char* name) {
    FileSystemType** link = &file_systems;
    while (*link && strcmp((*link)->name, name) != 0) link = &(*link)->next;
    return link;
}

}  // namespace

Result<void> register_filesystem(FileSystemType* type) {
    SpinLockGuard guard(file_systems_lock);
    FileSystemType** link = find_type_locked(type->name);
    if (*link) return Errno::EBUSY;
    type->next = nullptr;
    *link = type;
    return {};
}

Result<void> unregister_filesystem(FileSystemType* type) {
    SpinLockGuard guard(file_systems_lock);
    for (FileSystemType** link = &file_systems; *link; link = &(*link)->next) {
        if (*link == type) {
            *link = type->next;
            type->next = nullptr;
            return {};
        }
    }
    return Errno::EINVAL;
}

void for_each_filesystem(void (*fn)(FileSystemType* type, void* arg), void* arg) {
    SpinLockGuard guard(file_systems_lock);
    for (FileSystemType* type = file_systems; type; type = type->next) fn(type, arg);
}

FileSystemType* get_fs_type(const char* name) {
    SpinLockGuard guard(file_systems_lock);
    return *find_type_locked(name);
}

Result<SuperBlock*> alloc_super(FileSystemType* type, const SuperOperations* ops) {
    kdev_t dev = TRY(get_anon_dev());
    SuperBlock* sb = knew<SuperBlock>();
    if (!sb) {
        free_anon_dev(dev);
        return Errno::ENOMEM;
    }
    sb->type = type;
    sb->ops = ops;
    sb->dev = dev;
    sb->maxbytes = INT64_MAX;
    return sb;
}

void deactivate_super(SuperBlock* sb) {
    if (sb->active.fetch_sub(1, MemoryOrder::AcqRel) != 1) return;
    if (sb->type->kill_sb)
        sb->type->kill_sb(sb);
    else
        generic_shutdown_super(sb);
}

void generic_shutdown_super(SuperBlock* sb) {
    if (Dentry* root = sb->root) {
        d_drop_pins_under(root);
        // Only the super block's own reference may be left: anything else would outlive it.
        if (root->count.load(MemoryOrder::Relaxed) != 1)
            pr_err("VFS: busy dentries after shutting down %s (a reference leak)", sb->type->name);
        sb->root = nullptr;
        dput(root);
    }
    if (sb->ops->put_super) sb->ops->put_super(sb);
    free_anon_dev(sb->dev);
    kdelete(sb);
}

Inode* new_inode(SuperBlock* sb) {
    Inode* inode = sb->ops->alloc_inode ? sb->ops->alloc_inode(sb) : knew<Inode>();
    if (inode) inode_init(inode, sb);
    return inode;
}
