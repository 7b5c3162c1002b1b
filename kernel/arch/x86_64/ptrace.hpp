#pragma once
// PtRegs: the registers of an interrupted context, as the entry code (entry.S) saves them on the
// kernel stack. The field order is Linux's struct pt_regs, so a register dump, a ptrace user or a
// signal frame sees what it would on Linux.
//
// Lowest address first: the general registers pushed by entry.S (r15 last, so it is at the bottom),
// then orig_rax (the error code of an exception that has one, -1 otherwise; the system-call number
// later), then the frame the CPU pushes on every interrupt: rip, cs, eflags, rsp, ss.
//
// This header is also included by entry.S for the offsets (PTREGS_*); keep the two in step.

#define PTREGS_R15 (0 * 8)
#define PTREGS_RBP (4 * 8)
#define PTREGS_RDI (14 * 8)
#define PTREGS_ORIG_RAX (15 * 8)
#define PTREGS_RIP (16 * 8)
#define PTREGS_CS (17 * 8)
#define PTREGS_SIZE (21 * 8)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

namespace x86 {

struct PtRegs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t orig_rax;
    uint64_t rip, cs, eflags, rsp, ss;
};

static_assert(offsetof(PtRegs, r15) == PTREGS_R15);
static_assert(offsetof(PtRegs, rbp) == PTREGS_RBP);
static_assert(offsetof(PtRegs, rdi) == PTREGS_RDI);
static_assert(offsetof(PtRegs, orig_rax) == PTREGS_ORIG_RAX);
static_assert(offsetof(PtRegs, rip) == PTREGS_RIP);
static_assert(offsetof(PtRegs, cs) == PTREGS_CS);
static_assert(sizeof(PtRegs) == PTREGS_SIZE);

// The interrupted code ran in user mode (CPL 3): its CS selector's requested privilege level says so.
inline bool user_mode(const PtRegs* regs) { return (regs->cs & 3) != 0; }

}  // namespace x86
#endif
