// syslog(2) (glibc's klogctl; what dmesg and klogd use): reading and clearing the kernel log and
// setting the console log level, with Linux's actions, permissions and record format:
//
//   "<6>[    0.123456] text\n"     facility 0 (kernel) and level in <>, the time, the text
//
// Readers keep two positions, as Linux does: syslog_seq, the next record the destructive READ returns
// (one reader consumes it, like /proc/kmsg), and clear_seq, where READ_ALL starts after a CLEAR.
//
// READ blocks until a record arrives. printk runs in every context (interrupts, under scheduler locks),
// so it never wakes anybody; a blocked reader re-checks every 50 ms instead, sleeping interruptibly.
#include <lib/errno.hpp>
#include <lib/uaccess.hpp>
#include <lib/vsprintf.hpp>
#include <locking/spinlock.hpp>
#include <printk/log_buffer.hpp>
#include <printk/printk.hpp>
#include <process/cred.hpp>
#include <sched/timeout.hpp>
#include <sched/wait.hpp>
#include <signal/signal.hpp>
#include <syscalls/syscall.hpp>

namespace {

enum SyslogAction {
    SYSLOG_ACTION_CLOSE = 0,
    SYSLOG_ACTION_OPEN = 1,
    SYSLOG_ACTION_READ = 2,
    SYSLOG_ACTION_READ_ALL = 3,
    SYSLOG_ACTION_READ_CLEAR = 4,
    SYSLOG_ACTION_CLEAR = 5,
    SYSLOG_ACTION_CONSOLE_OFF = 6,
    SYSLOG_ACTION_CONSOLE_ON = 7,
    SYSLOG_ACTION_CONSOLE_LEVEL = 8,
    SYSLOG_ACTION_SIZE_UNREAD = 9,
    SYSLOG_ACTION_SIZE_BUFFER = 10,
};

constexpr int kMinimumConsoleLoglevel = 1;  // CONSOLE_OFF still lets KERN_EMERG through
constexpr unsigned kReadPollMs = 50;

SpinLock syslog_lock;          // the reader positions and the saved console level
uint64_t syslog_seq = 0;       // next record for SYSLOG_ACTION_READ
uint64_t clear_seq = 0;        // first record READ_ALL shows
int saved_console_loglevel = -1;

// Linux's dmesg_restrict is 0 by default: anyone may read the whole log (READ_ALL) and its size; every
// other action needs CAP_SYSLOG, which is root here.
bool action_allowed(int type) {
    if (type == SYSLOG_ACTION_READ_ALL || type == SYSLOG_ACTION_SIZE_BUFFER) return true;
    return current_cred()->euid == 0;
}

// Formats record `seq` into `line` ("<level>[time] text\n"); 0 if the record is gone.
size_t format_record(uint64_t seq, char* line, size_t cap, uint64_t* first, uint64_t* next) {
    char text[LogBuffer::kMaxText];
    LogRecord r;
    if (!printk_read_record(seq, r, text, sizeof text, first, next)) return 0;
    size_t n = size_t(ksnprintf(line, cap, "<%u>", unsigned(r.level)));
    n += printk_format_time(line + n, cap - n, r.timestamp_ns);
    size_t room = cap - n - 1;
    size_t len = r.text_len < room ? r.text_len : room;
    for (size_t i = 0; i < len; i++) line[n + i] = r.text[i];
    n += len;
    line[n++] = '\n';
    return n;
}

constexpr size_t kLineCap = LogBuffer::kMaxText + 48;

// The next sequence number, and the oldest one still in the ring.
void log_bounds(uint64_t* first, uint64_t* next) {
    LogRecord r;
    char c;
    printk_read_record(~0ull, r, &c, 1, first, next);
}

// READ: waits for records after syslog_seq and consumes as many whole ones as fit in `len`.
long syslog_read(UserPtr<char> buf, size_t len) {
    uint64_t first, next;
    for (;;) {
        log_bounds(&first, &next);
        {
            SpinLockIrqSaveGuard guard(syslog_lock);
            if (syslog_seq < first) syslog_seq = first;  // fell behind: the oldest records are gone
            if (syslog_seq < next) break;
        }
        if (task_signal_pending(current())) return -long(ERESTARTSYS);
        msleep_interruptible(kReadPollMs);
    }
    char line[kLineCap];
    size_t done = 0;
    for (;;) {
        uint64_t seq;
        {
            SpinLockIrqSaveGuard guard(syslog_lock);
            seq = syslog_seq;
        }
        size_t n = format_record(seq, line, sizeof line, &first, &next);
        if (n == 0) {
            if (seq < first) {  // overwritten meanwhile: continue at the oldest
                SpinLockIrqSaveGuard guard(syslog_lock);
                if (syslog_seq < first) syslog_seq = first;
                continue;
            }
            break;  // no more records
        }
        if (done + n > len) {
            if (done == 0) {  // a record longer than the buffer is cut, as Linux does
                n = len;
            } else {
                break;
            }
        }
        if (copy_to_user(buf.offset(int64_t(done)).cast<void>(), line, n).is_error())
            return done ? long(done) : -long(Errno::EFAULT);
        done += n;
        SpinLockIrqSaveGuard guard(syslog_lock);
        if (syslog_seq == seq) syslog_seq = seq + 1;
        if (done >= len) break;
    }
    return long(done);
}

// READ_ALL / READ_CLEAR: the newest records from clear_seq on that fit in `len`, oldest first.
long syslog_read_all(UserPtr<char> buf, size_t len, bool clear) {
    uint64_t first, next, start;
    log_bounds(&first, &next);
    {
        SpinLockIrqSaveGuard guard(syslog_lock);
        start = clear_seq > first ? clear_seq : first;
    }
    char line[kLineCap];
    // Walk back from the newest record to find where `len` bytes of records begin.
    size_t total = 0;
    uint64_t from = next;
    while (from > start) {
        uint64_t f, nx;
        size_t n = format_record(from - 1, line, sizeof line, &f, &nx);
        if (n == 0 || total + n > len) break;
        total += n;
        from--;
    }
    size_t done = 0;
    for (uint64_t seq = from; seq < next && done < total; seq++) {
        uint64_t f, nx;
        size_t n = format_record(seq, line, sizeof line, &f, &nx);
        if (n == 0) continue;  // dropped meanwhile
        if (done + n > len) break;
        if (copy_to_user(buf.offset(int64_t(done)).cast<void>(), line, n).is_error()) return -long(Errno::EFAULT);
        done += n;
    }
    if (clear) {
        SpinLockIrqSaveGuard guard(syslog_lock);
        clear_seq = next;
    }
    return long(done);
}

long syslog_size_unread() {
    uint64_t first, next, seq;
    log_bounds(&first, &next);
    {
        SpinLockIrqSaveGuard guard(syslog_lock);
        seq = syslog_seq > first ? syslog_seq : first;
    }
    char line[kLineCap];
    long total = 0;
    for (; seq < next; seq++) {
        uint64_t f, nx;
        total += long(format_record(seq, line, sizeof line, &f, &nx));
    }
    return total;
}

}  // namespace

