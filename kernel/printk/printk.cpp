#include <printk/printk.hpp>
#include <printk/log_buffer.hpp>
#include <lib/vsprintf.hpp>
#include <locking/spinlock.hpp>
#include <time/sched_clock.hpp>

int console_loglevel = 7;

namespace {

constinit uint8_t log_storage[64 * 1024];
LogBuffer log_buffer(log_storage, sizeof log_storage);
SpinLock printk_lock;
Console* consoles = nullptr;

// A message without a trailing newline stays open; KERN_CONT text is appended to it.
char pending_line[LogBuffer::kMaxText];
size_t pending_len = 0;
int pending_level = kDefaultMessageLoglevel;
uint64_t pending_ts = 0;

void emit_to_consoles(Console* only, int level, uint64_t ts, const char* text, size_t len) {
    if (level >= console_loglevel) return;
    char prefix[32];
    int n = ksnprintf(prefix, sizeof prefix, "[%5lu.%06lu] ", (unsigned long)(ts / 1000000000),
                     (unsigned long)(ts % 1000000000 / 1000));
    for (Console* c = only ? only : consoles; c; c = only ? nullptr : c->next) {
        c->write(prefix, size_t(n));
        c->write(text, len);
        c->write("\n", 1);
    }
}

void flush_pending() {
    if (!pending_len) return;
    log_buffer.append(uint8_t(pending_level), pending_ts, pending_line, pending_len);
    emit_to_consoles(nullptr, pending_level, pending_ts, pending_line, pending_len);
    pending_len = 0;
}

}  // namespace

LogBuffer& kernel_log() { return log_buffer; }

int vprintk(const char* fmt, va_list args) {
    char text[LogBuffer::kMaxText];
    int level = -1;
    bool cont = false;
    if (fmt[0] == KERN_SOH[0] && fmt[1]) {
        if (fmt[1] == 'c') cont = true;
        else if (fmt[1] >= '0' && fmt[1] <= '7') level = fmt[1] - '0';
        fmt += 2;
    }
    int total = kvsnprintf(text, sizeof text, fmt, args);
    size_t len = size_t(total) < sizeof text ? size_t(total) : sizeof text - 1;

    SpinLockIrqSaveGuard guard(printk_lock);
    if (!cont || !pending_len) {
        flush_pending();
        pending_level = level >= 0 ? level : kDefaultMessageLoglevel;
        pending_ts = local_clock();
    }
    // Split into lines: every '\n' ends a record.
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            flush_pending();
            pending_ts = local_clock();
            continue;
        }
        if (pending_len < sizeof pending_line) pending_line[pending_len++] = text[i];
    }
    return total;
}

int printk(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = vprintk(fmt, args);
    va_end(args);
    return n;
}

void register_console(Console* console) {
    SpinLockIrqSaveGuard guard(printk_lock);
    console->next = consoles;
    consoles = console;
    char text[LogBuffer::kMaxText];
    for (uint64_t seq = log_buffer.first_seq(); seq < log_buffer.next_seq(); seq++) {
        LogRecord r;
        if (log_buffer.read(seq, r, text, sizeof text))
            emit_to_consoles(console, r.level, r.timestamp_ns, r.text, r.text_len);
    }
}

void printk_panic_mode() {
    printk_lock.force_reset();
    console_loglevel = 8;
}
