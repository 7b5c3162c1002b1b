// mount(2) and umount2(2) on the mount tree (mount.hpp).
#include <fs/mount.hpp>
#include <fs/vfs.hpp>
#include <utility>

namespace {

constexpr unsigned long kMsMagicMask = 0xffff0000;
constexpr unsigned long kMsMagicValue = 0xc0ed0000;  // MS_MGC_VAL: old mount(2) callers set it

Result<void> do_remount(const Path& target, unsigned long flags, const char* data) {
    if (target.dentry.get() != target.mnt->root) return Errno::EINVAL;
    Mount* mnt = target.mnt.get();
    if (!(flags & MS_BIND)) {
        SuperBlock* sb = mnt->sb;
        if (sb->ops->remount) TRY(sb->ops->remount(sb, flags, data));
        if (flags & MS_RDONLY)
            sb->flags |= SB_RDONLY;
        else
            sb->flags &= ~SB_RDONLY;
    }
    SpinLockGuard guard(mount_lock);
    mnt->flags = mnt_flags_from_ms(flags);
    return {};
}

}  // namespace

Result<void> vfs_mount(const VfsCaller& caller, const char* source, const char* target,
                       const char* fstype, unsigned long flags, const char* data) {
    if (!capable_sys_admin(caller.cred)) return Errno::EPERM;
    if ((flags & kMsMagicMask) == kMsMagicValue) flags &= ~kMsMagicMask;
    Path where = TRY(path_lookup(caller, target, LOOKUP_FOLLOW));
    if (flags & MS_REMOUNT) return do_remount(where, flags, data);
    if (flags & MS_MOVE) return Errno::EINVAL;  // not supported yet

    RefPtr<Mount> mnt;
    if (flags & MS_BIND) {
        if (!source) return Errno::EFAULT;
        Path from = TRY(path_lookup(caller, source, LOOKUP_FOLLOW));
        if (!from.dentry->is_dir()) return Errno::ENOTDIR;  // binding single files: not supported
        mnt = TRY(clone_mount(from, mnt_flags_from_ms(flags)));
    } else {
        if (!fstype) return Errno::EFAULT;
        FileSystemType* type = get_fs_type(fstype);
        if (!type) return Errno::ENODEV;
        if (type->fs_flags & FS_REQUIRES_DEV) return Errno::ENOTBLK;  // no block devices yet
        mnt = TRY(vfs_kern_mount(type, flags, source, data));
    }
    return attach_mount(std::move(mnt), where);
}

Result<void> vfs_umount(const VfsCaller& caller, const char* target, int flags) {
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return Errno::EINVAL;
    if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH))) return Errno::EINVAL;
    if (!capable_sys_admin(caller.cred)) return Errno::EPERM;
    Path where = TRY(path_lookup(caller, target, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW));
    Mount* mnt = where.mnt.get();
    if (where.dentry.get() != mnt->root) return Errno::EINVAL;
    {
        SpinLockGuard guard(mount_lock);
        if (!mnt->attached) return Errno::EINVAL;
    }
    if (flags & MNT_EXPIRE) return Errno::EAGAIN;  // expiry marks are not kept: "used since"
    if (!(flags & MNT_DETACH)) {
        // Busy beyond the tree's reference and `where`'s: open files, working directories, ...
        if (mount_busy(mnt, 2)) return Errno::EBUSY;
    }
    detach_mount_tree(mnt);
    return {};
}
