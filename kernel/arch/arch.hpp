#pragma once
// The narrow interface between generic kernel code and the CPU architecture.
//
// Generic code (lib, mm, sched, locking, time, irq, ...) includes only this header. Each architecture
// supplies arch/<name>/arch_impl.hpp with inline definitions of everything declared in the concept
// below; the host build (unit tests, the scheduler simulator) uses arch/host/arch_impl.hpp.
#include <stddef.h>
#include <stdint.h>
#include <lib/result.hpp>

#if defined(TERN_HOST)
#include <arch/host/arch_impl.hpp>
#else
#include <arch/x86_64/arch_impl.hpp>
#endif

struct PerCpu;
struct Task;

namespace arch {

// What every architecture must provide. Checked at compile time so a missing or misspelled function
// shows up here, not as a link error in some subsystem.
template <class = void>
concept ArchInterface = requires(IrqFlags f) {
    { irq_save() } -> std::same_as<IrqFlags>;
    { irq_restore(f) } -> std::same_as<void>;
    { irq_enable() } -> std::same_as<void>;
    { irq_disable() } -> std::same_as<void>;
    { irqs_enabled() } -> std::same_as<bool>;
    { irq_interrupted_user_mode() } -> std::same_as<bool>;
    { cpu_relax() } -> std::same_as<void>;
    { wait_for_interrupt() } -> std::same_as<void>;
    { read_cycle_counter() } -> std::same_as<uint64_t>;
    { phys_to_virt(uint64_t{}) } -> std::same_as<void*>;
    { virt_to_phys(static_cast<const void*>(nullptr)) } -> std::same_as<uint64_t>;
    { this_cpu() } -> std::same_as<PerCpu*>;
};
static_assert(ArchInterface<>);

}  // namespace arch

// The out-of-line part of the interface (arch/<name>/*.cpp).
namespace arch {

// Prints "Call Trace:" and one symbolized line per frame, starting at `frame_pointer` (0: the caller's).
void dump_backtrace(uintptr_t frame_pointer = 0);
// Stops every other CPU (panic); returns once they are parked.
void stop_other_cpus();
// Ends the machine. Under QEMU with isa-debug-exit the run ends with status (code << 1) | 1.
[[noreturn]] void machine_restart();
[[noreturn]] void machine_power_off(int exit_code);
[[noreturn]] void halt_forever();

}  // namespace arch

class SeqBuf;
namespace arch {
// /proc/cpuinfo's block for online CPU `cpu`, in the architecture's own format (Linux's show_cpuinfo),
// ending with the blank line that separates CPUs.
void show_cpuinfo(SeqBuf& m, unsigned cpu);
}  // namespace arch

namespace arch {
// Tells a hosting emulator that the run ends with `code` (QEMU's isa-debug-exit); no-op on hardware.
void notify_host_exit(int code);
}  // namespace arch

// Multiprocessor support (arch/<name>/smp*.cpp; the host build's stand-ins live with the unit tests).
// CPU ids are dense (0 = the boot CPU); the architecture maps them to its own ids (x86: APIC IDs).
namespace arch {
// Finds the CPUs the firmware lists, the boot CPU first, and marks at most `max_cpus` of them possible;
// installs the IPI handlers. Called once, by smp_init().
void smp_prepare_cpus(unsigned max_cpus);
// Starts possible CPU `cpu` on the kernel stack of its idle task and returns once it is online; on
// failure says why it is not. per_cpu_data[cpu] is set up (sched_prepare_cpu()).
Result<void> smp_boot_cpu(unsigned cpu, Task* idle);
// Interrupts another CPU (or this one) to run its queued cross-CPU calls / to reschedule.
void send_call_function_ipi(unsigned cpu);
void send_call_function_single_ipi(unsigned cpu);
void send_reschedule_ipi(unsigned cpu);
}  // namespace arch
