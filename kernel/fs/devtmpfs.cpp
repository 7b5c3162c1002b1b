#include <fs/cred.hpp>
#include <fs/devtmpfs.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <fs/vfs.hpp>
#include <lib/string.hpp>
#include <locking/spinlock.hpp>

namespace {

struct DevNode {
    const char* name;
    uint32_t mode;
    kdev_t dev;
};

// A fixed table, like the character-device registry. Entries are only ever appended, so a reader may
// walk the first `nr_nodes` (read under the lock) without holding it.
constexpr size_t kMaxNodes = 128;
SpinLock nodes_lock;
DevNode nodes[kMaxNodes];
size_t nr_nodes = 0;

// Makes the node `name` in the directory `dir` unless the name exists.
Result<void> create_node(Dentry* dir, const DevNode& node) {
    Inode* dir_inode = dir->inode;
    size_t len = strlen(node.name);
    FsMutexGuard guard(dir_inode->lock);
    Dentry* d = d_lookup(dir, node.name, len);
    if (d && !d->is_negative()) {
        dput(d);
        return {};
    }
    if (!d) {
        d = d_alloc(dir, node.name, len);
        if (!d) return Errno::ENOMEM;
        d_rehash(d);
    }
    // On failure the dentry stays negative and goes with our reference.
    Credentials root;  // all ids 0
    Result<void> r = dir_inode->i_op->mknod(dir_inode, d, node.mode, node.dev, root);
    dput(d);
    return r;
}

Result<void> populate_dentry(Dentry* dir) {
    size_t count;
    {
        SpinLockGuard guard(nodes_lock);
        count = nr_nodes;
    }
    for (size_t i = 0; i < count; i++) TRY(create_node(dir, nodes[i]));
    return {};
}

Result<SuperBlock*> devtmpfs_mount(FileSystemType* type, unsigned long flags, const char* source, const char*) {
    SuperBlock* sb = TRY(tmpfs_fs_type.mount(type, flags, source, "mode=0755"));
    Result<void> r = populate_dentry(sb->root);
    if (r.is_error()) {
        deactivate_super(sb);
        return r.error();
    }
    return sb;
}

}  // namespace

Result<void> devtmpfs_register_node(const char* name, uint32_t mode, kdev_t dev) {
    if (!*name || strchr(name, '/')) return Errno::EINVAL;
    SpinLockGuard guard(nodes_lock);
    for (size_t i = 0; i < nr_nodes; i++)
        if (strcmp(nodes[i].name, name) == 0) return Errno::EEXIST;
    if (nr_nodes == kMaxNodes) return Errno::ENOSPC;
    nodes[nr_nodes++] = {name, mode, dev};
    return {};
}

Result<void> devtmpfs_populate(const Path& dir) {
    if (!dir.dentry->is_dir()) return Errno::ENOTDIR;
    if (!dir.inode()->i_op || !dir.inode()->i_op->mknod) return Errno::EPERM;
    TRY(mnt_want_write(dir.mnt.get()));
    return populate_dentry(dir.dentry.get());
}

Result<void> devtmpfs_setup(const VfsCaller& caller, const char* path) {
    VfsCaller as_root{caller.root, caller.base, caller.cred, 0};
    Result<void> made = vfs_mkdir(as_root, path, 0755);
    if (made.is_error() && made.error() != Errno::EEXIST) return made.error();
    Path dir = TRY(path_lookup(caller, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY));
    return devtmpfs_populate(dir);
}

FileSystemType devtmpfs_fs_type = {
    .name = "devtmpfs",
    .fs_flags = 0,
    .mount = devtmpfs_mount,
    .kill_sb = generic_shutdown_super,
    .next = nullptr,
};
