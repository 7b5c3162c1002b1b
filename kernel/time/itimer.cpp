// Interval timers: see itimer.hpp.
#include <lib/uaccess.hpp>
#include <sched/pid.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>
#include <syscalls/syscall.hpp>
#include <time/itimer.hpp>
#include <time/jiffies.hpp>
#include <time/tick.hpp>

namespace {

struct UserTimeval {
    int64_t tv_sec;
    int64_t tv_usec;
};
struct UserItimerval {
    UserTimeval it_interval;
    UserTimeval it_value;
};

constexpr uint64_t kNsPerUs = 1000, kUsPerSec = 1000000;

// Ticks from now until `ns` have surely passed: the current tick is partly gone, so one more.
uint64_t ns_to_timeout_ticks(uint64_t ns) { return (ns + TICK_NSEC - 1) / TICK_NSEC + 1; }

// Sends `sig` to the process `signal` belongs to (any of its threads takes it). Tick context.
void signal_process(SignalStruct* signal, int sig) {
    KernelSigInfo info;
    info.signo = sig;
    info.code = SI_KERNEL;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    if (signal->thread_head.empty()) return;  // exiting
    (void)group_send_sig_info(sig, info, signal->thread_head.front());  // fails only for an exiting group
}

void real_timer_fired(KernelTimer* timer) {
    auto* signal = static_cast<SignalStruct*>(timer->data);
    ProcessItimers& it = signal->itimers;
    {
        SpinLockIrqSaveGuard guard(it.lock);
        if (it.dead) return;
        // Pending again: a setitimer() re-armed it while this callback waited for the lock, and its
        // setting wins. Otherwise reload with the interval.
        if (it.real_incr_ns && !timer_pending(it.real))
            mod_timer(it.real, jiffies + ns_to_timeout_ticks(it.real_incr_ns));
    }
    signal_process(signal, SIGALRM);
}

// Lock held.
uint64_t real_remaining_ns(ProcessItimers& it) {
    if (!it.real_ready || !timer_pending(it.real)) return 0;
    int64_t left = int64_t(it.real.expires - jiffies);
    // Linux never reports an armed timer as 0 (that would read as disarmed): at least 1 us.
    return left > 0 ? uint64_t(left) * TICK_NSEC : kNsPerUs;
}

bool valid_timeval(const UserTimeval& tv) {
    return tv.tv_sec >= 0 && tv.tv_usec >= 0 && uint64_t(tv.tv_usec) < kUsPerSec;
}
uint64_t timeval_to_ns(const UserTimeval& tv) {
    constexpr uint64_t kMaxSec = UINT64_MAX / 1000000000ull - 1;
    uint64_t sec = uint64_t(tv.tv_sec) > kMaxSec ? kMaxSec : uint64_t(tv.tv_sec);
    return sec * 1000000000ull + uint64_t(tv.tv_usec) * kNsPerUs;
}
// Rounded up to whole microseconds, as Linux reports a timer's remainder.
UserTimeval ns_to_timeval(uint64_t ns) {
    uint64_t us = (ns + kNsPerUs - 1) / kNsPerUs;
    return {int64_t(us / kUsPerSec), int64_t(us % kUsPerSec)};
}
UserItimerval to_user(const ItimerSpec& s) { return {ns_to_timeval(s.interval_ns), ns_to_timeval(s.value_ns)}; }

}  // namespace

int do_getitimer(Task* task, int which, ItimerSpec& out) {
    if (which < kItimerReal || which > kItimerProf) return -int(Errno::EINVAL);
    ProcessItimers& it = task->signal->itimers;
    SpinLockIrqSaveGuard guard(it.lock);
    if (which == kItimerReal) {
        out.value_ns = real_remaining_ns(it);
        out.interval_ns = it.real_incr_ns;
    } else {
        const CpuItimer& c = it.cpu[which - kItimerVirtual];
        out.value_ns = c.value_ns;
        out.interval_ns = c.incr_ns;
    }
    return 0;
}

