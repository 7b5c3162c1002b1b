// stat, lstat, fstat, newfstatat, statx, statfs, fstatfs.
#include <fs/syscall_util.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/uapi_stat.hpp>
#include <fs/vfs.hpp>
#include <syscalls/syscall.hpp>

namespace {

constexpr int AT_STATX_SYNC_TYPE = 0x6000;

long put_stat(const Kstat& k, uint64_t ubuf) {
    LinuxStat st;
    fill_linux_stat(k, st);
    return copy_to_user(UserPtr<void>(ubuf), &st, sizeof st).to_syscall_return();
}

Result<Kstat> stat_at(int dirfd, UserPtr<const char> upath, int flags) {
    UserPath path = TRY(UserPath::copy_in(upath));
    if (path.empty() && (flags & AT_EMPTY_PATH)) return vfs_getattr(TRY(path_at_empty(dirfd)));
    AtCaller at = TRY(at_caller(dirfd, path.get()));
    return vfs_stat(at.vfs(), path.get(), flags & AT_SYMLINK_NOFOLLOW);
}

long put_statfs(const Path& path, uint64_t ubuf) {
    LinuxStatfs st = TRY_SYSCALL(vfs_statfs(path));
    return copy_to_user(UserPtr<void>(ubuf), &st, sizeof st).to_syscall_return();
}

}  // namespace

SYSCALL_DEFINE2(stat, UserPtr<const char>, path, uint64_t, buf) {
    return put_stat(TRY_SYSCALL(stat_at(AT_FDCWD, path, 0)), buf);
}

SYSCALL_DEFINE2(lstat, UserPtr<const char>, path, uint64_t, buf) {
    return put_stat(TRY_SYSCALL(stat_at(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW)), buf);
}

SYSCALL_DEFINE2(fstat, int, fd, uint64_t, buf) {
    RefPtr<File> file = TRY_SYSCALL(fdget(fd));
    return put_stat(vfs_fstat(*file), buf);
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, UserPtr<const char>, path, uint64_t, buf, int, flags) {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) return -long(Errno::EINVAL);
    return put_stat(TRY_SYSCALL(stat_at(dirfd, path, flags)), buf);
}

SYSCALL_DEFINE5(statx, int, dirfd, UserPtr<const char>, path, int, flags, uint32_t, mask, uint64_t, buf) {
    if (mask & STATX__RESERVED) return -long(Errno::EINVAL);
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
        return -long(Errno::EINVAL);
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) return -long(Errno::EINVAL);
    Kstat k = TRY_SYSCALL(stat_at(dirfd, path, flags));
    LinuxStatx stx;
    fill_linux_statx(k, mask, stx);
    return copy_to_user(UserPtr<void>(buf), &stx, sizeof stx).to_syscall_return();
}

SYSCALL_DEFINE2(statfs, UserPtr<const char>, upath, uint64_t, buf) {
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    Path found = TRY_SYSCALL(user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, 0));
    return put_statfs(found, buf);
}

SYSCALL_DEFINE2(fstatfs, int, fd, uint64_t, buf) {
    RefPtr<File> file = TRY_SYSCALL(fdget(fd));
    return put_statfs(file->path, buf);
}
