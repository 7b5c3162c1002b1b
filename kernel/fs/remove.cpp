// Removing names: unlink and rmdir (Linux's do_unlinkat, do_rmdir, vfs_unlink, vfs_rmdir).
#include <fs/internal.hpp>
#include <fs/permission.hpp>
#include <fs/vfs.hpp>

Result<void> vfs_unlink(const VfsCaller& caller, const char* path) {
    ParentPath parent = TRY(path_parent(caller, path));
    if (parent.type != LastType::Norm) return Errno::EISDIR;
    TRY(mnt_want_write(parent.dir.mnt.get()));
    Inode* dir = parent.dir.inode();
    FsMutexGuard guard(dir->lock);
    Path victim = TRY(lookup_one_locked(parent.dir, parent.name, parent.len));
    Dentry* dentry = victim.dentry.get();
    if (parent.trailing_slash) {
        // "name/" asks for a directory: unlink never removes one.
        if (dentry->is_negative()) return Errno::ENOENT;
        return dentry->is_dir() ? Errno::EISDIR : Errno::ENOTDIR;
    }
    TRY(may_delete(dir, dentry, false, caller.cred));
    if (!dir->i_op || !dir->i_op->unlink) return Errno::EPERM;
    Inode* inode = dentry->inode;
    FsMutexGuard victim_guard(inode->lock);
    if (dentry->mounted) return Errno::EBUSY;
    TRY(dir->i_op->unlink(dir, dentry));
    d_drop(dentry);
    return {};
}

Result<void> vfs_rmdir(const VfsCaller& caller, const char* path) {
    ParentPath parent = TRY(path_parent(caller, path));
    switch (parent.type) {
    case LastType::DotDot: return Errno::ENOTEMPTY;
    case LastType::Dot: return Errno::EINVAL;
    case LastType::Root: return Errno::EBUSY;
    case LastType::Norm: break;
    }
    TRY(mnt_want_write(parent.dir.mnt.get()));
    Inode* dir = parent.dir.inode();
    FsMutexGuard guard(dir->lock);
    Path victim = TRY(lookup_one_locked(parent.dir, parent.name, parent.len));
    Dentry* dentry = victim.dentry.get();
    if (dentry->is_negative()) return Errno::ENOENT;
    TRY(may_delete(dir, dentry, true, caller.cred));
    if (!dir->i_op || !dir->i_op->rmdir) return Errno::EPERM;
    Inode* inode = dentry->inode;
    FsMutexGuard victim_guard(inode->lock);
    if (dentry->mounted) return Errno::EBUSY;
    TRY(dir->i_op->rmdir(dir, dentry));
    d_drop(dentry);
    return {};
}