SYSCALL_DEFINE3(syslog, int, type, UserPtr<char>, buf, int, len) {
    if (type < SYSLOG_ACTION_CLOSE || type > SYSLOG_ACTION_SIZE_BUFFER) return -long(Errno::EINVAL);
    if (!action_allowed(type)) return -long(Errno::EPERM);
    switch (type) {
        case SYSLOG_ACTION_CLOSE:
        case SYSLOG_ACTION_OPEN:
            return 0;  // nothing to open or close: the log is always there
        case SYSLOG_ACTION_READ:
        case SYSLOG_ACTION_READ_ALL:
        case SYSLOG_ACTION_READ_CLEAR:
            if (buf.is_null() || len < 0) return -long(Errno::EINVAL);
            if (len == 0) return 0;
            if (!access_ok(buf.address(), size_t(len))) return -long(Errno::EFAULT);
            if (type == SYSLOG_ACTION_READ) return syslog_read(buf, size_t(len));
            return syslog_read_all(buf, size_t(len), type == SYSLOG_ACTION_READ_CLEAR);
        case SYSLOG_ACTION_CLEAR: {
            uint64_t first, next;
            log_bounds(&first, &next);
            SpinLockIrqSaveGuard guard(syslog_lock);
            clear_seq = next;
            return 0;
        }
        case SYSLOG_ACTION_CONSOLE_OFF: {
            SpinLockIrqSaveGuard guard(syslog_lock);
            if (saved_console_loglevel < 0) {
                saved_console_loglevel = console_loglevel;
                console_loglevel = kMinimumConsoleLoglevel;
            }
            return 0;
        }
        case SYSLOG_ACTION_CONSOLE_ON: {
            SpinLockIrqSaveGuard guard(syslog_lock);
            if (saved_console_loglevel >= 0) {
                console_loglevel = saved_console_loglevel;
                saved_console_loglevel = -1;
            }
            return 0;
        }
        case SYSLOG_ACTION_CONSOLE_LEVEL: {
            if (len < 1 || len > 8) return -long(Errno::EINVAL);
            SpinLockIrqSaveGuard guard(syslog_lock);
            console_loglevel = len < kMinimumConsoleLoglevel ? kMinimumConsoleLoglevel : len;
            saved_console_loglevel = -1;  // an explicit level ends CONSOLE_OFF
            return 0;
        }
        case SYSLOG_ACTION_SIZE_UNREAD:
            return syslog_size_unread();
        default:  // SYSLOG_ACTION_SIZE_BUFFER
            return long(printk_log_capacity());
    }
}
