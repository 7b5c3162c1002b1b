// open(2): the last-component loop of Linux's path_openat (create, follow, or open what is there) and
// the checks of may_open.
#include <fs/internal.hpp>
#include <fs/path_walk.hpp>
#include <fs/permission.hpp>
#include <fs/vfs.hpp>
#include <utility>

namespace {

// What the open asks permission for (Linux's ACC_MODE plus O_TRUNC's write).
int access_mask(int flags) {
    int mask = 0;
    switch (flags & O_ACCMODE) {
    case O_RDONLY: mask = MAY_READ; break;
    case O_WRONLY: mask = MAY_WRITE; break;
    default: mask = MAY_READ | MAY_WRITE; break;  // O_RDWR, and 3 ("ioctl only") needs both
    }
    if (flags & O_TRUNC) mask |= MAY_WRITE;
    if (flags & O_APPEND) mask |= MAY_APPEND;
    return mask;
}

Result<void> may_open(const Path& path, int mask, int flags, const Credentials& cred) {
    Inode* inode = path.inode();
    switch (inode->mode & S_IFMT) {
    case S_IFLNK:
        return Errno::ELOOP;
    case S_IFDIR:
        if (mask & MAY_WRITE) return Errno::EISDIR;
        break;
    case S_IFBLK:
    case S_IFCHR:
        if (path.mnt->flags & MNT_NODEV) return Errno::EACCES;
        break;
    default:
        break;
    }
    TRY(inode_permission(inode, mask, cred));
    if ((flags & O_NOATIME) && !inode_owner_or_root(inode, cred)) return Errno::EPERM;
    return {};
}

bool is_special(const Inode* inode) {
    return S_ISCHR(inode->mode) || S_ISBLK(inode->mode) || S_ISFIFO(inode->mode) || S_ISSOCK(inode->mode);
}

// Looks up or creates the last component under the directory's lock. `created` says which.
Result<Path> lookup_or_create(PathWalk& walk, const VfsCaller& caller, uint32_t mode, bool& created) {
    const Path& dir = walk.dir();
    Inode* dir_inode = dir.inode();
    FsMutexGuard guard(dir_inode->lock);
    Path target = TRY(lookup_one_locked(dir, walk.name(), walk.len()));
    if (!target.dentry->is_negative()) {
        follow_mount(target);
        return target;
    }
    // Errors of creating only count when the name does not exist.
    TRY(mnt_want_write(dir.mnt.get()));
    TRY(may_create(dir_inode, caller.cred));
    if (!dir_inode->i_op || !dir_inode->i_op->create) return Errno::EACCES;
    uint32_t create_mode = S_IFREG | (mode & S_IALLUGO & ~caller.umask);
    TRY(dir_inode->i_op->create(dir_inode, target.dentry.get(), create_mode, caller.cred));
    created = true;
    return target;
}

}  // namespace

Result<RefPtr<File>> vfs_open(const VfsCaller& caller, const char* path, int flags, uint32_t mode) {
    if ((flags & O_TMPFILE) == O_TMPFILE) return Errno::EOPNOTSUPP;
    if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT)) return Errno::EINVAL;
    if (flags & O_PATH) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    // O_EXCL with O_CREAT never follows a final symlink: it is "the name exists".
    bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));

    PathWalk walk(caller);
    TRY(walk.start(path));
    Path target;
    bool created = false;
    for (;;) {
        if (walk.type() != LastType::Norm) {
            target = walk.resolve_dots();
            break;
        }
        if (flags & O_CREAT) {
            if (walk.must_be_dir()) return Errno::EISDIR;
            target = TRY(lookup_or_create(walk, caller, mode, created));
        } else {
            target = TRY(lookup_one(walk.dir(), walk.name(), walk.len()));
            if (target.dentry->is_negative()) return Errno::ENOENT;
        }
        if (!created && target.dentry->is_symlink() && (follow || walk.must_be_dir())) {
            TRY(walk.follow_last(target));
            continue;
        }
        break;
    }

    Inode* inode = target.inode();
    if (flags & O_CREAT) {
        if ((flags & O_EXCL) && !created) return Errno::EEXIST;
        if (inode->is_dir()) return Errno::EISDIR;
    }
    if (((flags & O_DIRECTORY) || walk.must_be_dir()) && !inode->is_dir()) return Errno::ENOTDIR;
    if (flags & O_PATH) return vfs_open_path(target, flags, caller.cred);

    int mask = created ? 0 : access_mask(flags);
    bool truncate = !created && (flags & O_TRUNC) && inode->is_reg();
    TRY(may_open(target, mask, flags, caller.cred));
    if (((mask & MAY_WRITE) || truncate) && !is_special(inode)) TRY(mnt_want_write(target.mnt.get()));

    RefPtr<File> file = TRY(vfs_open_path(target, flags, caller.cred));
    if (truncate) TRY(do_truncate(target.dentry.get(), 0, caller.cred));
    return file;
}

Result<Path> vfs_lookup_dir(const VfsCaller& caller, const char* path) {
    Path dir = TRY(path_lookup(caller, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY));
    TRY(inode_permission(dir.inode(), MAY_EXEC, caller.cred));
    return dir;
}
