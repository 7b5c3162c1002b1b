// poll, ppoll, select, pselect6: waiting for several descriptors at once (PollWaits, vfs_poll).
//
// Signals end a wait with ERESTARTNOHAND (EINTR when a handler runs, a restart otherwise); poll with a
// timeout uses ERESTART_RESTARTBLOCK to continue to the same deadline, as Linux does. ppoll and
// pselect6 swap in the caller's signal mask for the wait; the old one comes back on return, or after
// the handler when a signal interrupted the wait (TaskSignals::restore_sigmask). select, pselect6 and
// ppoll write the time left back into the caller's timeout, as Linux does.
#include <fs/poll_wait.hpp>
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/vfs.hpp>
#include <mm/slab.hpp>
#include <signal/restart.hpp>
#include <syscalls/syscall.hpp>
#include <time/clocksource_api.hpp>

namespace {

constexpr int64_t kNsecPerSec = 1000000000;

struct PollFd {
    int fd;
    short events;
    short revents;
};

struct UserTimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct UserTimeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

// The events of one descriptor now (POLLNVAL for a closed one), limited to those asked for plus
// POLLERR and POLLHUP, which are always reported.
unsigned poll_one(const PollFd& p, PollTable* table) {
    if (p.fd < 0) return 0;
    Result<RefPtr<File>> file = fdget(p.fd);
    if (file.is_error()) return POLLNVAL;
    unsigned mask = vfs_poll(*file.value(), table);
    return mask & (unsigned(uint16_t(p.events)) | POLLERR | POLLHUP);
}

long do_poll(PollFd* fds, size_t nfds, int64_t deadline) {
    PollWaits waits;
    PollTable* table = deadline == kPollNoWait ? nullptr : waits.table();
    bool timed_out = deadline == kPollNoWait;
    long count = 0;
    for (;;) {
        for (size_t i = 0; i < nfds; i++) {
            unsigned mask = poll_one(fds[i], table);
            fds[i].revents = short(mask);
            if (mask) {
                count++;
                table = nullptr;  // one ready descriptor: nothing more to wait for
            }
        }
        table = nullptr;  // the first round queued the poller on everything
        if (!count) {
            if (waits.error()) count = -long(waits.error());
            else if (signal_pending(current())) count = -long(ERESTARTNOHAND);
        }
        if (count || timed_out) return count;
        timed_out = !waits.schedule(deadline);
    }
}

long do_sys_poll(uint64_t ufds, uint64_t nfds, int64_t deadline) {
    if (nfds > current_nofile_limit()) return -long(Errno::EINVAL);
    size_t bytes = size_t(nfds) * sizeof(PollFd);
    PollFd* fds = static_cast<PollFd*>(kmalloc(bytes ? bytes : 1));
    if (!fds) return -long(Errno::ENOMEM);
    long ret;
    if (!copy_from_user(fds, UserPtr<const void>(ufds), bytes)) {
        ret = -long(Errno::EFAULT);
    } else {
        ret = do_poll(fds, size_t(nfds), deadline);
        // Every revents goes back, also after an interruption (they are all 0 then).
        for (size_t i = 0; i < nfds; i++) {
            if (!put_user(fds[i].revents, UserPtr<short>(ufds + i * sizeof(PollFd) + offsetof(PollFd, revents)))) {
                ret = -long(Errno::EFAULT);
                break;
            }
        }
    }
    kfree(fds);
    return ret;
}

long poll_restart(RestartBlock* restart);

long poll_with_restart(uint64_t ufds, uint64_t nfds, int64_t deadline) {
    long ret = do_sys_poll(ufds, nfds, deadline);
    if (ret == -long(ERESTARTNOHAND) && deadline != kPollForever) {
        RestartBlock& restart = current()->signals.restart;
        restart.fn = poll_restart;
        restart.arg[0] = ufds;
        restart.arg[1] = nfds;
        restart.arg[2] = uint64_t(deadline);
        ret = -long(ERESTART_RESTARTBLOCK);
    }
    return ret;
}

long poll_restart(RestartBlock* restart) {
    return poll_with_restart(restart->arg[0], restart->arg[1], int64_t(restart->arg[2]));
}

Result<int64_t> timespec_deadline(uint64_t uts) {
    if (!uts) return kPollForever;
    UserTimespec ts;
    TRY(copy_from_user(&ts, UserPtr<const void>(uts), sizeof ts));
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= kNsecPerSec) return Errno::EINVAL;
    if (ts.tv_sec >= INT64_MAX / kNsecPerSec - 1) return kPollForever;
    return poll_deadline_after(ts.tv_sec * kNsecPerSec + ts.tv_nsec);
}

