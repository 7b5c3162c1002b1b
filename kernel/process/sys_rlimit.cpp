// getrlimit, setrlimit, prlimit64.
#include <lib/uaccess.hpp>
#include <process/cred.hpp>
#include <process/process_internal.hpp>
#include <process/rlimit.hpp>
#include <sched/pid.hpp>
#include <syscalls/syscall.hpp>

namespace {

// prlimit64 on another process: the caller's real uid must be the target's real, effective and saved
// uid, and likewise for gids; or the caller is root (CAP_SYS_RESOURCE).
bool may_prlimit(const Task* target) {
    const Credentials* me = current_cred();
    const Credentials* them = task_cred(target);
    if (me->euid == 0) return true;
    return me->uid == them->uid && me->uid == them->euid && me->uid == them->suid && me->gid == them->gid &&
           me->gid == them->egid && me->gid == them->sgid;
}

}  // namespace

SYSCALL_DEFINE2(getrlimit, unsigned, resource, UserPtr<Rlimit>, rlim) {
    Rlimit value;
    Result<void> r = do_prlimit(current(), int(resource), nullptr, &value);
    if (r.is_error()) return r.to_syscall_return();
    return put_user(value, rlim).to_syscall_return();
}

SYSCALL_DEFINE2(setrlimit, unsigned, resource, UserPtr<const Rlimit>, rlim) {
    Rlimit value;
    if (copy_from_user(&value, rlim.cast<const void>(), sizeof value).is_error()) return -long(Errno::EFAULT);
    return do_prlimit(current(), int(resource), &value, nullptr).to_syscall_return();
}

SYSCALL_DEFINE4(prlimit64, int, pid, unsigned, resource, UserPtr<const Rlimit>, new_rlim, UserPtr<Rlimit>, old_rlim) {
    Rlimit requested, old;
    if (!new_rlim.is_null() && copy_from_user(&requested, new_rlim.cast<const void>(), sizeof requested).is_error())
        return -long(Errno::EFAULT);
    Task* target;
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        target = pid ? find_task_by_pid(pid) : current();
        if (!target) return -long(Errno::ESRCH);
        if (!same_thread_group(target, current()) && !may_prlimit(target)) return -long(Errno::EPERM);
        get_task_struct(target);
    }
    Result<void> r = do_prlimit(target, int(resource), new_rlim.is_null() ? nullptr : &requested,
                                old_rlim.is_null() ? nullptr : &old);
    put_task_struct(target);
    if (r.is_error()) return r.to_syscall_return();
    if (!old_rlim.is_null() && put_user(old, old_rlim).is_error()) return -long(Errno::EFAULT);
    return 0;
}
