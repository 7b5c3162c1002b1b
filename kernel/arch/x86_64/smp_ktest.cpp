// The other CPUs: brought up as the firmware and maxcpus=/nr_cpus= say, set up like the boot CPU, and
// reachable with cross-CPU calls and reschedule IPIs. On a one-CPU machine each test checks what it
// can (calls to this CPU, a reschedule self-IPI) and says that the multi-CPU part had nothing to do.
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/smp.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <lib/atomic.hpp>
#include <printk/printk.hpp>
#include <sched/kthread.hpp>
#include <sched/runqueue.hpp>
#include <sched/sched.hpp>
#include <smp/cpu.hpp>
#include <smp/smp.hpp>
#include <time/tick.hpp>

namespace {

// A bound for waiting on another CPU, in TSC cycles (a second or more).
constexpr uint64_t kWaitCycles = 3'000'000'000;

template <class Done>
bool wait_until(Done done) {
    uint64_t start = arch::read_cycle_counter();
    while (!done()) {
        if (arch::read_cycle_counter() - start > kWaitCycles) return false;
        arch::cpu_relax();
    }
    return true;
}

// Some online CPU other than this one, or this one if it is alone.
unsigned other_cpu() {
    unsigned self = smp_processor_id();
    for_each_online_cpu(cpu) {
        if (cpu != self) return cpu;
    }
    return self;
}

void note_single_cpu(const char* test) {
    if (num_online_cpus() == 1) pr_info("ktest:   %s: one CPU online, only this CPU was checked", test);
}

struct CpuReport {
    Atomic<bool> ran;
    unsigned cpu_id;
    uint32_t apic_id;
    bool percpu_self_ok;
    bool irqs_on;
    uint64_t cr0, cr4, efer;
    uint64_t gdt_base, idt_base;
    uint16_t task_register;
};
CpuReport reports[kMaxCpus];

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

void report_this_cpu(void*) {
    unsigned cpu = smp_processor_id();
    CpuReport& r = reports[cpu];
    r.cpu_id = cpu;
    r.apic_id = x86::apic::id();
    r.percpu_self_ok = this_cpu() == &per_cpu_data[cpu] && this_cpu()->self == this_cpu();
    r.irqs_on = arch::irqs_enabled();
    r.cr0 = x86::read_cr0();
    r.cr4 = x86::read_cr4();
    r.efer = x86::rdmsr(x86::MSR_EFER);
    DescriptorPointer gdtr{}, idtr{};
    asm volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
    r.gdt_base = gdtr.base;
    r.idt_base = idtr.base;
    asm volatile("str %0" : "=r"(r.task_register));
    r.ran.store(true, MemoryOrder::Release);
}

void clear_reports() {
    for (auto& r : reports) r.ran.store(false);
}

}  // namespace

KTEST(smp, expected_cpus_online) {
    unsigned listed = acpi_info().cpu_count ? acpi_info().cpu_count : 1;
    unsigned expected = listed;
    if (nr_cpu_ids < expected) expected = nr_cpu_ids;
    unsigned max = setup_max_cpus ? setup_max_cpus : 1;
    if (max < expected) expected = max;
    KEXPECT_EQ(num_online_cpus(), expected);
    KEXPECT_EQ(cpu_online_mask.weight(), num_online_cpus());
    KEXPECT_TRUE(cpu_online(0));
    for_each_online_cpu(cpu) KEXPECT_TRUE(cpu_possible(cpu));
    pr_info("ktest:   %u CPUs listed by the firmware, %u online", listed, num_online_cpus());
}

KTEST(smp, cpus_report_distinct_cpu_and_apic_ids) {
    clear_reports();
    on_each_cpu(report_this_cpu, nullptr, true);
    for_each_online_cpu(cpu) {
        const CpuReport& r = reports[cpu];
        KASSERT_TRUE(r.ran.load(MemoryOrder::Acquire));
        KEXPECT_EQ(r.cpu_id, cpu);
        KEXPECT_EQ(r.apic_id, x86::cpu_apic_id(cpu));
        KEXPECT_TRUE(r.percpu_self_ok);
        for_each_online_cpu(other) {
            if (other < cpu) KEXPECT_TRUE(reports[other].apic_id != r.apic_id);
        }
    }
    note_single_cpu("cpus_report_distinct_cpu_and_apic_ids");
}