int do_setitimer(Task* task, int which, const ItimerSpec& value, ItimerSpec* old) {
    if (which < kItimerReal || which > kItimerProf) return -int(Errno::EINVAL);
    SignalStruct* signal = task->signal;
    ProcessItimers& it = signal->itimers;
    SpinLockIrqSaveGuard guard(it.lock);
    if (which != kItimerReal) {
        CpuItimer& c = it.cpu[which - kItimerVirtual];
        if (old) *old = {c.value_ns, c.incr_ns};
        c.value_ns = value.value_ns;
        c.incr_ns = value.value_ns ? value.interval_ns : 0;
        return 0;
    }
    if (!it.real_ready) {
        timer_setup(it.real, real_timer_fired, signal);
        it.real_ready = true;
    }
    if (old) *old = {real_remaining_ns(it), it.real_incr_ns};
    del_timer(it.real);
    it.real_incr_ns = value.value_ns ? value.interval_ns : 0;
    if (value.value_ns) mod_timer(it.real, jiffies + ns_to_timeout_ticks(value.value_ns));
    return 0;
}

void itimer_account_tick(Task* task, bool user) {
    SignalStruct* signal = task->signal;
    if (!signal) return;  // a kernel thread
    ProcessItimers& it = signal->itimers;
    // Every tick passes here: without an armed CPU timer (the usual case) no lock is taken. A racing
    // setitimer() is seen from the next tick on.
    if (!__atomic_load_n(&it.cpu[0].value_ns, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&it.cpu[1].value_ns, __ATOMIC_RELAXED))
        return;
    int fire[2] = {0, 0};
    {
        SpinLockGuard guard(it.lock);
        for (int i = 0; i < 2; i++) {
            CpuItimer& c = it.cpu[i];
            if (!c.value_ns || (i == 0 && !user)) continue;  // VIRTUAL counts user time only
            if (c.value_ns > TICK_NSEC) {
                c.value_ns -= TICK_NSEC;
                continue;
            }
            c.value_ns = c.incr_ns;  // reload (0: one-shot, now disarmed)
            fire[i] = i == 0 ? SIGVTALRM : SIGPROF;
        }
    }
    for (int sig : fire)
        if (sig) signal_process(signal, sig);
}

void exit_itimers(SignalStruct* signal) {
    ProcessItimers& it = signal->itimers;
    {
        SpinLockIrqSaveGuard guard(it.lock);
        it.dead = true;
        it.cpu[0] = it.cpu[1] = CpuItimer{};
        if (!it.real_ready) return;
    }
    del_timer_sync(it.real);
}

SYSCALL_DEFINE2(getitimer, int, which, UserPtr<UserItimerval>, value) {
    ItimerSpec spec;
    int err = do_getitimer(current(), which, spec);
    if (err) return err;
    if (put_user(to_user(spec), value).is_error()) return -long(Errno::EFAULT);
    return 0;
}

// A null `value` disarms (Linux accepts it, with a deprecation warning).
SYSCALL_DEFINE3(setitimer, int, which, UserPtr<UserItimerval>, value, UserPtr<UserItimerval>, ovalue) {
    UserItimerval in{};
    if (!value.is_null() && get_user(in, value).is_error()) return -long(Errno::EFAULT);
    if (!valid_timeval(in.it_value) || !valid_timeval(in.it_interval)) return -long(Errno::EINVAL);
    ItimerSpec spec{timeval_to_ns(in.it_value), timeval_to_ns(in.it_interval)};
    ItimerSpec old;
    int err = do_setitimer(current(), which, spec, ovalue.is_null() ? nullptr : &old);
    if (err) return err;
    if (!ovalue.is_null() && put_user(to_user(old), ovalue).is_error()) return -long(Errno::EFAULT);
    return 0;
}

// alarm(2): ITIMER_REAL in whole seconds, one-shot; returns the seconds that were left (rounded to the
// nearest, but never 0 for an armed timer).
SYSCALL_DEFINE1(alarm, unsigned, seconds) {
    ItimerSpec spec{uint64_t(seconds) * 1000000000ull, 0};
    ItimerSpec old;
    do_setitimer(current(), kItimerReal, spec, &old);
    uint64_t us = (old.value_ns + kNsPerUs - 1) / kNsPerUs;
    uint64_t sec = us / kUsPerSec;
    if (us % kUsPerSec >= kUsPerSec / 2 || (sec == 0 && us)) sec++;
    return long(sec);
}
