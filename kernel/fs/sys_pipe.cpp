// pipe, pipe2: two descriptors for the two ends of a new pipe (pipe.hpp).
#include <fs/pipe.hpp>
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <process/cred.hpp>
#include <syscalls/syscall.hpp>

namespace {

long do_pipe2(uint64_t ufds, int flags) {
    FdTable* files = current_files();
    if (!files) return -long(Errno::EMFILE);
    PipeFiles pipe = TRY_SYSCALL(create_pipe_files(flags, *current_cred()));
    bool cloexec = flags & O_CLOEXEC;
    unsigned limit = current_nofile_limit();
    int fds[2];
    fds[0] = TRY_SYSCALL(files->alloc_fd(std::move(pipe.read_end), cloexec, limit));
    Result<int> w = files->alloc_fd(std::move(pipe.write_end), cloexec, limit);
    if (w.is_error()) {
        (void)files->close(fds[0]);
        return -long(w.error());
    }
    fds[1] = w.value();
    // Linux copies out before installing; installing first and undoing on a fault is the same to
    // the caller (another thread could briefly see the descriptors, which is harmless).
    if (!copy_to_user(UserPtr<void>(ufds), fds, sizeof fds)) {
        (void)files->close(fds[0]);
        (void)files->close(fds[1]);
        return -long(Errno::EFAULT);
    }
    return 0;
}

}  // namespace

SYSCALL_DEFINE1(pipe, uint64_t, fds) { return do_pipe2(fds, 0); }
SYSCALL_DEFINE2(pipe2, uint64_t, fds, int, flags) { return do_pipe2(fds, flags); }
