// Non-maskable interrupts: stopping the other CPUs at panic, and reporting NMIs nobody expected.
// The handler runs on its own IST stack with NMIs blocked until its iretq; it must not fault (an iretq
// from a nested exception would unblock NMIs while the NMI stack is in use).
#include <arch/arch.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/traps.hpp>
#include <lib/atomic.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>

namespace {

Atomic<bool> stop_requested{false};
Atomic<unsigned> cpus_stopped{0};
// A bound for waiting on the other CPUs, in TSC cycles (about a second at common frequencies).
constexpr uint64_t kStopWaitCycles = 2'000'000'000;

[[noreturn]] void park_this_cpu() {
    cpus_stopped.fetch_add(1);
    for (;;) asm volatile("cli; hlt");
}

}  // namespace

void x86::handle_nmi(PtRegs*) {
    if (stop_requested.load()) park_this_cpu();
    // Port 0x61 (system control port B): bit 7 memory parity / SERR, bit 6 I/O channel check.
    uint8_t reason = inb(0x61);
    pr_emerg("Uhhuh. NMI received for unknown reason %02x on CPU %u.", reason, smp_processor_id());
    pr_emerg("Dazed and confused, but trying to continue");
}

void arch::stop_other_cpus() {
    if (!x86::apic::ready() || stop_requested.exchange(true)) return;
    x86::apic::send_nmi_allbutself();
    unsigned others = nr_cpus_online > 1 ? nr_cpus_online - 1 : 0;
    uint64_t start = read_cycle_counter();
    while (cpus_stopped.load() < others && read_cycle_counter() - start < kStopWaitCycles) cpu_relax();
}
