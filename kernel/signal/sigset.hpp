#pragma once
// Signal sets: Linux's 64-bit sigset_t on x86-64 (signal n is bit n - 1), and the classes of signals
// whose rules differ (which cannot be caught, which stop, which dump core...).
#include <signal/signal.hpp>
#include <stdint.h>

struct SigSet {
    uint64_t bits = 0;

    static constexpr uint64_t mask(int sig) { return 1ull << (sig - 1); }
    constexpr bool has(int sig) const { return bits & mask(sig); }
    constexpr void add(int sig) { bits |= mask(sig); }
    constexpr void del(int sig) { bits &= ~mask(sig); }
    constexpr bool empty() const { return bits == 0; }
    constexpr bool operator==(const SigSet&) const = default;
    // The lowest-numbered signal in the set, 0 if none. Linux delivers synchronous signals
    // (SEGV, BUS, ILL, TRAP, FPE, SYS) before the others; see next_signal() in signal.cpp.
    constexpr int first() const { return bits ? __builtin_ctzll(bits) + 1 : 0; }
};

constexpr SigSet sigset_of(uint64_t bits) { return SigSet{bits}; }
constexpr SigSet operator|(SigSet a, SigSet b) { return SigSet{a.bits | b.bits}; }
constexpr SigSet operator&(SigSet a, SigSet b) { return SigSet{a.bits & b.bits}; }
constexpr SigSet operator~(SigSet a) { return SigSet{~a.bits}; }

constexpr bool valid_signal(long sig) { return sig >= 1 && sig <= kNumSignals; }

namespace sigclass {
constexpr uint64_t m(int sig) { return SigSet::mask(sig); }
// Neither caught, blocked nor ignored.
constexpr uint64_t kKernelOnly = m(SIGKILL) | m(SIGSTOP);
// Default action: stop the thread group.
constexpr uint64_t kStop = m(SIGSTOP) | m(SIGTSTP) | m(SIGTTIN) | m(SIGTTOU);
// Default action: ignore.
constexpr uint64_t kIgnore = m(SIGCONT) | m(SIGCHLD) | m(SIGWINCH) | m(SIGURG);
// Default action: terminate with a core dump (the wait status's core bit).
constexpr uint64_t kCoredump = m(SIGQUIT) | m(SIGILL) | m(SIGTRAP) | m(SIGABRT) | m(SIGBUS) | m(SIGFPE) |
                               m(SIGSEGV) | m(SIGXCPU) | m(SIGXFSZ) | m(SIGSYS);
// Raised by the faulting instruction itself: delivered first.
constexpr uint64_t kSynchronous = m(SIGSEGV) | m(SIGBUS) | m(SIGILL) | m(SIGTRAP) | m(SIGFPE) | m(SIGSYS);
}  // namespace sigclass

// The classic signals (below SIGRTMIN) are not queued: a second one pending is merged into the first.
constexpr bool sig_is_realtime(int sig) { return sig >= SIGRTMIN; }
constexpr bool sig_kernel_only(int sig) { return !sig_is_realtime(sig) && (sigclass::kKernelOnly & SigSet::mask(sig)); }
constexpr bool sig_kernel_stop(int sig) { return !sig_is_realtime(sig) && (sigclass::kStop & SigSet::mask(sig)); }
constexpr bool sig_kernel_ignore(int sig) { return !sig_is_realtime(sig) && (sigclass::kIgnore & SigSet::mask(sig)); }
constexpr bool sig_kernel_coredump(int sig) { return !sig_is_realtime(sig) && (sigclass::kCoredump & SigSet::mask(sig)); }
