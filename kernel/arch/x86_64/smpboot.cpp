// Starting the other CPUs (Linux's arch/x86/kernel/smpboot.c).
//
// The firmware lists every enabled CPU's local APIC ID in the ACPI MADT; the CPU we boot on gets id 0,
// the others consecutive ids in MADT order. Each is started with the MP specification's sequence:
// INIT, 10 ms, STARTUP, 200 us, STARTUP (ignored by a CPU that already started), pointing it at the
// real-mode trampoline (boot/trampoline.S). The new CPU reports in through boot_state; the boot CPU
// waits for that, and then for the CPU to mark itself online, each with a timeout. CPUs are started
// one at a time, so the trampoline's single parameter block is never shared.
//
//   boot_state: Idle -> Booting (boot CPU, before INIT)
//               Booting -> CalledIn (the new CPU, first thing in start_secondary)
//               Booting -> Aborted (boot CPU, on timeout: a CPU that wakes up later parks itself)
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/ipi.hpp>
#include <arch/x86_64/smp.hpp>
#include <arch/x86_64/thread.hpp>
#include <arch/x86_64/time/lapic_timer.hpp>
#include <arch/x86_64/trampoline.hpp>
#include <arch/x86_64/traps.hpp>
#include <lib/atomic.hpp>
#include <lib/string.hpp>
#include <mm/vmalloc.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <sched/idle.hpp>
#include <sched/task.hpp>
#include <smp/cpumask.hpp>
#include <time/clocksource_api.hpp>

namespace x86 {
namespace {

enum BootState : int { kIdle, kBooting, kCalledIn, kAborted };

uint32_t cpu_to_apic_id[kMaxCpus];
Atomic<int> boot_state[kMaxCpus];
bool trampoline_ready = false;

// How long the boot CPU waits for a started CPU to call in, and then to come online. Generous: under
// emulation a virtual CPU may not be scheduled for a while.
constexpr uint64_t kCallinTimeoutUs = 10'000'000;
constexpr uint64_t kOnlineTimeoutUs = 10'000'000;

// A CPU's interrupt stacks (#DF, NMI, #MC), from vmalloc: unmapped guard pages around each turn an
// overflow into a fault instead of silent corruption. (Its first kernel stack is its idle task's.)
struct CpuBootData {
    void* ist_stacks[kIstStacks];
    uint64_t ist_tops[kIstStacks];
};
CpuBootData cpu_boot_data[kMaxCpus];

Result<void> alloc_ist_stacks(CpuBootData& boot) {
    bool ok = true;
    for (auto& ist : boot.ist_stacks) {
        if (!ist) ist = vmalloc(kIstStackSize);  // kept from an earlier attempt
        ok = ok && ist != nullptr;
    }
    if (!ok) return Errno::ENOMEM;  // what was allocated is kept for the next attempt
    for (unsigned i = 0; i < kIstStacks; i++) boot.ist_tops[i] = reinterpret_cast<uint64_t>(boot.ist_stacks[i]) + kIstStackSize;
    return {};
}

// Polls `done` about every 10 us for at most `timeout_us`.
template <class Done>
bool wait_until(Done done, uint64_t timeout_us) {
    for (uint64_t waited = 0; waited < timeout_us; waited += 10) {
        if (done()) return true;
        udelay(10);
    }
    return done();
}

uint8_t* trampoline_base() { return static_cast<uint8_t*>(arch::phys_to_virt(kTrampolinePhys)); }

TrampolineParams& trampoline_parameters() {
    return *reinterpret_cast<TrampolineParams*>(trampoline_base() + (trampoline_params - trampoline_start));
}

// Copies the trampoline below 1 MiB and builds its page tables: an identity map of the first 2 MiB
// (where the trampoline runs when paging comes on) and the kernel's higher half.
void setup_trampoline() {
    constexpr uint64_t kPresent = 1, kWritable = 2, kLargePage = 0x80;
    constexpr uint64_t kPhysAddrMask = 0x000ffffffffff000ull;
    size_t size = size_t(trampoline_end - trampoline_start);
    BUG_ON(size > TRAMPOLINE_PML4_OFFSET);

    uint8_t* base = trampoline_base();
    memset(base, 0, kTrampolineSize);
    memcpy(base, trampoline_start, size);
    auto* pml4 = reinterpret_cast<uint64_t*>(base + TRAMPOLINE_PML4_OFFSET);
    auto* pdpt = reinterpret_cast<uint64_t*>(base + TRAMPOLINE_PDPT_OFFSET);
    auto* pd = reinterpret_cast<uint64_t*>(base + TRAMPOLINE_PD_OFFSET);
    pml4[0] = (kTrampolinePhys + TRAMPOLINE_PDPT_OFFSET) | kPresent | kWritable;
    pdpt[0] = (kTrampolinePhys + TRAMPOLINE_PD_OFFSET) | kPresent | kWritable;
    pd[0] = 0 | kPresent | kWritable | kLargePage;
    const auto* kernel_pml4 = static_cast<const uint64_t*>(arch::phys_to_virt(read_cr3() & kPhysAddrMask));
    for (unsigned i = 256; i < 512; i++) pml4[i] = kernel_pml4[i];
    trampoline_ready = true;
}

void fill_trampoline_parameters(unsigned cpu, uint32_t apic_id, uint64_t stack_top) {
    constexpr uint32_t kCr4Pae = 1u << 5, kCr4Pge = 1u << 7;
    TrampolineParams& p = trampoline_parameters();
    p.apic_id = apic_id;
    // PGE as on the boot CPU: the kernel's page tables mark its mappings global.
    p.cr4 = kCr4Pae | (uint32_t(read_cr4()) & kCr4Pge);
    // NXE before paging is on: the kernel's page tables may set NX, a reserved bit without it.
    p.efer = uint32_t(rdmsr(MSR_EFER) & (EFER_SCE | EFER_NXE)) | uint32_t(EFER_LME);
    p.cpu = cpu;
    p.stack_top = stack_top;
    p.kernel_cr3 = read_cr3();
    p.entry = reinterpret_cast<uint64_t>(&secondary_startup_64);
    p.gs_base = reinterpret_cast<uint64_t>(&per_cpu_data[cpu]);
}

// INIT, then up to two STARTUPs, with the MP specification's delays.
void wake_up_cpu(unsigned cpu, uint32_t apic_id) {
    // The parameters must be in memory before the CPU can run: a full fence orders them before the
    // uncached APIC writes that start it.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic::send_init(apic_id);
    mdelay(10);
    for (int i = 0; i < 2 && boot_state[cpu].load() == kBooting; i++) {
        apic::send_startup(apic_id, kTrampolineStartPage);
        udelay(200);
    }
}

[[noreturn]] void park_cpu() {
    for (;;) asm volatile("cli; hlt");
}

}  // namespace

uint32_t cpu_apic_id(unsigned cpu) {
    return cpu < kMaxCpus && cpu_possible(cpu) ? cpu_to_apic_id[cpu] : kInvalidApicId;
}

}  // namespace x86