// The time left until `deadline`, written back in the caller's format (timeval: select). A zero timeout
// stays as it is; a failed write is ignored (the timeout may be read-only), and an interrupted call
// then returns EINTR rather than restarting with the old timeout (Linux's "sticky" case).
long finish_timeout(uint64_t utimeout, int64_t deadline, bool timeval, long ret) {
    if (!utimeout || deadline == kPollForever || deadline == kPollNoWait) return ret;
    int64_t left = deadline - int64_t(ktime_get_ns());
    if (left < 0) left = 0;
    bool ok;
    if (timeval) {
        UserTimeval tv{left / kNsecPerSec, (left % kNsecPerSec) / 1000};
        ok = bool(copy_to_user(UserPtr<void>(utimeout), &tv, sizeof tv));
    } else {
        UserTimespec ts{left / kNsecPerSec, left % kNsecPerSec};
        ok = bool(copy_to_user(UserPtr<void>(utimeout), &ts, sizeof ts));
    }
    if (!ok && ret == -long(ERESTARTNOHAND)) ret = -long(Errno::EINTR);
    return ret;
}

// ppoll/pselect6's temporary signal mask. Returns 0 or -errno.
long set_user_sigmask(uint64_t umask, uint64_t sigsetsize) {
    if (!umask) return 0;
    if (sigsetsize != sizeof(uint64_t)) return -long(Errno::EINVAL);
    uint64_t bits;
    TRY_SYSCALL(get_user(bits, UserPtr<uint64_t>(umask)));
    Task* t = current();
    t->signals.saved_sigmask = t->signals.blocked;
    t->signals.restore_sigmask = true;
    set_current_blocked(SigSet{bits});
    return 0;
}

// Linux's restore_saved_sigmask_unless(): an interrupted wait keeps the temporary mask until the
// handler has run (signal delivery restores it); any other result restores it now.
void restore_user_sigmask(long ret) {
    if (ret == -long(ERESTARTNOHAND)) return;
    restore_saved_sigmask();
}

// --- select ------------------------------------------------------------------------------------------

constexpr unsigned POLLIN_SET = POLLRDNORM | POLLIN | POLLHUP | POLLERR | 0x080 /* POLLRDBAND */;
constexpr unsigned POLLOUT_SET = POLLWRNORM | POLLOUT | POLLERR | 0x200 /* POLLWRBAND */;
constexpr unsigned POLLEX_SET = POLLPRI;

// The six bitmaps of one select: what was asked (in, out, ex) and what is ready.
struct FdSets {
    uint64_t* in;
    uint64_t* out;
    uint64_t* ex;
    uint64_t* res_in;
    uint64_t* res_out;
    uint64_t* res_ex;
};

bool test_bit(const uint64_t* set, size_t fd) { return set[fd / 64] & (1ull << (fd % 64)); }
void set_bit(uint64_t* set, size_t fd) { set[fd / 64] |= 1ull << (fd % 64); }

long do_select(size_t n, FdSets& s, int64_t deadline) {
    // Every descriptor named must be open (EBADF before anything else).
    for (size_t fd = 0; fd < n; fd++)
        if ((test_bit(s.in, fd) || test_bit(s.out, fd) || test_bit(s.ex, fd)) && fdget(int(fd)).is_error())
            return -long(Errno::EBADF);
    PollWaits waits;
    PollTable* table = deadline == kPollNoWait ? nullptr : waits.table();
    bool timed_out = deadline == kPollNoWait;
    long count = 0;
    for (;;) {
        for (size_t fd = 0; fd < n; fd++) {
            bool want_in = test_bit(s.in, fd), want_out = test_bit(s.out, fd), want_ex = test_bit(s.ex, fd);
            if (!want_in && !want_out && !want_ex) continue;
            Result<RefPtr<File>> file = fdget(int(fd));
            if (file.is_error()) return -long(Errno::EBADF);  // closed by another thread meanwhile
            unsigned mask = vfs_poll(*file.value(), table);
            if (want_in && (mask & POLLIN_SET)) {
                set_bit(s.res_in, fd);
                count++;
                table = nullptr;
            }
            if (want_out && (mask & POLLOUT_SET)) {
                set_bit(s.res_out, fd);
                count++;
                table = nullptr;
            }
            if (want_ex && (mask & POLLEX_SET)) {
                set_bit(s.res_ex, fd);
                count++;
                table = nullptr;
            }
        }
        table = nullptr;
        if (!count) {
            if (waits.error()) return -long(waits.error());
            if (signal_pending(current())) return -long(ERESTARTNOHAND);
        }
        if (count || timed_out) return count;
        timed_out = !waits.schedule(deadline);
    }
}

