#pragma once
// The x86-64 signal frame, Linux's layout (asm/sigcontext.h, asm/ucontext.h, the kernel's rt_sigframe),
// which glibc's __restore_rt, its ucontext_t and debuggers rely on. The host tests compare every offset
// with the C library's headers (tests/host/signal/uapi_layout_test.cpp).
//
// On the user stack, from the handler's %rsp upwards:
//   RtSigframe   pretcode (the handler's return address: sa_restorer), the ucontext, the siginfo
//   (padding)
//   fxsave area  512 bytes, 64-byte aligned: the interrupted FPU/SSE state (sigcontext.fpstate points here)
//   (the 128-byte red zone of the interrupted code, untouched)
#include <signal/uapi.hpp>
#include <stddef.h>
#include <stdint.h>

namespace x86 {

struct SigContext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
    uint64_t eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate;  // user address of the fxsave image, 0 if none
    uint64_t reserved1[8];
};
static_assert(sizeof(SigContext) == 256);

// uc_flags.
constexpr uint64_t UC_FP_XSTATE = 0x1, UC_SIGCONTEXT_SS = 0x2, UC_STRICT_RESTORE_SS = 0x4;

struct UContext {
    uint64_t uc_flags;
    uint64_t uc_link;
    UserStack uc_stack;
    SigContext uc_mcontext;
    uint64_t uc_sigmask;
};
static_assert(sizeof(UContext) == 304);

struct RtSigframe {
    uint64_t pretcode;
    UContext uc;
    UserSigInfo info;
};
static_assert(sizeof(RtSigframe) == 440);
static_assert(offsetof(RtSigframe, uc) == 8 && offsetof(RtSigframe, info) == 312);

constexpr size_t kFxsaveSize = 512;
constexpr size_t kFpstateAlign = 64;
constexpr uint64_t kRedZone = 128;

}  // namespace x86
