// dup, dup2, dup3, fcntl: the descriptor table's operations (FdTable) and the open file's status flags.
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <syscalls/syscall.hpp>

SYSCALL_DEFINE1(dup, int, oldfd) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EBADF);
    return files->dup(oldfd, current_nofile_limit()).to_syscall_return();
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EBADF);
    return files->dup2(oldfd, newfd, current_nofile_limit()).to_syscall_return();
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EBADF);
    return files->dup3(oldfd, newfd, flags, current_nofile_limit()).to_syscall_return();
}

// F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL; the other commands (locks, leases,
// owners, pipe sizes, seals) are not implemented: EINVAL, as Linux answers commands it does not know.
SYSCALL_DEFINE3(fcntl, int, fd, int, cmd, uint64_t, arg) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EBADF);
    RefPtr<File> file = TRY_SYSCALL(files->get(fd));
    bool path_only = file->fmode & FMODE_PATH;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        // The lowest descriptor wanted, taken as unsigned long: at or beyond the ceiling is EINVAL.
        if (arg >= current_nofile_limit()) return -long(Errno::EINVAL);
        return files->dupfd_min(fd, int(arg), cmd == F_DUPFD_CLOEXEC, current_nofile_limit()).to_syscall_return();
    case F_GETFD: return TRY_SYSCALL(files->get_cloexec(fd)) ? FD_CLOEXEC : 0;
    case F_SETFD: return files->set_cloexec(fd, arg & FD_CLOEXEC).to_syscall_return();
    case F_GETFL: return long(file->flags);
    case F_SETFL: {
        if (path_only) return -long(Errno::EBADF);
        // O_APPEND cannot be cleared on an append-only inode (no such inodes yet); O_DIRECT needs
        // support from the file system, which tmpfs does not give (Linux: EINVAL).
        if ((arg & O_DIRECT) && !(file->flags & O_DIRECT)) return -long(Errno::EINVAL);
        unsigned mask = unsigned(kSetflMask);
        unsigned flags = file->flags;
        __atomic_store_n(&file->flags, (unsigned(arg) & mask) | (flags & ~mask), __ATOMIC_RELAXED);
        return 0;
    }
    default: return path_only ? -long(Errno::EBADF) : -long(Errno::EINVAL);
    }
}
