// Attribute changes: chmod, chown, truncate, utimes, and access(2).
#include <fs/internal.hpp>
#include <fs/permission.hpp>
#include <fs/vfs.hpp>

Result<void> notify_change_locked(Dentry* dentry, const IAttr& attr) {
    Inode* inode = dentry->inode;
    if (inode->i_op && inode->i_op->setattr) return inode->i_op->setattr(dentry, attr);
    if (attr.valid & IAttr::SIZE) return Errno::EPERM;
    setattr_copy(inode, attr);
    return {};
}

Result<void> notify_change(Dentry* dentry, const IAttr& attr) {
    FsMutexGuard guard(dentry->inode->lock);
    return notify_change_locked(dentry, attr);
}

uint32_t privs_to_remove(const Inode* inode, const Credentials& cred) {
    if (capable_fs(cred) || inode->is_dir()) return 0;  // CAP_FSETID keeps them
    uint32_t kill = inode->mode & S_ISUID;
    if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) kill |= S_ISGID;
    return kill;
}

Result<void> do_truncate(Dentry* dentry, int64_t length, const Credentials& cred) {
    if (length < 0) return Errno::EINVAL;
    Inode* inode = dentry->inode;
    if (length > inode->sb->maxbytes) return Errno::EFBIG;
    FsMutexGuard guard(inode->lock);
    IAttr attr;
    attr.valid = IAttr::SIZE | IAttr::MTIME | IAttr::CTIME;
    attr.size = length;
    attr.mtime = attr.ctime = current_time();
    if (uint32_t kill = privs_to_remove(inode, cred)) {
        attr.valid |= IAttr::MODE;
        attr.mode = inode->mode & ~kill;
    }
    return notify_change_locked(dentry, attr);
}

Result<void> vfs_chmod(const VfsCaller& caller, const Path& path, uint32_t mode) {
    Inode* inode = path.inode();
    TRY(mnt_want_write(path.mnt.get()));
    FsMutexGuard guard(inode->lock);
    if (!inode_owner_or_root(inode, caller.cred)) return Errno::EPERM;
    IAttr attr;
    attr.valid = IAttr::MODE | IAttr::CTIME;
    attr.mode = mode & S_IALLUGO;
    // Only members of the file's group may keep it set-group-ID (Linux's setattr_should_drop_sgid).
    if (!capable_fs(caller.cred) && !caller.cred.in_group(inode->gid)) attr.mode &= ~S_ISGID;
    attr.ctime = current_time();
    return notify_change_locked(path.dentry.get(), attr);
}

Result<void> vfs_chown(const VfsCaller& caller, const Path& path, uint32_t uid, uint32_t gid) {
    Inode* inode = path.inode();
    const Credentials& cred = caller.cred;
    TRY(mnt_want_write(path.mnt.get()));
    FsMutexGuard guard(inode->lock);
    IAttr attr;
    attr.valid = IAttr::CTIME;
    attr.ctime = current_time();
    if (uid != uint32_t(-1)) {
        // Giving a file away needs CAP_CHOWN (a no-op change is allowed to the owner).
        if (!capable_fs(cred) && !(uid == inode->uid && cred.fsuid == inode->uid)) return Errno::EPERM;
        attr.valid |= IAttr::UID;
        attr.uid = uid;
    }
    if (gid != uint32_t(-1)) {
        bool owner_to_own_group = cred.fsuid == inode->uid && cred.in_group(gid);
        if (!capable_fs(cred) && !owner_to_own_group && !(gid == inode->gid && cred.fsuid == inode->uid))
            return Errno::EPERM;
        attr.valid |= IAttr::GID;
        attr.gid = gid;
    }
    if ((attr.valid & (IAttr::UID | IAttr::GID)) && !inode->is_dir()) {
        // Linux clears set-user-ID on every chown of a non-directory, and set-group-ID when the
        // group may execute (otherwise S_ISGID means mandatory locking).
        uint32_t kill = inode->mode & S_ISUID;
        if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) kill |= S_ISGID;
        if (kill) {
            attr.valid |= IAttr::MODE;
            attr.mode = inode->mode & ~kill;
        }
    }
    return notify_change_locked(path.dentry.get(), attr);
}

Result<void> vfs_truncate(const VfsCaller& caller, const Path& path, int64_t length) {
    if (length < 0) return Errno::EINVAL;
    Inode* inode = path.inode();
    if (inode->is_dir()) return Errno::EISDIR;
    if (!inode->is_reg()) return Errno::EINVAL;
    TRY(mnt_want_write(path.mnt.get()));
    TRY(inode_permission(inode, MAY_WRITE, caller.cred));
    return do_truncate(path.dentry.get(), length, caller.cred);
}

Result<void> vfs_ftruncate(File& file, int64_t length, const Credentials& cred) {
    if (length < 0) return Errno::EINVAL;
    if (file.fmode & FMODE_PATH) return Errno::EBADF;
    // Permission was checked when the file was opened for writing.
    if (!file.inode->is_reg() || !file.writable()) return Errno::EINVAL;
    return do_truncate(file.path.dentry.get(), length, cred);
}

Result<void> vfs_access(const VfsCaller& caller, const char* path, int mode, int flags) {
    if (mode & ~(R_OK | W_OK | X_OK)) return Errno::EINVAL;
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return Errno::EINVAL;
    Credentials real_ids;
    cred_for_access(real_ids, caller.cred);
    const Credentials& cred = (flags & AT_EACCESS) ? caller.cred : real_ids;
    VfsCaller as{caller.root, caller.base, cred, caller.umask};
    Path p = TRY(path_lookup(as, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW));
    if (mode == F_OK) return {};
    int mask = 0;
    if (mode & R_OK) mask |= MAY_READ;
    if (mode & W_OK) mask |= MAY_WRITE;
    if (mode & X_OK) mask |= MAY_EXEC;
    if ((mask & MAY_WRITE) && !S_ISCHR(p.inode()->mode) && !S_ISBLK(p.inode()->mode) &&
        !S_ISFIFO(p.inode()->mode))
        TRY(mnt_want_write(p.mnt.get()));
    if ((mask & MAY_EXEC) && p.inode()->is_reg() && (p.mnt->flags & MNT_NOEXEC)) return Errno::EACCES;
    return inode_permission(p.inode(), mask, cred);
}

Result<void> vfs_utimes(const VfsCaller& caller, const Path& path, const Timespec64* atime,
                        const Timespec64* mtime) {
    Inode* inode = path.inode();
    TRY(mnt_want_write(path.mnt.get()));
    FsMutexGuard guard(inode->lock);
    if (atime || mtime) {
        if (!inode_owner_or_root(inode, caller.cred)) return Errno::EPERM;
    } else if (!inode_owner_or_root(inode, caller.cred)) {
        // Setting both to "now" is also allowed to anyone who may write the file.
        TRY(inode_permission(inode, MAY_WRITE, caller.cred));
    }
    Timespec64 now = current_time();
    IAttr attr;
    attr.valid = IAttr::ATIME | IAttr::MTIME | IAttr::CTIME;
    attr.atime = atime ? *atime : now;
    attr.mtime = mtime ? *mtime : now;
    attr.ctime = now;
    return notify_change_locked(path.dentry.get(), attr);
}
