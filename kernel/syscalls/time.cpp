// Clocks and sleeping: clock_gettime/getres, gettimeofday, time, nanosleep, clock_nanosleep.
//
// CLOCK_MONOTONIC and CLOCK_BOOTTIME are the clock source's time since boot (Tern does not suspend, so
// they are equal); CLOCK_REALTIME adds the wall-clock offset timekeeping keeps. The CPU-time clocks come
// from the scheduler's accounting. Sleeps wait on the periodic tick (schedule_timeout), so they last at
// least the time asked for and end on a tick (4 ms at HZ=250).
#include <lib/uaccess.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <signal/restart.hpp>
#include <signal/signal_struct.hpp>
#include <signal/internal.hpp>
#include <syscalls/syscall.hpp>
#include <time/clocksource_api.hpp>
#include <time/jiffies.hpp>

namespace {

constexpr int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
              CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
              CLOCK_TAI = 11;
constexpr int TIMER_ABSTIME = 1;
constexpr int64_t kNsecPerSec = 1000000000;
constexpr int64_t kTickNsec = kNsecPerSec / HZ;

struct UserTimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};
struct UserTimeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

UserTimespec to_timespec(int64_t ns) { return {ns / kNsecPerSec, ns % kNsecPerSec}; }

int64_t realtime_ns() {
    Timespec64 ts = ktime_get_real_ts64();
    return ts.tv_sec * kNsecPerSec + ts.tv_nsec;
}

int64_t thread_cputime_ns(const Task* t) { return int64_t(t->se.sum_exec_runtime); }

int64_t process_cputime_ns(Task* t) {
    if (!t->sighand || !t->signal) return thread_cputime_ns(t);
    SiglockGuard guard(t->sighand);
    int64_t sum = 0;
    for (Task& thread : t->signal->thread_head) sum += thread_cputime_ns(&thread);
    return sum;
}

// The clock's current value in ns, or false for an unknown clock.
bool read_clock(int clock, int64_t& ns) {
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI: ns = realtime_ns(); return true;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME: ns = int64_t(ktime_get_ns()); return true;
    case CLOCK_PROCESS_CPUTIME_ID: ns = process_cputime_ns(current()); return true;
    case CLOCK_THREAD_CPUTIME_ID: ns = thread_cputime_ns(current()); return true;
    default: return false;
    }
}

bool valid_timespec(const UserTimespec& ts) { return ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < kNsecPerSec; }

// Sleeps until the clock (MONOTONIC or REALTIME) reaches `deadline`. 0 when reached, ERESTART_RESTARTBLOCK
// (relative sleeps) or ERESTARTNOHAND (absolute ones, which simply restart) when a signal came first.
long sleep_until(int clock, int64_t deadline, bool absolute) {
    for (;;) {
        int64_t now;
        read_clock(clock, now);
        if (now >= deadline) return 0;
        if (signal_pending(current())) return -long(absolute ? ERESTARTNOHAND : ERESTART_RESTARTBLOCK);
        // Whole ticks, rounded up, plus one: the current tick is already partly over.
        long ticks = long((deadline - now + kTickNsec - 1) / kTickNsec) + 1;
        schedule_timeout_interruptible(ticks);
    }
}

// restart_syscall(2) for an interrupted relative sleep: continue to the same deadline.
long nanosleep_restart(RestartBlock* restart) {
    int clock = int(restart->arg[0]);
    int64_t deadline = int64_t(restart->arg[1]);
    uint64_t urem = restart->arg[2];
    long ret = sleep_until(clock, deadline, false);
    if (ret == -long(ERESTART_RESTARTBLOCK) && urem) {
        int64_t now;
        read_clock(clock, now);
        UserTimespec rem = to_timespec(deadline > now ? deadline - now : 0);
        if (!copy_to_user(UserPtr<void>(urem), &rem, sizeof rem)) return -long(Errno::EFAULT);
    }
    return ret;
}

