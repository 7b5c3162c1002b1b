// open, openat, creat, close, close_range: descriptors for files (vfs_open) and letting go of them.
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/uapi_stat.hpp>
#include <fs/vfs.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {

// close_range flags (linux/close_range.h).
constexpr unsigned kCloseRangeUnshare = 1u << 1;
constexpr unsigned kCloseRangeCloexec = 1u << 2;

long do_sys_open(int dirfd, UserPtr<const char> upath, int flags, uint32_t mode) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EMFILE);
    UserPath path = TRY_SYSCALL(UserPath::copy_in(upath));
    AtCaller at = TRY_SYSCALL(at_caller(dirfd, path.get()));
    // As on every 64-bit Linux, files are always opened with large-file support; the mode only
    // matters when the call may create a file.
    flags |= O_LARGEFILE;
    if (!(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE) mode = 0;
    RefPtr<File> file = TRY_SYSCALL(vfs_open(at.vfs(), path.get(), flags, mode & S_IALLUGO));
    return files->alloc_fd(std::move(file), flags & O_CLOEXEC, current_nofile_limit()).to_syscall_return();
}

}  // namespace

SYSCALL_DEFINE3(open, UserPtr<const char>, path, int, flags, uint32_t, mode) {
    return do_sys_open(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dirfd, UserPtr<const char>, path, int, flags, uint32_t, mode) {
    return do_sys_open(dirfd, path, flags, mode);
}

SYSCALL_DEFINE2(creat, UserPtr<const char>, path, uint32_t, mode) {
    return do_sys_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE1(close, int, fd) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EBADF);
    return files->close(fd).to_syscall_return();
}

SYSCALL_DEFINE3(close_range, unsigned, first, unsigned, last, unsigned, flags) {
    if (flags & ~(kCloseRangeUnshare | kCloseRangeCloexec)) return -long(Errno::EINVAL);
    if (first > last) return -long(Errno::EINVAL);
    Task* self = current();
    if (!self->files) return 0;
    if ((flags & kCloseRangeUnshare) && self->files->ref_count() > 1) {
        // A private copy first, so that the other sharers keep their descriptors.
        RefPtr<FdTable> copy = TRY_SYSCALL(self->files->fork_copy());
        FdTable* old;
        {
            SpinLockIrqSaveGuard guard(self->alloc_lock);  // /proc readers (task_files.hpp)
            old = self->files;
            self->files = copy.leak_ref();
        }
        old->unref();
    }
    self->files->close_range(first, last, flags & kCloseRangeCloexec);
    return 0;
}
