// Attributes: access/faccessat(2), umask, chmod/chown families, truncate, utimensat, fsync, sync.
#include <fs/fs_struct.hpp>
#include <fs/inode.hpp>
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/uapi_stat.hpp>
#include <fs/vfs.hpp>
#include <process/cred.hpp>
#include <syscalls/syscall.hpp>

namespace {

constexpr long UTIME_NOW = (1l << 30) - 1;
constexpr long UTIME_OMIT = (1l << 30) - 2;

struct UserTimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

long do_faccessat(int dirfd, UserPtr<const char> upath, int mode, int flags) {
    if (mode & ~(R_OK | W_OK | X_OK)) return -long(Errno::EINVAL);
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -long(Errno::EINVAL);
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, path.get()));
    return vfs_access(at.vfs(), path.get(), mode, flags).to_syscall_return();
}

// The path an attribute call acts on: followed unless AT_SYMLINK_NOFOLLOW, the dirfd's file itself for
// AT_EMPTY_PATH with "".
Result<Path> attr_path(int dirfd, UserPtr<const char> upath, int flags) {
    UserPath path = TRY(UserPath::copy_in(upath));
    return user_path_at(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, flags);
}

long do_chmod(const Path& path, uint32_t mode) {
    AtCaller at = TRY_SYSCALL(at_caller(AT_FDCWD, "/"));
    return vfs_chmod(at.vfs(), path, mode & S_IALLUGO).to_syscall_return();
}

long do_chown(const Path& path, uint32_t uid, uint32_t gid) {
    AtCaller at = TRY_SYSCALL(at_caller(AT_FDCWD, "/"));
    return vfs_chown(at.vfs(), path, uid, gid).to_syscall_return();
}

long do_fchownat(int dirfd, UserPtr<const char> upath, uint32_t uid, uint32_t gid, int flags) {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -long(Errno::EINVAL);
    return do_chown(TRY_SYSCALL(attr_path(dirfd, upath, flags)), uid, gid);
}

}  // namespace

SYSCALL_DEFINE2(access, UserPtr<const char>, path, int, mode) { return do_faccessat(AT_FDCWD, path, mode, 0); }
SYSCALL_DEFINE3(faccessat, int, dirfd, UserPtr<const char>, path, int, mode) {
    return do_faccessat(dirfd, path, mode, 0);
}
SYSCALL_DEFINE4(faccessat2, int, dirfd, UserPtr<const char>, path, int, mode, int, flags) {
    return do_faccessat(dirfd, path, mode, flags);
}

SYSCALL_DEFINE1(umask, uint32_t, mask) {
    FsStruct* fs = current()->fs;
    if (!fs) return 022;
    return fs->set_umask(mask & S_IRWXUGO);
}

SYSCALL_DEFINE2(chmod, UserPtr<const char>, path, uint32_t, mode) {
    return do_chmod(TRY_SYSCALL(attr_path(AT_FDCWD, path, 0)), mode);
}
SYSCALL_DEFINE3(fchmodat, int, dirfd, UserPtr<const char>, path, uint32_t, mode) {
    return do_chmod(TRY_SYSCALL(attr_path(dirfd, path, 0)), mode);
}
SYSCALL_DEFINE2(fchmod, int, fd, uint32_t, mode) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    return do_chmod(file->path, mode);
}

SYSCALL_DEFINE3(chown, UserPtr<const char>, path, uint32_t, uid, uint32_t, gid) {
    return do_fchownat(AT_FDCWD, path, uid, gid, 0);
}
SYSCALL_DEFINE3(lchown, UserPtr<const char>, path, uint32_t, uid, uint32_t, gid) {
    return do_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}
SYSCALL_DEFINE5(fchownat, int, dirfd, UserPtr<const char>, path, uint32_t, uid, uint32_t, gid, int, flags) {
    return do_fchownat(dirfd, path, uid, gid, flags);
}
SYSCALL_DEFINE3(fchown, int, fd, uint32_t, uid, uint32_t, gid) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    return do_chown(file->path, uid, gid);
}

SYSCALL_DEFINE2(truncate, UserPtr<const char>, upath, int64_t, length) {
    if (length < 0) return -long(Errno::EINVAL);
    Path path = TRY_SYSCALL(attr_path(AT_FDCWD, upath, 0));
    AtCaller at = TRY_SYSCALL(at_caller(AT_FDCWD, "/"));
    return vfs_truncate(at.vfs(), path, length).to_syscall_return();
}

SYSCALL_DEFINE2(ftruncate, int, fd, int64_t, length) {
    if (length < 0) return -long(Errno::EINVAL);
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    return vfs_ftruncate(*file, length, *current_cred()).to_syscall_return();
}

// utimensat: a null path acts on dirfd's file (futimens); null times set both to now. UTIME_NOW in a
// tv_nsec is now, UTIME_OMIT keeps that time (passed down as its current value).
SYSCALL_DEFINE4(utimensat, int, dirfd, UserPtr<const char>, upath, uint64_t, utimes, int, flags) {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -long(Errno::EINVAL);
    UserTimespec times[2];
    bool explicit_times = utimes != 0;
    if (explicit_times) {
        TRY_SYSCALL(copy_from_user(times, UserPtr<const void>(utimes), sizeof times));
        for (const UserTimespec& t : times)
            if (t.tv_nsec != UTIME_NOW && t.tv_nsec != UTIME_OMIT && (t.tv_nsec < 0 || t.tv_nsec > 999999999))
                return -long(Errno::EINVAL);
        if (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW) explicit_times = false;
        else if (times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT) return 0;
    }
    Path path;
    if (upath.is_null()) {
        if (flags & AT_SYMLINK_NOFOLLOW) return -long(Errno::EINVAL);
        if (dirfd == AT_FDCWD) return -long(Errno::EFAULT);
        path = TRY_SYSCALL(fdget(dirfd))->path;
    } else {
        path = TRY_SYSCALL(attr_path(dirfd, upath, flags));
    }
    AtCaller at = TRY_SYSCALL(at_caller(AT_FDCWD, "/"));
    if (!explicit_times) return vfs_utimes(at.vfs(), path, nullptr, nullptr).to_syscall_return();
    Kstat now_attrs = vfs_getattr(path);
    Timespec64 now = current_time();
    Timespec64 set[2];
    for (int i = 0; i < 2; i++) {
        if (times[i].tv_nsec == UTIME_NOW) set[i] = now;
        else if (times[i].tv_nsec == UTIME_OMIT) set[i] = i == 0 ? now_attrs.atime : now_attrs.mtime;
        else set[i] = Timespec64{times[i].tv_sec, long(times[i].tv_nsec)};
    }
    return vfs_utimes(at.vfs(), path, &set[0], &set[1]).to_syscall_return();
}

SYSCALL_DEFINE1(fsync, int, fd) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (!file->f_op || !file->f_op->fsync) return -long(Errno::EINVAL);
    return file->f_op->fsync(file.get()).to_syscall_return();
}

SYSCALL_DEFINE1(fdatasync, int, fd) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (!file->f_op || !file->f_op->fsync) return -long(Errno::EINVAL);
    return file->f_op->fsync(file.get()).to_syscall_return();
}

// Every file system Tern has keeps its data in memory only: there is nothing to write back.
SYSCALL_DEFINE0(sync) { return 0; }
