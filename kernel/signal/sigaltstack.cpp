// The alternate signal stack (sigaltstack(2)): where handlers with SA_ONSTACK run, so that a handler for
// a stack overflow's SIGSEGV has a stack to run on.
#include <lib/uaccess.hpp>
#include <signal/internal.hpp>

bool on_sig_stack(const Task* t, uint64_t sp) {
    // The stack grows down from sas_ss_sp + sas_ss_size; sp == top means "just switched to it, empty".
    const TaskSignals& s = t->signals;
    if (s.sas_ss_flags & SS_DISABLE) return false;
    return sp > s.sas_ss_sp && sp - s.sas_ss_sp <= s.sas_ss_size;
}

long do_sigaltstack(uint64_t uss, uint64_t uoss, uint64_t user_sp) {
    Task* t = current();
    TaskSignals& s = t->signals;
    UserStack old{};
    old.ss_sp = s.sas_ss_sp;
    old.ss_size = s.sas_ss_size;
    if (s.sas_ss_flags & SS_DISABLE) old.ss_flags = SS_DISABLE;
    else old.ss_flags = int32_t((on_sig_stack(t, user_sp) ? SS_ONSTACK : 0) | (s.sas_ss_flags & SS_AUTODISARM));

    if (uss) {
        UserStack ss;
        if (Result<void> r = copy_from_user(&ss, UserPtr<const void>(uss), sizeof ss); !r) return -long(r.error());
        // The stack in use cannot be changed under the handler running on it.
        if (on_sig_stack(t, user_sp)) return -long(Errno::EPERM);
        uint32_t flags = uint32_t(ss.ss_flags);
        uint32_t mode = flags & ~SS_AUTODISARM;
        if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) return -long(Errno::EINVAL);
        if (mode == SS_DISABLE) {
            s.sas_ss_sp = s.sas_ss_size = 0;
            s.sas_ss_flags = SS_DISABLE;
        } else {
            if (ss.ss_size < MINSIGSTKSZ) return -long(Errno::ENOMEM);
            s.sas_ss_sp = ss.ss_sp;
            s.sas_ss_size = ss.ss_size;
            s.sas_ss_flags = flags & SS_AUTODISARM;
        }
    }
    if (uoss) {
        if (Result<void> r = copy_to_user(UserPtr<void>(uoss), &old, sizeof old); !r) return -long(r.error());
    }
    return 0;
}
