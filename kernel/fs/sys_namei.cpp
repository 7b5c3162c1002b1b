// The name operations: mkdir, mknod, rmdir, unlink, rename, link, symlink, readlink and their *at forms.
#include <fs/kdev.hpp>
#include <fs/syscall_util.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/uapi_stat.hpp>
#include <fs/vfs.hpp>
#include <mm/slab.hpp>
#include <syscalls/syscall.hpp>

namespace {

long do_mkdirat(int dirfd, UserPtr<const char> upath, uint32_t mode) {
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, path.get()));
    return vfs_mkdir(at.vfs(), path.get(), mode & (S_IRWXUGO | S_ISVTX)).to_syscall_return();
}

long do_mknodat(int dirfd, UserPtr<const char> upath, uint32_t mode, uint64_t dev) {
    // Linux's may_mknod: directories are mkdir's (EPERM), unknown types EINVAL.
    switch (mode & S_IFMT) {
    case 0: mode |= S_IFREG; break;
    case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK: break;
    case S_IFDIR: return -long(Errno::EPERM);
    default: return -long(Errno::EINVAL);
    }
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, path.get()));
    return vfs_mknod(at.vfs(), path.get(), mode, new_decode_dev(dev)).to_syscall_return();
}

long do_unlinkat(int dirfd, UserPtr<const char> upath, int flags) {
    if (flags & ~AT_REMOVEDIR) return -long(Errno::EINVAL);
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, path.get()));
    if (flags & AT_REMOVEDIR) return vfs_rmdir(at.vfs(), path.get()).to_syscall_return();
    return vfs_unlink(at.vfs(), path.get()).to_syscall_return();
}

long do_renameat2(int olddirfd, UserPtr<const char> uold, int newdirfd, UserPtr<const char> unew,
                  unsigned flags) {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -long(Errno::EINVAL);
    if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) return -long(Errno::EINVAL);
    if (flags & RENAME_WHITEOUT) return -long(Errno::EINVAL);  // tmpfs has no whiteouts yet
    UserPath oldpath = TRY_SYSCALL(UserPath::copy_in(uold));
    UserPath newpath = TRY_SYSCALL(UserPath::copy_in(unew));
    AtCaller old_at = TRY_SYSCALL(at_caller(olddirfd, oldpath.get()));
    AtCaller new_at = TRY_SYSCALL(at_caller(newdirfd, newpath.get()));
    return vfs_rename(old_at.vfs(), oldpath.get(), new_at.vfs(), newpath.get(), flags).to_syscall_return();
}

long do_linkat(int olddirfd, UserPtr<const char> uold, int newdirfd, UserPtr<const char> unew, int flags) {
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -long(Errno::EINVAL);
    UserPath oldpath = TRY_SYSCALL(UserPath::copy_in(uold));
    UserPath newpath = TRY_SYSCALL(UserPath::copy_in(unew));
    // AT_EMPTY_PATH (linking an open file) needs CAP_DAC_READ_SEARCH; the VFS has no such link
    // operation yet, so an empty name stays ENOENT as for callers without the capability.
    AtCaller old_at = TRY_SYSCALL(at_caller(olddirfd, oldpath.get()));
    AtCaller new_at = TRY_SYSCALL(at_caller(newdirfd, newpath.get()));
    return vfs_link(old_at.vfs(), oldpath.get(), new_at.vfs(), newpath.get(), flags & AT_SYMLINK_FOLLOW)
        .to_syscall_return();
}

long do_symlinkat(UserPtr<const char> utarget, int dirfd, UserPtr<const char> ulink) {
    UserPath target = TRY_SYSCALL(UserPath::copy_in(utarget));
    UserPath link = TRY_SYSCALL(UserPath::copy_in(ulink));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, link.get()));
    return vfs_symlink(at.vfs(), target.get(), link.get()).to_syscall_return();
}

long do_readlinkat(int dirfd, UserPtr<const char> upath, uint64_t ubuf, int bufsiz) {
    if (bufsiz <= 0) return -long(Errno::EINVAL);
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, path.get()));
    size_t size = size_t(bufsiz) < PATH_MAX ? size_t(bufsiz) : PATH_MAX;
    char* buf = static_cast<char*>(kmalloc(size));
    if (!buf) return -long(Errno::ENOMEM);
    Result<size_t> n = vfs_readlink(at.vfs(), path.get(), buf, size);
    long ret = n.to_syscall_return();
    if (n && !copy_to_user(UserPtr<void>(ubuf), buf, n.value())) ret = -long(Errno::EFAULT);
    kfree(buf);
    return ret;
}

}  // namespace

SYSCALL_DEFINE2(mkdir, UserPtr<const char>, path, uint32_t, mode) { return do_mkdirat(AT_FDCWD, path, mode); }
SYSCALL_DEFINE3(mkdirat, int, dirfd, UserPtr<const char>, path, uint32_t, mode) {
    return do_mkdirat(dirfd, path, mode);
}
SYSCALL_DEFINE3(mknod, UserPtr<const char>, path, uint32_t, mode, uint64_t, dev) {
    return do_mknodat(AT_FDCWD, path, mode, dev);
}
SYSCALL_DEFINE4(mknodat, int, dirfd, UserPtr<const char>, path, uint32_t, mode, uint64_t, dev) {
    return do_mknodat(dirfd, path, mode, dev);
}
SYSCALL_DEFINE1(rmdir, UserPtr<const char>, path) { return do_unlinkat(AT_FDCWD, path, AT_REMOVEDIR); }
SYSCALL_DEFINE1(unlink, UserPtr<const char>, path) { return do_unlinkat(AT_FDCWD, path, 0); }
SYSCALL_DEFINE3(unlinkat, int, dirfd, UserPtr<const char>, path, int, flags) {
    return do_unlinkat(dirfd, path, flags);
}
SYSCALL_DEFINE2(rename, UserPtr<const char>, oldpath, UserPtr<const char>, newpath) {
    return do_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}
SYSCALL_DEFINE4(renameat, int, olddirfd, UserPtr<const char>, oldpath, int, newdirfd, UserPtr<const char>, newpath) {
    return do_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}
SYSCALL_DEFINE5(renameat2, int, olddirfd, UserPtr<const char>, oldpath, int, newdirfd, UserPtr<const char>, newpath,
                unsigned, flags) {
    return do_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}
SYSCALL_DEFINE2(link, UserPtr<const char>, oldpath, UserPtr<const char>, newpath) {
    return do_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}
SYSCALL_DEFINE5(linkat, int, olddirfd, UserPtr<const char>, oldpath, int, newdirfd, UserPtr<const char>, newpath,
                int, flags) {
    return do_linkat(olddirfd, oldpath, newdirfd, newpath, flags);
}
SYSCALL_DEFINE2(symlink, UserPtr<const char>, target, UserPtr<const char>, linkpath) {
    return do_symlinkat(target, AT_FDCWD, linkpath);
}
SYSCALL_DEFINE3(symlinkat, UserPtr<const char>, target, int, dirfd, UserPtr<const char>, linkpath) {
    return do_symlinkat(target, dirfd, linkpath);
}
SYSCALL_DEFINE3(readlink, UserPtr<const char>, path, uint64_t, buf, int, bufsiz) {
    return do_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
SYSCALL_DEFINE4(readlinkat, int, dirfd, UserPtr<const char>, path, uint64_t, buf, int, bufsiz) {
    return do_readlinkat(dirfd, path, buf, bufsiz);
}
