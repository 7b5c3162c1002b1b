// Creating names: mkdir, mknod, symlink, link (Linux's filename_create and vfs_* checks), readlink.
#include <fs/internal.hpp>
#include <fs/permission.hpp>
#include <fs/vfs.hpp>
#include <lib/string.hpp>

namespace {

// Resolves the parent of `path`, locks it and looks the last name up; calls create(parent, dir,
// dentry) for a free name. The errors, in Linux's order: EEXIST for "." ".." "/" or an existing name,
// ENOENT for a trailing slash when not creating a directory, EROFS. `create` checks may_create.
template <class Create>
Result<void> create_at(const VfsCaller& caller, const char* path, bool want_dir, Create&& create) {
    ParentPath parent = TRY(path_parent(caller, path));
    if (parent.type != LastType::Norm) return Errno::EEXIST;
    Inode* dir = parent.dir.inode();
    FsMutexGuard guard(dir->lock);
    Path target = TRY(lookup_one_locked(parent.dir, parent.name, parent.len));
    if (!target.dentry->is_negative()) return Errno::EEXIST;
    if (parent.trailing_slash && !want_dir) return Errno::ENOENT;
    TRY(mnt_want_write(parent.dir.mnt.get()));
    return create(parent, dir, target.dentry.get());
}

bool valid_mknod_type(uint32_t mode) {
    switch (mode & S_IFMT) {
    case 0:
    case S_IFREG:
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
    case S_IFSOCK:
        return true;
    default:
        return false;
    }
}

}  // namespace

Result<void> vfs_mkdir(const VfsCaller& caller, const char* path, uint32_t mode) {
    return create_at(caller, path, true, [&](const ParentPath&, Inode* dir, Dentry* dentry) -> Result<void> {
        TRY(may_create(dir, caller.cred));
        if (!dir->i_op || !dir->i_op->mkdir) return Errno::EPERM;
        uint32_t m = S_IFDIR | (mode & (S_IRWXUGO | S_ISVTX) & ~caller.umask);
        return dir->i_op->mkdir(dir, dentry, m, caller.cred);
    });
}

Result<void> vfs_mknod(const VfsCaller& caller, const char* path, uint32_t mode, kdev_t dev) {
    if (S_ISDIR(mode)) return Errno::EPERM;
    if (!valid_mknod_type(mode)) return Errno::EINVAL;
    return create_at(caller, path, false, [&](const ParentPath&, Inode* dir, Dentry* dentry) -> Result<void> {
        TRY(may_create(dir, caller.cred));
        uint32_t type = (mode & S_IFMT) ? mode & S_IFMT : S_IFREG;
        uint32_t m = type | (mode & S_IALLUGO & ~caller.umask);
        if (type == S_IFREG) {
            if (!dir->i_op || !dir->i_op->create) return Errno::EACCES;
            return dir->i_op->create(dir, dentry, m, caller.cred);
        }
        if ((type == S_IFCHR || type == S_IFBLK) && !capable_fs(caller.cred)) return Errno::EPERM;  // CAP_MKNOD
        if (!dir->i_op || !dir->i_op->mknod) return Errno::EPERM;
        return dir->i_op->mknod(dir, dentry, m, (type == S_IFCHR || type == S_IFBLK) ? dev : 0, caller.cred);
    });
}

Result<void> vfs_symlink(const VfsCaller& caller, const char* target, const char* linkpath) {
    size_t len = strnlen(target, PATH_MAX);
    if (len == 0) return Errno::ENOENT;
    if (len == PATH_MAX) return Errno::ENAMETOOLONG;
    return create_at(caller, linkpath, false, [&](const ParentPath&, Inode* dir, Dentry* dentry) -> Result<void> {
        TRY(may_create(dir, caller.cred));
        if (!dir->i_op || !dir->i_op->symlink) return Errno::EPERM;
        return dir->i_op->symlink(dir, dentry, target, caller.cred);
    });
}

Result<void> vfs_link(const VfsCaller& old_caller, const char* oldpath, const VfsCaller& new_caller,
                      const char* newpath, int flags) {
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return Errno::EINVAL;
    Path old = TRY(path_lookup(old_caller, oldpath, (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0));
    return create_at(new_caller, newpath, false, [&](const ParentPath& parent, Inode* dir, Dentry* dentry) -> Result<void> {
        if (parent.dir.mnt.get() != old.mnt.get()) return Errno::EXDEV;
        TRY(may_create(dir, new_caller.cred));
        Inode* inode = old.inode();
        if (dir->sb != inode->sb) return Errno::EXDEV;
        if (!dir->i_op || !dir->i_op->link) return Errno::EPERM;
        if (inode->is_dir()) return Errno::EPERM;
        FsMutexGuard guard(inode->lock);
        // An unlinked file cannot get a name again.
        if (inode->nlink == 0) return Errno::ENOENT;
        return dir->i_op->link(old.dentry.get(), dir, dentry);
    });
}

Result<size_t> vfs_readlink(const VfsCaller& caller, const char* path, char* buf, size_t size) {
    if (size == 0 || size > INT32_MAX) return Errno::EINVAL;
    Path p = TRY(path_lookup(caller, path, 0));
    Inode* inode = p.inode();
    if (!inode->is_symlink() || !inode->i_op || !inode->i_op->get_link) return Errno::EINVAL;
    const char* target = TRY(inode->i_op->get_link(inode));
    size_t len = strlen(target);
    if (len > size) len = size;
    memcpy(buf, target, len);
    return len;
}
