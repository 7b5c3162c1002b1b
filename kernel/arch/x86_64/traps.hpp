#pragma once
// CPU exceptions (vectors 0-31): numbers, the hooks other subsystems install, and the entry points
// entry.S calls.
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/ptrace.hpp>
#include <stdint.h>

namespace x86 {

// Linux's names for the architectural exception vectors.
enum TrapNr : uint8_t {
    X86_TRAP_DE = 0,    // divide error
    X86_TRAP_DB = 1,    // debug
    X86_TRAP_NMI = 2,   // non-maskable interrupt
    X86_TRAP_BP = 3,    // breakpoint (int3)
    X86_TRAP_OF = 4,    // overflow (into)
    X86_TRAP_BR = 5,    // bound range exceeded
    X86_TRAP_UD = 6,    // invalid opcode
    X86_TRAP_NM = 7,    // device not available
    X86_TRAP_DF = 8,    // double fault
    X86_TRAP_OLD_MF = 9,
    X86_TRAP_TS = 10,   // invalid TSS
    X86_TRAP_NP = 11,   // segment not present
    X86_TRAP_SS = 12,   // stack segment fault
    X86_TRAP_GP = 13,   // general protection fault
    X86_TRAP_PF = 14,   // page fault
    X86_TRAP_SPURIOUS = 15,
    X86_TRAP_MF = 16,   // x87 floating-point exception
    X86_TRAP_AC = 17,   // alignment check
    X86_TRAP_MC = 18,   // machine check
    X86_TRAP_XF = 19,   // SIMD floating-point exception
    X86_TRAP_VE = 20,   // virtualization exception
    X86_TRAP_CP = 21,   // control protection exception
    X86_TRAP_VC = 29,   // VMM communication exception
};

// #PF error-code bits.
constexpr uint64_t X86_PF_PROT = 1u << 0;   // 0: not-present page, 1: protection violation
constexpr uint64_t X86_PF_WRITE = 1u << 1;
constexpr uint64_t X86_PF_USER = 1u << 2;
constexpr uint64_t X86_PF_RSVD = 1u << 3;
constexpr uint64_t X86_PF_INSTR = 1u << 4;
constexpr uint64_t X86_PF_PK = 1u << 5;
constexpr uint64_t X86_PF_SHSTK = 1u << 6;

// The error code the CPU pushed, 0 for exceptions that have none (the entry code stores -1 there).
inline uint64_t error_code(const PtRegs* regs) { return regs->orig_rax == ~0ull ? 0 : regs->orig_rax; }

// Prints Linux's oops report for an unrecoverable kernel-mode exception ("<what>: <error code> [#n]",
// registers, control registers, backtrace) and panics with "Fatal exception".
[[noreturn]] void die(const char* what, const PtRegs* regs, uint64_t error_code);
// Starts an oops report: interrupts off, console lock taken over (the report must get out).
void oops_begin();
// The register part of the report (also for user-mode exceptions nobody handled).
void show_regs(const PtRegs* regs);

// Early in setup_arch(): an IDT without IST stacks (there is no TSS yet), so that a fault during the
// rest of start-up prints an oops instead of triple-faulting.
void early_trap_init();
// Loads this CPU's GDT, TSS and IDT. trap_init() does it for the boot CPU; the SMP bring-up calls it
// on each other CPU with that CPU's IST stacks (kIstStacks x kIstStackSize bytes, see gdt.hpp).
void cpu_init_exception_handling(unsigned cpu, const uint64_t (&ist_stack_tops)[kIstStacks]);

// The exception (vector < 32) part of the entry dispatch, and the paranoid vectors' handlers.
void handle_exception(PtRegs* regs, unsigned vector);
void handle_nmi(PtRegs* regs);

}  // namespace x86

// Hooks, defined weakly in traps_hooks.cpp; a subsystem that takes the job over defines them strongly.
//
// handle_user_exception(): an exception raised by user-mode code (processes: turn it into a signal:
//   #DE SIGFPE, #UD SIGILL, #GP SIGSEGV, #PF SIGSEGV, #BP SIGTRAP...). `address` is the faulting
//   address for #PF (CR2), 0 otherwise. The default panics: there is no user space yet.
// handle_page_fault(): a page fault the memory manager may resolve (demand paging, copy-on-write, a user
//   address touched by copy_from_user). Returns true if resolved; the default resolves nothing, so the
//   fault goes to the fix-up table and then the oops.
void handle_user_exception(unsigned vector, x86::PtRegs* regs, uint64_t address);
bool handle_page_fault(x86::PtRegs* regs, uint64_t address, uint64_t error_code);

// From entry.S, with interrupts off.
extern "C" void x86_handle_entry(x86::PtRegs* regs, unsigned vector);
extern "C" void x86_handle_paranoid_entry(x86::PtRegs* regs, unsigned vector);