long do_nanosleep(int clock, const UserTimespec& req, bool absolute, uint64_t urem) {
    int64_t ns = req.tv_sec > INT64_MAX / kNsecPerSec - 1 ? INT64_MAX / 2 : req.tv_sec * kNsecPerSec + req.tv_nsec;
    int64_t now;
    read_clock(clock, now);
    int64_t deadline = absolute ? ns : now + ns;
    long ret = sleep_until(clock, deadline, absolute);
    if (ret == -long(ERESTART_RESTARTBLOCK)) {
        RestartBlock& restart = current()->signals.restart;
        restart.fn = nanosleep_restart;
        restart.arg[0] = uint64_t(clock);
        restart.arg[1] = uint64_t(deadline);
        restart.arg[2] = urem;
        if (urem) {
            read_clock(clock, now);
            UserTimespec rem = to_timespec(deadline > now ? deadline - now : 0);
            if (!copy_to_user(UserPtr<void>(urem), &rem, sizeof rem)) return -long(Errno::EFAULT);
        }
    }
    return ret;
}

}  // namespace

SYSCALL_DEFINE2(clock_gettime, int, clock, uint64_t, utp) {
    int64_t ns;
    if (!read_clock(clock, ns)) return -long(Errno::EINVAL);
    UserTimespec ts = to_timespec(ns);
    return copy_to_user(UserPtr<void>(utp), &ts, sizeof ts).to_syscall_return();
}

SYSCALL_DEFINE2(clock_getres, int, clock, uint64_t, utp) {
    int64_t ignored;
    if (!read_clock(clock, ignored)) return -long(Errno::EINVAL);
    if (!utp) return 0;
    bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
    UserTimespec ts = to_timespec(coarse ? kTickNsec : 1);
    return copy_to_user(UserPtr<void>(utp), &ts, sizeof ts).to_syscall_return();
}

SYSCALL_DEFINE2(gettimeofday, uint64_t, utv, uint64_t, utz) {
    if (utv) {
        int64_t ns = realtime_ns();
        UserTimeval tv{ns / kNsecPerSec, ns % kNsecPerSec / 1000};
        TRY_SYSCALL(copy_to_user(UserPtr<void>(utv), &tv, sizeof tv));
    }
    if (utz) {
        struct { int32_t minuteswest, dsttime; } tz{0, 0};  // UTC, as Linux reports unless told otherwise
        TRY_SYSCALL(copy_to_user(UserPtr<void>(utz), &tz, sizeof tz));
    }
    return 0;
}

SYSCALL_DEFINE1(time, uint64_t, utloc) {
    int64_t seconds = realtime_ns() / kNsecPerSec;
    if (utloc) TRY_SYSCALL(put_user(seconds, UserPtr<int64_t>(utloc)));
    return seconds;
}

SYSCALL_DEFINE2(nanosleep, uint64_t, ureq, uint64_t, urem) {
    UserTimespec req;
    TRY_SYSCALL(copy_from_user(&req, UserPtr<const void>(ureq), sizeof req));
    if (!valid_timespec(req)) return -long(Errno::EINVAL);
    return do_nanosleep(CLOCK_MONOTONIC, req, false, urem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, uint64_t, ureq, uint64_t, urem) {
    if (clock == CLOCK_THREAD_CPUTIME_ID) return -long(Errno::EINVAL);
    int64_t ignored;
    if (!read_clock(clock, ignored)) return -long(Errno::EINVAL);
    // Sleeping on a CPU-time clock would need CPU-timer support: Linux's answer without it.
    if (clock == CLOCK_PROCESS_CPUTIME_ID) return -long(Errno::EOPNOTSUPP);
    UserTimespec req;
    TRY_SYSCALL(copy_from_user(&req, UserPtr<const void>(ureq), sizeof req));
    if (!valid_timespec(req)) return -long(Errno::EINVAL);
    bool absolute = flags & TIMER_ABSTIME;
    return do_nanosleep(clock, req, absolute, absolute ? 0 : urem);
}
