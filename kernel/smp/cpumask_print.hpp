#pragma once
// Printing CPU sets the way Linux's sysfs and /proc do: as a list ("0-3,6") for
// /sys/devices/system/cpu/online and Cpus_allowed_list, as a hex bitmap ("f") for Cpus_allowed.
#include <lib/seq_buf.hpp>
#include <smp/cpumask.hpp>

// "0-1,4" (empty for an empty set); no newline.
void cpumask_print_list(SeqBuf& m, const CpuMask& mask);
// Hex digits of the first `nr_bits` CPUs, zero-padded to that width, a comma between 32-bit groups.
void cpumask_print_bitmap(SeqBuf& m, const CpuMask& mask, unsigned nr_bits);
// The number of CPU ids Linux's nr_cpu_ids would be: the highest possible CPU + 1.
unsigned nr_cpu_ids();