// Every CPU runs with the boot CPU's feature switches and its own descriptor tables.
KTEST(smp, cpus_are_set_up_like_the_boot_cpu) {
    clear_reports();
    on_each_cpu(report_this_cpu, nullptr, true);
    const CpuReport& boot = reports[0];
    KASSERT_TRUE(boot.ran.load(MemoryOrder::Acquire));
    for_each_online_cpu(cpu) {
        const CpuReport& r = reports[cpu];
        KASSERT_TRUE(r.ran.load(MemoryOrder::Acquire));
        KEXPECT_EQ(r.cr0, boot.cr0);
        KEXPECT_EQ(r.cr4, boot.cr4);
        KEXPECT_EQ(r.efer, boot.efer);
        KEXPECT_EQ(r.idt_base, boot.idt_base);  // one IDT for all
        KEXPECT_EQ(r.task_register, 0x40);
        for_each_online_cpu(other) {
            if (other < cpu) KEXPECT_TRUE(reports[other].gdt_base != r.gdt_base);  // a GDT/TSS each
        }
    }
    note_single_cpu("cpus_are_set_up_like_the_boot_cpu");
}

KTEST(smp, call_function_single_runs_on_target_and_waits) {
    for_each_online_cpu(cpu) {
        reports[cpu].ran.store(false);
        KASSERT_TRUE(!smp_call_function_single(cpu, report_this_cpu, nullptr, true).is_error());
        // wait=true: done by the time the call returns, on that CPU, with its interrupts off.
        KEXPECT_TRUE(reports[cpu].ran.load(MemoryOrder::Acquire));
        KEXPECT_EQ(reports[cpu].cpu_id, cpu);
        KEXPECT_FALSE(reports[cpu].irqs_on);
    }
    if (!cpu_online(kMaxCpus - 1))
        KEXPECT_EQ(int(smp_call_function_single(kMaxCpus - 1, report_this_cpu, nullptr, true).error()), int(Errno::ENXIO));
    note_single_cpu("call_function_single_runs_on_target_and_waits");
}

namespace {
Atomic<unsigned> calls_per_cpu[kMaxCpus];
void count_call(void*) { calls_per_cpu[smp_processor_id()].fetch_add(1); }
}  // namespace

KTEST(smp, call_function_reaches_all_others) {
    for (auto& c : calls_per_cpu) c.store(0);
    unsigned self = smp_processor_id();
    smp_call_function(count_call, nullptr, true);
    for (unsigned cpu = 0; cpu < kMaxCpus; cpu++)
        KEXPECT_EQ(calls_per_cpu[cpu].load(), cpu != self && cpu_online(cpu) ? 1u : 0u);
    note_single_cpu("call_function_reaches_all_others");
}

KTEST(smp, call_function_without_waiting_completes) {
    for (auto& c : calls_per_cpu) c.store(0);
    unsigned target = other_cpu();
    uint64_t ipis_before = smp_ipi_counts(target).call_function;
    KASSERT_TRUE(!smp_call_function_single(target, count_call, nullptr, false).is_error());
    KEXPECT_TRUE(wait_until([&] { return calls_per_cpu[target].load() == 1; }));
    if (target != smp_processor_id()) KEXPECT_TRUE(smp_ipi_counts(target).call_function > ipis_before);
    note_single_cpu("call_function_without_waiting_completes");
}

namespace {
// Runs in the other CPU's IPI handler and calls back the first CPU, which waits with interrupts off.
void call_back_caller(void* caller) {
    (void)smp_call_function_single(unsigned(uintptr_t(caller)), count_call, nullptr, true);
}
}  // namespace

KTEST(smp, nested_call_to_a_waiting_cpu_with_interrupts_off) {
    for (auto& c : calls_per_cpu) c.store(0);
    unsigned self = smp_processor_id();
    arch::IrqFlags flags = arch::irq_save();
    Result<void> r = smp_call_function_single(other_cpu(), call_back_caller, reinterpret_cast<void*>(uintptr_t(self)), true);
    arch::irq_restore(flags);
    KEXPECT_FALSE(r.is_error());
    KEXPECT_EQ(calls_per_cpu[self].load(), 1u);
    note_single_cpu("nested_call_to_a_waiting_cpu_with_interrupts_off");
}

KTEST(smp, reschedule_ipi_is_received) {
    unsigned target = other_cpu();
    uint64_t before = smp_ipi_counts(target).reschedule;
    smp_send_reschedule(target);
    KEXPECT_TRUE(wait_until([&] { return smp_ipi_counts(target).reschedule == before + 1; }));
    note_single_cpu("reschedule_ipi_is_received");
}

namespace {
constexpr unsigned kRounds = 20;
// Every CPU, from its IPI handler (interrupts off), calls every other one and waits, all at once.
void call_all_others_repeatedly(void*) {
    for (unsigned i = 0; i < kRounds; i++) smp_call_function(count_call, nullptr, true);
}
}  // namespace

KTEST(smp, all_cpus_calling_each_other_at_once) {
    for (auto& c : calls_per_cpu) c.store(0);
    on_each_cpu(call_all_others_repeatedly, nullptr, true);
    unsigned others = num_online_cpus() - 1;
    for_each_online_cpu(cpu) KEXPECT_EQ(calls_per_cpu[cpu].load(), others * kRounds);
    note_single_cpu("all_cpus_calling_each_other_at_once");
}

