// /proc/cpuinfo: one block per online CPU, in the architecture's format (arch::show_cpuinfo).
#include <arch/arch.hpp>
#include <fs/proc/internal.hpp>
#include <smp/cpumask.hpp>

Result<void> proc_cpuinfo_show(SeqBuf& m, ProcInode*) {
    for_each_online_cpu(cpu) arch::show_cpuinfo(m, cpu);
    return {};
}