long core_sys_select(int n, uint64_t uin, uint64_t uout, uint64_t uex, int64_t deadline) {
    if (n < 0) return -long(Errno::EINVAL);
    // Descriptors at or above the table's ceiling cannot be open: Linux ignores them.
    unsigned limit = current_nofile_limit();
    size_t nfds = size_t(n) < limit ? size_t(n) : limit;
    size_t words = (nfds + 63) / 64;
    size_t bytes = words * sizeof(uint64_t);
    // What the caller passed covers n bits, of which the first nfds are used.
    uint64_t* mem = static_cast<uint64_t*>(kzalloc(6 * (bytes ? bytes : 8)));
    if (!mem) return -long(Errno::ENOMEM);
    FdSets s{mem, mem + words, mem + 2 * words, mem + 3 * words, mem + 4 * words, mem + 5 * words};
    long ret = 0;
    uint64_t users[3] = {uin, uout, uex};
    uint64_t* sets[3] = {s.in, s.out, s.ex};
    for (int i = 0; i < 3 && !ret; i++)
        if (users[i] && bytes && !copy_from_user(sets[i], UserPtr<const void>(users[i]), bytes))
            ret = -long(Errno::EFAULT);
    if (!ret && nfds % 64) {  // bits beyond nfds in the last word are not descriptors to look at
        uint64_t keep = (1ull << (nfds % 64)) - 1;
        for (uint64_t* set : sets) set[words - 1] &= keep;
    }
    if (!ret) ret = do_select(nfds, s, deadline);
    if (ret >= 0) {
        uint64_t* results[3] = {s.res_in, s.res_out, s.res_ex};
        for (int i = 0; i < 3; i++)
            if (users[i] && bytes && !copy_to_user(UserPtr<void>(users[i]), results[i], bytes))
                ret = -long(Errno::EFAULT);
    }
    kfree(mem);
    return ret;
}

}  // namespace

SYSCALL_DEFINE3(poll, uint64_t, ufds, uint64_t, nfds, int, timeout_ms) {
    int64_t deadline = timeout_ms < 0 ? kPollForever : poll_deadline_after(int64_t(timeout_ms) * 1000000);
    return poll_with_restart(ufds, nfds, deadline);
}

SYSCALL_DEFINE5(ppoll, uint64_t, ufds, uint64_t, nfds, uint64_t, utsp, uint64_t, usigmask, uint64_t, sigsetsize) {
    int64_t deadline = TRY_SYSCALL(timespec_deadline(utsp));
    if (long r = set_user_sigmask(usigmask, sigsetsize)) return r;
    long ret = do_sys_poll(ufds, nfds, deadline);
    if (usigmask) restore_user_sigmask(ret);
    return finish_timeout(utsp, deadline, false, ret);
}

SYSCALL_DEFINE5(select, int, n, uint64_t, uin, uint64_t, uout, uint64_t, uex, uint64_t, utv) {
    int64_t deadline = kPollForever;
    if (utv) {
        UserTimeval tv;
        TRY_SYSCALL(copy_from_user(&tv, UserPtr<const void>(utv), sizeof tv));
        if (tv.tv_sec < 0 || tv.tv_usec < 0) return -long(Errno::EINVAL);
        int64_t sec = tv.tv_sec + tv.tv_usec / 1000000;
        int64_t nsec = (tv.tv_usec % 1000000) * 1000;
        deadline = sec >= INT64_MAX / kNsecPerSec - 1 ? kPollForever : poll_deadline_after(sec * kNsecPerSec + nsec);
    }
    long ret = core_sys_select(n, uin, uout, uex, deadline);
    return finish_timeout(utv, deadline, true, ret);
}

SYSCALL_DEFINE6(pselect6, int, n, uint64_t, uin, uint64_t, uout, uint64_t, uex, uint64_t, utsp, uint64_t, usig) {
    int64_t deadline = TRY_SYSCALL(timespec_deadline(utsp));
    // The sixth argument points at { const sigset_t* ss; size_t ss_len; }.
    uint64_t sigarg[2] = {0, 0};
    if (usig) TRY_SYSCALL(copy_from_user(sigarg, UserPtr<const void>(usig), sizeof sigarg));
    if (long r = set_user_sigmask(sigarg[0], sigarg[1])) return r;
    long ret = core_sys_select(n, uin, uout, uex, deadline);
    if (sigarg[0]) restore_user_sigmask(ret);
    return finish_timeout(utsp, deadline, false, ret);
}
