// Ending the machine: QEMU's isa-debug-exit, the 8042 reset line, and a triple fault as last resort.
#include <arch/arch.hpp>
#include <arch/x86_64/io.hpp>

namespace {
constexpr uint16_t kIsaDebugExitPort = 0xf4;
}

void arch::notify_host_exit(int code) { x86::outl(kIsaDebugExitPort, uint32_t(code)); }

void arch::halt_forever() {
    for (;;) asm volatile("cli; hlt");
}

void arch::stop_other_cpus() {
    // Only the boot CPU runs until SMP bring-up; then this sends the stop IPI.
}

void arch::machine_restart() {
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
    halt_forever();
}
