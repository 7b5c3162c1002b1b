// Inter-processor interrupts for the generic SMP code (Linux's arch/x86/kernel/smp.c): sending them by
// CPU id, and the handlers of their system vectors.
#include <arch/arch.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/irq_vectors.hpp>
#include <arch/x86_64/smp.hpp>
#include <smp/smp.hpp>

namespace {

void send_to_cpu(unsigned cpu, uint8_t vector) {
    uint32_t apic_id = x86::cpu_apic_id(cpu);
    if (apic_id != x86::kInvalidApicId) x86::apic::send_ipi(apic_id, vector);
}

void reschedule_interrupt(x86::PtRegs*) { scheduler_ipi(); }
void call_function_interrupt(x86::PtRegs*) { generic_smp_call_function_interrupt(); }

}  // namespace

void arch::send_call_function_ipi(unsigned cpu) { send_to_cpu(cpu, x86::CALL_FUNCTION_VECTOR); }
void arch::send_call_function_single_ipi(unsigned cpu) { send_to_cpu(cpu, x86::CALL_FUNCTION_SINGLE_VECTOR); }
void arch::send_reschedule_ipi(unsigned cpu) { send_to_cpu(cpu, x86::RESCHEDULE_VECTOR); }

void x86::smp_install_ipi_handlers() {
    set_system_vector_handler(RESCHEDULE_VECTOR, reschedule_interrupt);
    set_system_vector_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
    set_system_vector_handler(CALL_FUNCTION_SINGLE_VECTOR, call_function_interrupt);
}
