#pragma once
// The exception fix-up table (Linux's __ex_table): "if the instruction at A faults, continue at B".
//
// Code that may fault on purpose (copy_from_user on a bad user pointer, probing a possibly unmapped
// address, an instruction the CPU may not support) records the address of the instruction and of the
// recovery code; the #PF, #GP and other exception handlers look up the faulting RIP here before they
// declare the fault a kernel bug. The recovery code itself reports the failure (e.g. sets -EFAULT).
//
// Entries are absolute addresses, gathered by the linker into __ex_table (kernel.ld) in link order, so
// the table is not sorted; lookups scan it, which is fine because it is only read when a fault happens.
//
// In C++ inline assembly (the fix-up may be a local label after the normal path):
//     asm volatile("1: movq (%[p]), %[v]\n\t"
//                  "jmp 3f\n"
//                  "2: movl $-14, %[err]\n"   // -EFAULT
//                  "3:\n\t"
//                  _ASM_EXTABLE(1b, 2b) : ...);
// In assembly (.S files include this header): `_ASM_EXTABLE 1b, 2b`.

#ifdef __ASSEMBLER__
.macro _ASM_EXTABLE from, to
    .pushsection __ex_table, "a"
    .balign 8
    .quad \from, \to
    .popsection
.endm
#else
#include <stddef.h>
#include <stdint.h>

#define _ASM_EXTABLE(from, to)             \
    ".pushsection __ex_table, \"a\"\n\t"  \
    ".balign 8\n\t"                        \
    ".quad " #from ", " #to "\n\t"         \
    ".popsection\n\t"

namespace x86 {

struct ExceptionTableEntry {
    uint64_t insn;   // address of the instruction that may fault
    uint64_t fixup;  // where execution continues if it does
};

struct PtRegs;

// The entry for `rip`, or nullptr.
const ExceptionTableEntry* search_exception_tables(uint64_t rip);
// If the faulting instruction has a fix-up, points regs->rip at it and returns true.
bool fixup_exception(PtRegs* regs);

// Copies `size` bytes from a kernel address that may not be mapped (Linux's copy_from_kernel_nofault):
// false, with `dst` partly written, if any byte faulted. For debugging output (the oops's "Code:" line).
bool copy_from_kernel_nofault(void* dst, const void* src, size_t size);

}  // namespace x86
#endif
