// /sys/devices/system/cpu: which CPUs exist and run (Linux's drivers/base/cpu.c), in the list format
// ("0-3") glibc's sysconf(_SC_NPROCESSORS_ONLN) and get_nprocs() parse.
#include <fs/sysfs/sysfs_internal.hpp>
#include <smp/cpumask_print.hpp>

namespace {

void show_online(SeqBuf& m) {
    cpumask_print_list(m, cpu_online_mask);
    m.putc('\n');
}

// Tern's possible CPUs are the ones the firmware lists, all present.
void show_possible(SeqBuf& m) {
    cpumask_print_list(m, cpu_possible_mask);
    m.putc('\n');
}

void show_offline(SeqBuf& m) {
    CpuMask offline;
    for_each_possible_cpu(cpu) if (!cpu_online(cpu)) offline.set(cpu);
    cpumask_print_list(m, offline);
    m.putc('\n');
}

void show_kernel_max(SeqBuf& m) { m.printf("%u\n", kMaxCpus - 1); }

}  // namespace

const SysfsAttribute sysfs_cpu_attributes[] = {
    {"kernel_max", show_kernel_max},
    {"offline", show_offline},
    {"online", show_online},
    {"possible", show_possible},
    {"present", show_possible},
};
const size_t sysfs_nr_cpu_attributes = sizeof sysfs_cpu_attributes / sizeof sysfs_cpu_attributes[0];
