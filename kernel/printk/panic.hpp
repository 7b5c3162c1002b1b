#pragma once
// panic(): the kernel cannot go on. Prints the message and a backtrace, stops the other CPUs, then
// honours panic=N like Linux: N > 0 reboots after N seconds, N < 0 at once, 0 (default) halts forever.
#include <stdint.h>

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

extern int panic_timeout;

// What panic reports to a hosting emulator before it restarts (QEMU exits with status 3).
constexpr int kPanicExitCode = 1;

#define BUG() panic("kernel BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)                                                   \
    do {                                                               \
        if (__builtin_expect(!!(cond), 0))                             \
            panic("kernel BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
    } while (0)
#define WARN_ON(cond)                                                          \
    ({                                                                         \
        bool _w = !!(cond);                                                    \
        if (__builtin_expect(_w, 0)) warn_slowpath(__FILE__, __LINE__, #cond); \
        _w;                                                                    \
    })

void warn_slowpath(const char* file, int line, const char* cond);
