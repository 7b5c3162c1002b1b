// Bringing up the other CPUs at boot (Linux's smp_init() and the maxcpus=/nr_cpus=/nosmp parameters),
// and the possible/online masks.
//
//   nr_cpus=N   at most N CPUs exist for the kernel (the boot CPU included): the possible mask
//   maxcpus=N   at most N CPUs are brought up at boot (maxcpus=1 or 0: only the boot CPU)
//   nosmp       the same as maxcpus=0
#include <smp/cpu.hpp>
#include <arch/arch.hpp>
#include <init/params.hpp>
#include <init/subsystems.hpp>
#include <printk/printk.hpp>
#include <sched/sched.hpp>
#include <smp/cpumask.hpp>

// The boot CPU is possible and online before anything else runs.
CpuMask cpu_possible_mask{1};
CpuMask cpu_online_mask{1};

unsigned setup_max_cpus = kMaxCpus;
unsigned nr_cpu_ids = kMaxCpus;

namespace {

bool parse_cpu_count(const char* value, unsigned& out) {
    long n;
    if (!value || !parse_int(value, n) || n < 0) return false;
    out = n > long(kMaxCpus) ? kMaxCpus : unsigned(n);
    return true;
}

bool setup_maxcpus(const char* value) { return parse_cpu_count(value, setup_max_cpus); }
KERNEL_PARAM("maxcpus", setup_maxcpus);

bool setup_nr_cpus(const char* value) {
    unsigned n;
    if (!parse_cpu_count(value, n) || n == 0) return false;
    nr_cpu_ids = n;
    return true;
}
KERNEL_PARAM("nr_cpus", setup_nr_cpus);

bool setup_nosmp(const char* value) {
    if (value) return false;
    setup_max_cpus = 0;
    return true;
}
KERNEL_PARAM("nosmp", setup_nosmp);

}  // namespace

void set_cpu_online(unsigned cpu, bool online) {
    if (online == cpu_online_mask.test(cpu)) return;
    if (online) {
        cpu_online_mask.set(cpu);
        __atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    } else {
        cpu_online_mask.clear(cpu);
        __atomic_sub_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    }
}

void set_cpu_possible(unsigned cpu, bool possible) {
    if (possible)
        cpu_possible_mask.set(cpu);
    else
        cpu_possible_mask.clear(cpu);
}

Result<void> cpu_up(unsigned cpu) {
    if (!cpu_possible(cpu)) return Errno::EINVAL;
    if (cpu_online(cpu)) return Errno::EBUSY;
    PerCpu& percpu = per_cpu_data[cpu];
    percpu.self = &percpu;
    percpu.cpu_id = cpu;
    if (Result<void> r = sched_prepare_cpu(cpu); r.is_error()) {
        pr_err("smpboot: CPU%u: no memory for its idle task, not brought up", cpu);
        return r;
    }
    return arch::smp_boot_cpu(cpu, percpu.idle);
}

void bringup_nonboot_cpus(unsigned max_cpus) {
    for_each_possible_cpu(cpu) {
        if (num_online_cpus() >= max_cpus) break;
        if (cpu_online(cpu)) continue;
        // Why a CPU did not come up has been reported; the others are still tried.
        (void)cpu_up(cpu);
    }
}

void smp_init() {
    arch::smp_prepare_cpus(nr_cpu_ids);
    pr_info("smp: Bringing up secondary CPUs ...");
    bringup_nonboot_cpus(setup_max_cpus);
    unsigned cpus = num_online_cpus();
    pr_info("smp: Brought up 1 node, %u CPU%s", cpus, cpus == 1 ? "" : "s");
}
