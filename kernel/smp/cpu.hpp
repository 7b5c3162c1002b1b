#pragma once
// CPU bring-up at boot (smp_init() itself is declared in init/subsystems.hpp).
#include <lib/result.hpp>
#include <smp/cpumask.hpp>

// maxcpus=: how many CPUs smp_init() brings up, the boot CPU included (kMaxCpus when not given).
extern unsigned setup_max_cpus;
// nr_cpus=: how many CPUs may exist at all; the architecture marks no more than that possible.
extern unsigned nr_cpu_ids;

// Brings possible CPU `cpu` online: its per-CPU area, runqueue and idle task, then the architecture's
// start-up. EINVAL if it is not possible, EBUSY if already online.
Result<void> cpu_up(unsigned cpu);
// Boots possible CPUs in id order until `max_cpus` are online (or none is left).
void bringup_nonboot_cpus(unsigned max_cpus);
