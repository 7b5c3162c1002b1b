#pragma once
// printk: Linux's kernel logging. A message may start with a KERN_<LEVEL> prefix ("\001" + digit);
// every line goes into the log buffer with a timestamp and is written to each registered console when
// its level is below console_loglevel (Linux's default 7; `quiet` makes it 4, `loglevel=N` sets it).
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_CONT KERN_SOH "c"

constexpr int kDefaultMessageLoglevel = 4;  // a printk without a level prefix

int printk(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char* fmt, va_list args);

#define pr_emerg(fmt, ...) printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)

// A console: a sink for log lines (the 16550 UART registers ttyS0).
struct Console {
    const char* name;
    void (*write)(const char* text, size_t len);
    Console* next;
    // Optional: drops the console's own lock by force (see printk_force_unlock).
    void (*force_unlock)() = nullptr;
};
// Registers a console and replays the log recorded so far onto it (boot messages before the UART was
// up are not lost).
void register_console(Console* console);

extern int console_loglevel;

// Ends an open line (a message without '\n') on the consoles and in the log, before the machine stops.
void printk_flush();

// panic() takes over the consoles even if a CPU died holding the printk lock.
void printk_panic_mode();
// After the other CPUs were stopped (panic, power-off, reboot): a stopped CPU may have held the printk
// or a console lock, or waited in line for one (a ticket lock then never comes round to the next
// taker), so both are reset for this CPU, the only one left, to finish its messages.
void printk_force_unlock();

class LogBuffer;
LogBuffer& kernel_log();

struct LogRecord;
// Reads record `seq` of the kernel log under the printk lock: its text goes to `text_buf`. Sets *first
// and *next to the oldest and next sequence numbers so a reader that fell behind can skip ahead; false
// if `seq` is no longer (or not yet) in the log.
bool printk_read_record(uint64_t seq, LogRecord& out, char* text_buf, size_t text_cap, uint64_t* first,
                        uint64_t* next);
// The "[    1.234567] " prefix every console line and syslog(2) record carries; returns its length.
size_t printk_format_time(char* buf, size_t size, uint64_t timestamp_ns);
// Capacity of the log ring in bytes (syslog's SIZE_BUFFER).
size_t printk_log_capacity();
