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

// The record being built. Text reaches the consoles at once; a message that does not end in '\n' leaves
// the record open, so a following KERN_CONT message continues the same console line and log record.
char pending_line[LogBuffer::kMaxText];
size_t pending_len = 0;
int pending_level = kDefaultMessageLoglevel;
uint64_t pending_ts = 0;
bool line_open = false;

void console_write_all(const char* text, size_t len) {
    for (Console* c = consoles; c; c = c->next) c->write(text, len);
}

size_t format_prefix(char* buf, size_t size, uint64_t ts) {
    return size_t(ksnprintf(buf, size, "[%5lu.%06lu] ", (unsigned long)(ts / 1000000000),
                            (unsigned long)(ts % 1000000000 / 1000)));
}

void emit_record(Console* console, int level, uint64_t ts, const char* text, size_t len) {
    if (level >= console_loglevel) return;
    char prefix[32];
    size_t n = format_prefix(prefix, sizeof prefix, ts);
    console->write(prefix, n);
    console->write(text, len);
    console->write("\n", 1);
}

void begin_record(int level) {
    pending_level = level;
    pending_ts = local_clock();
    pending_len = 0;
    line_open = true;
    if (pending_level < console_loglevel) {
        char prefix[32];
        console_write_all(prefix, format_prefix(prefix, sizeof prefix, pending_ts));
    }
}

void end_record() {
    if (!line_open) return;
    log_buffer.append(uint8_t(pending_level), pending_ts, pending_line, pending_len);
    if (pending_level < console_loglevel) console_write_all("\n", 1);
    line_open = false;
}

void append_text(const char* text, size_t len) {
    size_t room = sizeof pending_line - pending_len;
    size_t n = len < room ? len : room;
    for (size_t i = 0; i < n; i++) pending_line[pending_len + i] = text[i];
    pending_len += n;
    if (pending_level < console_loglevel) console_write_all(text, len);
}

}  // namespace

LogBuffer& kernel_log() { return log_buffer; }

bool printk_read_record(uint64_t seq, LogRecord& out, char* text_buf, size_t text_cap, uint64_t* first,
                        uint64_t* next) {
    SpinLockIrqSaveGuard guard(printk_lock);
    *first = log_buffer.first_seq();
    *next = log_buffer.next_seq();
    if (seq < *first || seq >= *next) return false;
    return log_buffer.read(seq, out, text_buf, text_cap);
}

size_t printk_format_time(char* buf, size_t size, uint64_t timestamp_ns) {
    return format_prefix(buf, size, timestamp_ns);
}

size_t printk_log_capacity() { return sizeof log_storage; }

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
    if (!(cont && line_open)) {
        end_record();
        begin_record(level >= 0 ? level : kDefaultMessageLoglevel);
    }
    // Every '\n' ends a record; text after it starts the next one at the same level.
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n') continue;
        append_text(text + start, i - start);
        end_record();
        start = i + 1;
        if (start < len) begin_record(pending_level);
    }
    if (start < len) append_text(text + start, len - start);
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
        if (log_buffer.read(seq, r, text, sizeof text)) emit_record(console, r.level, r.timestamp_ns, r.text, r.text_len);
    }
}

void printk_flush() {
    SpinLockIrqSaveGuard guard(printk_lock);
    end_record();
}

void printk_force_unlock() {
    printk_lock.force_reset();
    for (Console* c = consoles; c; c = c->next)
        if (c->force_unlock) c->force_unlock();
}

void printk_panic_mode() {
    printk_force_unlock();
    console_loglevel = 8;
}
