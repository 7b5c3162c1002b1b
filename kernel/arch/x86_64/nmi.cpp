// Non-maskable interrupts: stopping the other CPUs at panic, and reporting NMIs nobody expected.
// The handler runs on its own IST stack with NMIs blocked until its iretq; it must not fault (an iretq
// from a nested exception would unblock NMIs while the NMI stack is in use).
#include <arch/arch.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/nmi.hpp>
#include <arch/x86_64/smp.hpp>
#include <arch/x86_64/traps.hpp>
#include <lib/atomic.hpp>
#include <printk/printk.hpp>
#include <smp/cpumask.hpp>

namespace {

Atomic<x86::NmiHandler> nmi_handlers[x86::kMaxNmiHandlers];
// The CPU that stops the others (panic, oops), or -1. Only one CPU may: a second CPU that panics at the
// same time parks instead of printing over the first one's report.
Atomic<int> stopping_cpu{-1};
Atomic<bool> stop_requested{false};
Atomic<bool> cpu_parked[kMaxCpus];
Atomic<unsigned> cpus_stopped{0};
// A bound for waiting on the other CPUs, in TSC cycles (about a second at common frequencies).
constexpr uint64_t kStopWaitCycles = 2'000'000'000;

// Interrupts off for good. Counted once per CPU: it may get here both by itself (a second panicking
// CPU) and through the stop NMI, which still wakes hlt with interrupts off.
[[noreturn]] void park_this_cpu() {
    asm volatile("cli");
    unsigned cpu = smp_processor_id();
    if (cpu < kMaxCpus && !cpu_parked[cpu].exchange(true)) cpus_stopped.fetch_add(1);
    for (;;) asm volatile("cli; hlt");
}

}  // namespace

bool x86::register_nmi_handler(NmiHandler handler) {
    for (auto& slot : nmi_handlers) {
        NmiHandler expected = nullptr;
        if (slot.compare_exchange(expected, handler)) return true;
    }
    return false;
}

void x86::unregister_nmi_handler(NmiHandler handler) {
    for (auto& slot : nmi_handlers) {
        NmiHandler expected = handler;
        slot.compare_exchange(expected, nullptr);
    }
}

void x86::handle_nmi(PtRegs* regs) {
    if (stop_requested.load()) park_this_cpu();
    bool handled = false;
    for (auto& slot : nmi_handlers)
        if (NmiHandler h = slot.load(MemoryOrder::Acquire)) handled |= h(regs);
    if (handled) return;
    // Port 0x61 (system control port B): bit 7 memory parity / SERR, bit 6 I/O channel check.
    uint8_t reason = inb(0x61);
    pr_emerg("Uhhuh. NMI received for unknown reason %02x on CPU %u.", reason, smp_processor_id());
    pr_emerg("Dazed and confused, but trying to continue");
}

void arch::stop_other_cpus() {
    int self = int(smp_processor_id());
    int expected = -1;
    if (!stopping_cpu.compare_exchange(expected, self)) {
        if (expected == self) return;  // this CPU already stopped the others (an oops, then its panic)
        park_this_cpu();               // another CPU is stopping us
    }
    unsigned others = nr_cpus_online > 1 ? nr_cpus_online - 1 : 0;
    if (!x86::apic::ready() || others == 0) return;
    stop_requested.store(true);
    // To the online CPUs by name, not with the all-but-self shorthand: CPUs that were never brought up
    // (maxcpus=, nr_cpus=) still sit in the firmware's code, which an NMI would crash.
    for_each_online_cpu(cpu) {
        if (int(cpu) != self) x86::apic::send_nmi(x86::cpu_apic_id(cpu));
    }
    uint64_t start = read_cycle_counter();
    while (cpus_stopped.load() < others && read_cycle_counter() - start < kStopWaitCycles) cpu_relax();
    if (unsigned stopped = cpus_stopped.load(); stopped < others)
        pr_emerg("smp: %u of %u other CPUs did not stop", others - stopped, others);
}
