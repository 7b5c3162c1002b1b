// n_tty's read and write system-call side: waiting for input (canonical lines, VMIN/VTIME), O_NONBLOCK,
// signals, and writes with output flow control. The bytes move under the tty lock through a small
// bounce buffer; copies to and from user memory happen with the lock dropped (they may fault).
#include <drivers/tty/tty.hpp>
#include <fs/uapi_fcntl.hpp>
#include <signal/signal.hpp>
#include <time/jiffies.hpp>

namespace {

bool input_ready(Tty* tty) {
    SpinLockIrqSaveGuard guard(tty->lock);
    return n_tty_chars_available(tty) > 0;
}

// Sleeps until input is readable, `timeout` jiffies pass (0: no limit), or a signal comes.
// Returns false on timeout.
Result<bool> wait_for_input(Tty* tty, long timeout) {
    if (!timeout) {
        TRY(wait_event_interruptible(tty->read_wait, [tty] { return input_ready(tty); }));
        return true;
    }
    long left = TRY(wait_event_interruptible_timeout(tty->read_wait, [tty] { return input_ready(tty); }, timeout));
    return left != 0;
}

bool nonblocking(const File* file) { return file && (file->flags & O_NONBLOCK); }

}  // namespace

Result<size_t> n_tty_read(Tty* tty, File* file, IoIter& to) {
    TRY(tty_job_control_read(tty));
    MutexGuard serialize(tty->read_mutex);
    size_t want = to.count();
    if (!want) return size_t(0);
    ktermios t = tty_get_termios(tty);
    bool canon = t.c_lflag & ICANON;
    // Without ICANON: return once `minimum` bytes are there; VTIME (tenths of a second) is the
    // whole wait when VMIN is 0, the gap allowed between bytes otherwise.
    size_t minimum = canon ? 1 : t.c_cc[VMIN];
    if (minimum > want) minimum = want;
    long time = canon ? 0 : long(t.c_cc[VTIME]) * HZ / 10;
    if (!canon && t.c_cc[VTIME] && !time) time = 1;

    size_t done = 0;
    char chunk[128];
    for (;;) {
        size_t n;
        bool line_done;
        {
            SpinLockIrqSaveGuard guard(tty->lock);
            size_t room = want - done < sizeof(chunk) ? want - done : sizeof(chunk);
            n = n_tty_take(tty, chunk, room, &line_done);
        }
        if (n) {
            size_t copied = to.copy_to(chunk, n);
            done += copied;
            if (copied < n) return done ? Result<size_t>(done) : Result<size_t>(Errno::EFAULT);
        }
        if (done == want || line_done) break;  // full, or a line (an empty one at end of file)
        if (n) continue;
        // Nothing more readable now: is what we have enough?
        if (!canon) {
            if (minimum == 0 && (done || !time)) break;
            if (minimum && done >= minimum) break;
        } else if (done) {
            break;
        }
        if (nonblocking(file)) {
            if (done) break;
            return Errno::EAGAIN;
        }
        // MIN > 0 with TIME > 0: no limit before the first byte, then TIME between bytes.
        long timeout = !canon && (minimum == 0 || done) ? time : 0;
        Result<bool> got = wait_for_input(tty, timeout);
        if (got.is_error()) {
            if (done) break;
            return got.error();
        }
        if (!got.value()) break;  // VTIME ran out
    }
    return done;
}

Result<size_t> n_tty_write(Tty* tty, File* file, IoIter& from) {
    if (tty_get_termios(tty).c_lflag & TOSTOP) TRY(tty_check_change(tty, SIGTTOU));
    MutexGuard serialize(tty->write_mutex);
    size_t done = 0;
    char chunk[256];
    while (from.count()) {
        // Output stopped (^S, TCOOFF): wait for ^Q or TCOON.
        bool stopped;
        {
            SpinLockIrqSaveGuard guard(tty->lock);
            stopped = tty->stopped;
        }
        if (stopped) {
            if (nonblocking(file)) break;
            Result<void> woke = wait_event_interruptible(tty->write_wait, [tty] {
                SpinLockIrqSaveGuard guard(tty->lock);
                return !tty->stopped;
            });
            if (woke.is_error()) {
                if (done) break;
                return woke.error();
            }
            continue;
        }
        size_t n = from.copy_from(chunk, from.count() < sizeof(chunk) ? from.count() : sizeof(chunk));
        if (!n) break;
        {
            SpinLockIrqSaveGuard guard(tty->lock);
            n_tty_output(tty, chunk, n);
        }
        done += n;
    }
    if (done || !from.count()) return done;
    return nonblocking(file) ? Errno::EAGAIN : Errno::EFAULT;
}