void arch::smp_prepare_cpus(unsigned max_cpus) {
    using namespace x86;
    smp_install_ipi_handlers();
    uint32_t boot_apic_id = apic::id();
    cpu_to_apic_id[0] = boot_apic_id;
    const AcpiInfo& acpi = acpi_info();
    unsigned cpus = 1, ignored = 0;
    for (unsigned i = 0; i < acpi.cpu_count; i++) {
        uint32_t apic_id = acpi.cpu_apic_ids[i];
        if (apic_id == boot_apic_id) continue;
        if (cpus >= max_cpus) {
            ignored++;
            continue;
        }
        cpu_to_apic_id[cpus] = apic_id;
        set_cpu_possible(cpus++, true);
    }
    // (The MADT parser has already said how many CPUs the firmware lists.)
    if (ignored) pr_info("smpboot: nr_cpus=%u: %u of the CPUs the firmware lists are ignored", max_cpus, ignored);
}

Result<void> arch::smp_boot_cpu(unsigned cpu, Task* idle) {
    using namespace x86;
    uint32_t apic_id = cpu_apic_id(cpu);
    if (cpu == 0 || apic_id == kInvalidApicId || !idle || !idle->stack) return Errno::EINVAL;
    if (cpu_online(cpu) || boot_state[cpu].load() != kIdle) return Errno::EBUSY;

    if (alloc_ist_stacks(cpu_boot_data[cpu]).is_error()) {
        pr_err("smpboot: CPU%u: no memory for its interrupt stacks, not brought up", cpu);
        return Errno::ENOMEM;
    }
    if (!trampoline_ready) setup_trampoline();
    fill_trampoline_parameters(cpu, apic_id, reinterpret_cast<uint64_t>(idle->stack) + kThreadSize);
    boot_state[cpu].store(kBooting);

    pr_info("smpboot: Booting Node 0 Processor %u APIC 0x%x", cpu, apic_id);
    wake_up_cpu(cpu, apic_id);
    if (!wait_until([cpu] { return boot_state[cpu].load() != kBooting; }, kCallinTimeoutUs)) {
        int expected = kBooting;
        if (boot_state[cpu].compare_exchange(expected, kAborted)) {
            // Its stacks stay as they are: should the CPU still wake up, it may run on them until
            // it sees that it was given up on.
            pr_err("smpboot: CPU%u: Not responding (APIC 0x%x), not brought up", cpu, apic_id);
            return Errno::EIO;
        }
    }
    if (!wait_until([cpu] { return cpu_online(cpu); }, kOnlineTimeoutUs)) {
        pr_err("smpboot: CPU%u: called in but did not come online", cpu);
        return Errno::EIO;
    }
    return {};
}

extern "C" [[noreturn]] void start_secondary(unsigned cpu) {
    using namespace x86;
    // Descriptor tables first: from here on a fault on this CPU is an oops, not a triple fault.
    cpu_init_exception_handling(cpu, cpu_boot_data[cpu].ist_tops);
    cpu_init();
    int expected = kBooting;
    if (!boot_state[cpu].compare_exchange(expected, kCalledIn)) park_cpu();  // the boot CPU gave up on us

    apic::setup_local_apic();
    if (apic::id() != cpu_to_apic_id[cpu])
        panic("smpboot: CPU%u runs on APIC 0x%x, expected 0x%x", cpu, apic::id(), cpu_to_apic_id[cpu]);
    setup_secondary_APIC_clock();  // this CPU's tick
    set_cpu_online(cpu, true);
    arch::irq_enable();
    cpu_startup_entry();  // as its idle task (current since sched_prepare_cpu()), on that task's stack
}
