#pragma once
// Signal structures as user space sees them (Linux's x86-64 ABI: asm/signal.h, asm-generic/siginfo.h).
// Checked against the C library's headers by the host tests (tests/host/signal/uapi_layout_test.cpp).
#include <signal/signal.hpp>
#include <stdint.h>

#if defined(TERN_HOST)  // the C library's macros for the same names (see signal.hpp)
#undef SA_NOCLDSTOP
#undef SA_NOCLDWAIT
#undef SA_SIGINFO
#undef SA_UNSUPPORTED
#undef SA_EXPOSE_TAGBITS
#undef SA_RESTORER
#undef SA_ONSTACK
#undef SA_RESTART
#undef SA_NODEFER
#undef SA_RESETHAND
#undef SIG_DFL
#undef SIG_IGN
#undef SIG_BLOCK
#undef SIG_UNBLOCK
#undef SIG_SETMASK
#undef SS_AUTODISARM
#undef MINSIGSTKSZ
#endif

// sa_flags.
constexpr uint64_t SA_NOCLDSTOP = 0x00000001, SA_NOCLDWAIT = 0x00000002, SA_SIGINFO = 0x00000004,
                   SA_UNSUPPORTED = 0x00000400, SA_EXPOSE_TAGBITS = 0x00000800, SA_RESTORER = 0x04000000,
                   SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
                   SA_RESETHAND = 0x80000000;
// The flags Tern understands; rt_sigaction stores exactly these (so SA_UNSUPPORTED reads back clear,
// which is how programs probe for flag support).
constexpr uint64_t kKnownSaFlags = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_RESTORER | SA_ONSTACK |
                                   SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS;

constexpr uint64_t SIG_DFL = 0, SIG_IGN = 1;
constexpr int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

// sigaltstack.
#if !defined(TERN_HOST)  // (host: <signal.h> declares them as enumerators, same values)
constexpr int SS_ONSTACK = 1, SS_DISABLE = 2;
#endif
constexpr uint32_t SS_AUTODISARM = 1u << 31;
constexpr uint64_t MINSIGSTKSZ = 2048;

// More si_code values (asm-generic/siginfo.h).
#if !defined(TERN_HOST)
constexpr int SI_QUEUE = -1, SI_TIMER = -2, SI_MESGQ = -3, SI_ASYNCIO = -4, SI_SIGIO = -5;
#endif

// The struct rt_sigaction(2) reads and writes (the kernel's struct sigaction, not libc's).
struct UserSigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};
static_assert(sizeof(UserSigaction) == 32);

// stack_t.
struct UserStack {
    uint64_t ss_sp;
    int32_t ss_flags;
    int32_t pad;
    uint64_t ss_size;
};
static_assert(sizeof(UserStack) == 24);

// siginfo_t: 128 bytes, the union at offset 16.
struct UserSigInfo {
    int32_t si_signo;
    int32_t si_errno;
    int32_t si_code;
    int32_t pad0;
    union {
        uint8_t raw[112];
        struct {  // kill, tkill, sigqueue (with value), POSIX timers use tid/overrun in the same slots
            int32_t pid;
            uint32_t uid;
            uint64_t value;
        } rt;
        struct {  // SIGCHLD
            int32_t pid;
            uint32_t uid;
            int32_t status;
            int32_t pad;
            int64_t utime;
            int64_t stime;
        } chld;
        struct {  // SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP
            uint64_t addr;
        } fault;
    };
};
static_assert(sizeof(UserSigInfo) == 128);
