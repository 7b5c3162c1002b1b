// Ending the machine: QEMU's isa-debug-exit, ACPI S5 power-off, the 8042 reset line, and a triple
// fault as last resort.
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/io.hpp>
#include <printk/printk.hpp>

namespace {
constexpr uint16_t kIsaDebugExitPort = 0xf4;
constexpr uint16_t PM1_SLP_TYP_SHIFT = 10;
constexpr uint16_t PM1_SLP_EN = 1u << 13;

// printk keeps the last line open for KERN_CONT until the next message: end it, so a run that stops
// right after its last message still shows it.
void flush_console_line() { pr_cont("\n"); }
}  // namespace

void arch::notify_host_exit(int code) {
    flush_console_line();  // under QEMU this is the end: nothing printed later would be seen
    x86::outl(kIsaDebugExitPort, uint32_t(code));
}

void arch::halt_forever() {
    for (;;) asm volatile("cli; hlt");
}

void arch::machine_restart() {
    flush_console_line();
    // Pulse the CPU reset line through the keyboard controller.
    for (int i = 0; i < 0x10000 && (x86::inb(0x64) & 0x02); i++) {
    }
    x86::outb(0x64, 0xfe);
    // Triple fault: load an empty IDT and take an exception.
    struct [[gnu::packed]] { uint16_t limit; uint64_t base; } empty_idt{0, 0};
    asm volatile("lidt %0; int3" : : "m"(empty_idt));
    halt_forever();
}

void arch::machine_power_off(int exit_code) {
    notify_host_exit(exit_code);
    // ACPI S5 (soft off): SLP_TYPx from the DSDT's \_S5 with SLP_EN, to PM1a_CNT and PM1b_CNT.
    const AcpiInfo& acpi = acpi_info();
    if (acpi.has_s5 && acpi.pm1a_control_port) {
        asm volatile("cli");
        x86::outw(uint16_t(acpi.pm1a_control_port), uint16_t(acpi.slp_typ_s5 << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
        if (acpi.pm1b_control_port)
            x86::outw(uint16_t(acpi.pm1b_control_port), uint16_t(acpi.slp_typb_s5 << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
    }
    halt_forever();
}
