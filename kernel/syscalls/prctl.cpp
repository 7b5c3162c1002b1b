// prctl(2): the operations on the calling thread that need no other subsystem. PR_SET_NAME/PR_GET_NAME
// (the thread's comm: ps, top, /proc/<pid>/comm, pthread_setname_np); any other option is EINVAL, as
// Linux answers options it does not know, so callers fall back.
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

namespace {
constexpr int PR_SET_NAME = 15, PR_GET_NAME = 16;
}  // namespace

SYSCALL_DEFINE5(prctl, int, option, uint64_t, arg2, uint64_t, arg3, uint64_t, arg4, uint64_t, arg5) {
    (void)arg3, (void)arg4, (void)arg5;
    Task* t = current();
    switch (option) {
    case PR_SET_NAME: {
        char name[TASK_COMM_LEN];
        Result<size_t> n = strncpy_from_user(name, UserPtr<const char>(arg2), sizeof name);
        if (n.is_error() && n.error() != Errno::ENAMETOOLONG) return -long(n.error());
        name[sizeof name - 1] = 0;  // longer names are cut, as in Linux
        set_task_comm(t, name);
        return 0;
    }
    case PR_GET_NAME: {
        char name[TASK_COMM_LEN];
        strlcpy(name, t->comm, sizeof name);
        return copy_to_user(UserPtr<void>(arg2), name, sizeof name).to_syscall_return();
    }
    default: return -long(Errno::EINVAL);
    }
}
