// ioctl: the generic descriptor requests here, the rest to the file's own ioctl (vfs_ioctl).
#include <fs/syscall_util.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <syscalls/syscall.hpp>

namespace {
// asm-generic/ioctls.h
constexpr unsigned FIONBIO = 0x5421;
constexpr unsigned FIONCLEX = 0x5450;
constexpr unsigned FIOCLEX = 0x5451;
constexpr unsigned FIOASYNC = 0x5452;
}  // namespace

SYSCALL_DEFINE3(ioctl, int, fd, unsigned, cmd, uint64_t, arg) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EBADF);
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    switch (cmd) {
    case FIOCLEX: return files->set_cloexec(fd, true).to_syscall_return();
    case FIONCLEX: return files->set_cloexec(fd, false).to_syscall_return();
    case FIONBIO:
    case FIOASYNC: {
        int on;
        TRY_SYSCALL(get_user(on, UserPtr<int>(arg)));
        unsigned bit = cmd == FIONBIO ? unsigned(O_NONBLOCK) : unsigned(O_ASYNC);
        if (on) __atomic_fetch_or(&file->flags, bit, __ATOMIC_RELAXED);
        else __atomic_fetch_and(&file->flags, ~bit, __ATOMIC_RELAXED);
        return 0;
    }
    default: return vfs_ioctl(*file, cmd, arg).to_syscall_return();
    }
}
