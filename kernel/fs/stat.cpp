// stat, statx, statfs: filling Linux's records from an inode.
#include <fs/inode.hpp>
#include <fs/super.hpp>
#include <fs/vfs.hpp>
#include <lib/string.hpp>

Kstat vfs_getattr(const Path& path) {
    Inode* inode = path.inode();
    FsMutexGuard guard(inode->lock);
    Kstat k;
    k.dev = inode->sb->dev;
    k.ino = inode->ino;
    k.mode = inode->mode;
    k.nlink = inode->nlink;
    k.uid = inode->uid;
    k.gid = inode->gid;
    k.rdev = inode->rdev;
    k.size = inode->size;
    k.blksize = inode->sb->blocksize;
    k.blocks = inode->blocks;
    k.atime = inode->atime;
    k.mtime = inode->mtime;
    k.ctime = inode->ctime;
    k.btime = inode->btime;
    k.mnt_id = path.mnt->id;
    return k;
}

Result<Kstat> vfs_stat(const VfsCaller& caller, const char* path, int flags) {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) return Errno::EINVAL;
    // AT_EMPTY_PATH with "": the base itself (the syscall layer puts the dirfd's file there).
    if ((flags & AT_EMPTY_PATH) && path[0] == '\0') return vfs_getattr(caller.base);
    Path p = TRY(path_lookup(caller, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW));
    return vfs_getattr(p);
}

void fill_linux_stat(const Kstat& k, LinuxStat& out) {
    memset(&out, 0, sizeof(out));
    out.st_dev = new_encode_dev(kdev_t(k.dev));
    out.st_ino = k.ino;
    out.st_nlink = k.nlink;
    out.st_mode = k.mode;
    out.st_uid = k.uid;
    out.st_gid = k.gid;
    out.st_rdev = new_encode_dev(k.rdev);
    out.st_size = k.size;
    out.st_blksize = k.blksize;
    out.st_blocks = int64_t(k.blocks);
    out.st_atime = uint64_t(k.atime.tv_sec);
    out.st_atime_nsec = uint64_t(k.atime.tv_nsec);
    out.st_mtime = uint64_t(k.mtime.tv_sec);
    out.st_mtime_nsec = uint64_t(k.mtime.tv_nsec);
    out.st_ctime = uint64_t(k.ctime.tv_sec);
    out.st_ctime_nsec = uint64_t(k.ctime.tv_nsec);
}

void fill_linux_statx(const Kstat& k, uint32_t request_mask, LinuxStatx& out) {
    (void)request_mask;  // everything is cheap to report, as Linux does for local file systems
    memset(&out, 0, sizeof(out));
    auto ts = [](const Timespec64& t) { return StatxTimestamp{t.tv_sec, uint32_t(t.tv_nsec), 0}; };
    out.stx_mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
    out.stx_blksize = k.blksize;
    out.stx_nlink = k.nlink;
    out.stx_uid = k.uid;
    out.stx_gid = k.gid;
    out.stx_mode = uint16_t(k.mode);
    out.stx_ino = k.ino;
    out.stx_size = uint64_t(k.size);
    out.stx_blocks = k.blocks;
    out.stx_atime = ts(k.atime);
    out.stx_btime = ts(k.btime);
    out.stx_ctime = ts(k.ctime);
    out.stx_mtime = ts(k.mtime);
    out.stx_rdev_major = MAJOR(k.rdev);
    out.stx_rdev_minor = MINOR(k.rdev);
    out.stx_dev_major = MAJOR(kdev_t(k.dev));
    out.stx_dev_minor = MINOR(kdev_t(k.dev));
    out.stx_mnt_id = k.mnt_id;
}

Result<LinuxStatfs> vfs_statfs(const Path& path) {
    SuperBlock* sb = path.mnt->sb;
    LinuxStatfs out;
    memset(&out, 0, sizeof(out));
    out.f_type = int64_t(sb->magic);
    out.f_bsize = sb->blocksize;
    out.f_frsize = sb->blocksize;
    out.f_namelen = NAME_MAX;
    if (sb->ops->statfs) TRY(sb->ops->statfs(sb, out));
    unsigned mnt = path.mnt->flags;
    out.f_flags = ST_VALID | (path.mnt->read_only() ? ST_RDONLY : 0) | ((mnt & MNT_NOSUID) ? ST_NOSUID : 0) |
                  ((mnt & MNT_NODEV) ? ST_NODEV : 0) | ((mnt & MNT_NOEXEC) ? ST_NOEXEC : 0);
    return out;
}