// With the local APIC timer as the boot CPU's tick, every other CPU gets its own and ticks too.
KTEST(smp, every_cpu_has_a_ticking_tick_device) {
    ClockEventDevice* boot_tick = tick_device(0);
    KASSERT_TRUE(boot_tick != nullptr);
    if (strcmp(boot_tick->name, "lapic") != 0) {
        pr_info("ktest:   the boot CPU ticks on %s, not the local APIC timer: other CPUs have no tick", boot_tick->name);
        return;
    }
    uint64_t before[kMaxCpus];
    for_each_online_cpu(cpu) {
        ClockEventDevice* dev = tick_device(cpu);
        KASSERT_TRUE(dev != nullptr);
        KEXPECT_EQ(dev->cpu, int(cpu));
        before[cpu] = tick_count(cpu);
    }
    for_each_online_cpu(cpu) {
        KEXPECT_TRUE(wait_until([&] { return tick_count(cpu) >= before[cpu] + 3; }));
    }
    note_single_cpu("every_cpu_has_a_ticking_tick_device");
}

// Each CPU runs as its own idle task ("swapper/N") on its own runqueue.
namespace {
struct IdleReport {
    Atomic<bool> ran;
    Task* current;
    RunQueue* rq;
};
IdleReport idle_reports[kMaxCpus];
void report_idle(void*) {
    IdleReport& r = idle_reports[smp_processor_id()];
    r.current = current();
    r.rq = this_cpu()->rq;
    r.ran.store(true, MemoryOrder::Release);
}
}  // namespace

KTEST(smp, cpus_have_their_own_idle_task_and_runqueue) {
    for (auto& r : idle_reports) r.ran.store(false);
    smp_call_function(report_idle, nullptr, true);  // from the IPI: current is what the CPU was running
    for_each_online_cpu(cpu) {
        if (cpu == smp_processor_id()) continue;
        const IdleReport& r = idle_reports[cpu];
        KASSERT_TRUE(r.ran.load(MemoryOrder::Acquire));
        KEXPECT_TRUE(r.current == per_cpu_data[cpu].idle);  // nothing else runs there
        KASSERT_TRUE(r.current != nullptr);
        KEXPECT_TRUE(is_idle_task(r.current));
        KEXPECT_EQ(task_cpu(r.current), cpu);
        KEXPECT_TRUE(r.rq == &cpu_rq(cpu));
        KEXPECT_TRUE(r.rq->idle == r.current);
        char name[16];
        ksnprintf(name, sizeof name, "swapper/%u", cpu);
        KEXPECT_EQ(strcmp(r.current->comm, name), 0);
        for_each_online_cpu(other) {
            if (other < cpu) KEXPECT_TRUE(per_cpu_data[other].idle != r.current);
        }
    }
    note_single_cpu("cpus_have_their_own_idle_task_and_runqueue");
}

// A reschedule IPI makes the other CPU's idle loop call the scheduler, which clears need_resched.
KTEST(smp, reschedule_ipi_runs_the_scheduler_there) {
    unsigned target = other_cpu();
    uint64_t before = smp_ipi_counts(target).reschedule;
    smp_send_reschedule(target);
    KEXPECT_TRUE(wait_until([&] {
        return smp_ipi_counts(target).reschedule > before &&
               !__atomic_load_n(&per_cpu_data[target].need_resched, __ATOMIC_ACQUIRE);
    }));
    note_single_cpu("reschedule_ipi_runs_the_scheduler_there");
}

namespace {
Atomic<int> bound_thread_saw_cpu{-1};
int report_cpu_until_stopped(void*) {
    bound_thread_saw_cpu.store(int(smp_processor_id()));
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (!kthread_should_stop()) schedule();
        __set_current_state(TASK_RUNNING);
    }
    return int(smp_processor_id());
}
}  // namespace

// A kernel thread bound to a CPU is woken there (a wake-up on another CPU's runqueue: reschedule IPI),
// runs, sleeps, is woken again by kthread_stop() and exits there.
KTEST(smp, kthread_bound_to_a_cpu_runs_there) {
    for_each_online_cpu(cpu) {
        bound_thread_saw_cpu.store(-1);
        Result<Task*> t = kthread_create(report_cpu_until_stopped, nullptr, "ktest_bound/%u", cpu);
        KASSERT_TRUE(!t.is_error());
        kthread_bind(t.value(), cpu);
        wake_up_process(t.value());
        KEXPECT_TRUE(wait_until([] { return bound_thread_saw_cpu.load() >= 0; }));
        KEXPECT_EQ(bound_thread_saw_cpu.load(), int(cpu));
        KEXPECT_EQ(kthread_stop(t.value()), int(cpu));
    }
    note_single_cpu("kthread_bound_to_a_cpu_runs_there");
}
