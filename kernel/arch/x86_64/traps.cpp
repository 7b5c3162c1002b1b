// CPU exceptions (Linux's arch/x86/kernel/traps.c): dispatch by vector, and trap_init().
//
// A kernel-mode exception first looks for a fix-up (extable.hpp): code that expects to fault says where
// to continue. Without one it is a kernel bug and dies with an oops. User-mode exceptions go to the
// processes hook (signals).
#include <arch/arch.hpp>
#include <arch/x86_64/entry/entry.hpp>
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/idt.hpp>
#include <arch/x86_64/traps.hpp>
#include <init/subsystems.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>

namespace x86 {

void do_page_fault(PtRegs* regs);  // fault.cpp

namespace {

// Linux's names, as die() prints them.
const char* exception_name(unsigned vector) {
    switch (vector) {
    case X86_TRAP_DE: return "divide error";
    case X86_TRAP_DB: return "debug";
    case X86_TRAP_NMI: return "nmi";
    case X86_TRAP_BP: return "int3";
    case X86_TRAP_OF: return "overflow";
    case X86_TRAP_BR: return "bounds";
    case X86_TRAP_UD: return "invalid opcode";
    case X86_TRAP_NM: return "device not available";
    case X86_TRAP_DF: return "double fault";
    case X86_TRAP_OLD_MF: return "coprocessor segment overrun";
    case X86_TRAP_TS: return "invalid TSS";
    case X86_TRAP_NP: return "segment not present";
    case X86_TRAP_SS: return "stack segment";
    case X86_TRAP_GP: return "general protection fault";
    case X86_TRAP_PF: return "page fault";
    case X86_TRAP_MF: return "coprocessor error";
    case X86_TRAP_AC: return "alignment check";
    case X86_TRAP_MC: return "machine check";
    case X86_TRAP_XF: return "SIMD exception";
    case X86_TRAP_VE: return "virtualization exception";
    case X86_TRAP_CP: return "control protection fault";
    default: return "reserved exception";
    }
}

void do_error_trap(PtRegs* regs, unsigned vector) {
    if (user_mode(regs)) {
        handle_user_exception(vector, regs, 0);
        return;
    }
    if (fixup_exception(regs)) return;
    die(exception_name(vector), regs, error_code(regs));
}

[[noreturn]] void do_double_fault(PtRegs* regs) {
    oops_begin();
    pr_emerg("PANIC: double fault, error_code: 0x%lx", (unsigned long)error_code(regs));
    die("double fault", regs, error_code(regs));
}

[[noreturn]] void do_machine_check(PtRegs* regs) {
    oops_begin();
    pr_emerg("mce: [Hardware Error]: CPU %u: Machine Check Exception", smp_processor_id());
    show_regs(regs);
    panic("Machine check");
}

void load_boot_cpu_idt(bool with_ist) {
    idt_setup(with_ist);
    load_idt();
}

}  // namespace

void handle_exception(PtRegs* regs, unsigned vector) {
    switch (vector) {
    case X86_TRAP_PF: do_page_fault(regs); break;
    default: do_error_trap(regs, vector); break;
    }
}

void early_trap_init() { load_boot_cpu_idt(false); }

void cpu_init_exception_handling(unsigned cpu, const uint64_t (&ist_stack_tops)[kIstStacks]) {
    load_cpu_gdt(cpu, ist_stack_tops);
    load_idt();
}

}  // namespace x86

extern "C" void x86_handle_paranoid_entry(x86::PtRegs* regs, unsigned vector) {
    switch (vector) {
    case x86::X86_TRAP_NMI: x86::handle_nmi(regs); break;
    case x86::X86_TRAP_DF: x86::do_double_fault(regs);
    case x86::X86_TRAP_MC: x86::do_machine_check(regs);
    default: x86::die("unexpected paranoid entry", regs, vector);
    }
}

void trap_init() {
    uint64_t ist_tops[x86::kIstStacks];
    x86::boot_cpu_ist_stack_tops(ist_tops);
    x86::cpu_init_exception_handling(0, ist_tops);
    // The TSS with the IST stacks is loaded now: switch #DF, NMI and #MC to their own stacks.
    x86::load_boot_cpu_idt(true);
    x86::syscall_init();  // the other CPUs call it from their own bring-up
}
