// What mm/ needs from outside the generic code on the host: WARN's slow path (printk/panic.cpp is
// kernel-only).
#include <cstdio>

// Weak: another subsystem's host tests may provide their own.
[[gnu::weak]] void warn_slowpath(const char* file, int line, const char* cond) {
    std::fprintf(stderr, "WARNING: at %s:%d: %s\n", file, line, cond);
}
