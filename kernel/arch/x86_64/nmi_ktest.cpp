// NMIs: delivered to a registered handler, on the NMI's own IST stack, and the interrupted code goes on.
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/nmi.hpp>
#include <kunit/ktest.hpp>
#include <smp/percpu.hpp>

namespace {

volatile unsigned nmi_hits;
volatile uintptr_t nmi_stack_address;

bool test_nmi_handler(x86::PtRegs*) {
    int marker;
    nmi_stack_address = reinterpret_cast<uintptr_t>(&marker);
    nmi_hits = nmi_hits + 1;
    return true;
}

}  // namespace

KTEST(nmi, self_nmi_runs_handler_on_ist_stack) {
    nmi_hits = 0;
    KASSERT_TRUE(x86::register_nmi_handler(test_nmi_handler));
    x86::apic::send_nmi(x86::apic::id());
    for (int i = 0; i < 1000000 && !nmi_hits; i++) arch::cpu_relax();
    x86::unregister_nmi_handler(test_nmi_handler);
    KEXPECT_EQ(nmi_hits, 1);

    uint64_t top = x86::cpu_tss(smp_processor_id()).ist[x86::IST_NMI - 1];
    KEXPECT_TRUE(nmi_stack_address < top && nmi_stack_address >= top - x86::kIstStackSize);
}

KTEST(nmi, handler_table_is_bounded) {
    unsigned registered = 0;
    bool (*const handlers[])(x86::PtRegs*) = {
        [](x86::PtRegs*) { return false; }, [](x86::PtRegs*) { return false; },
        [](x86::PtRegs*) { return false; }, [](x86::PtRegs*) { return false; },
        [](x86::PtRegs*) { return false; },
    };
    for (auto h : handlers) registered += x86::register_nmi_handler(h);
    KEXPECT_EQ(registered, x86::kMaxNmiHandlers);
    for (auto h : handlers) x86::unregister_nmi_handler(h);
    KEXPECT_TRUE(x86::register_nmi_handler(handlers[0]));
    x86::unregister_nmi_handler(handlers[0]);
}
