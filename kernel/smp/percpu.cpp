#include <smp/percpu.hpp>

PerCpu per_cpu_data[kMaxCpus];
unsigned nr_cpus_online = 1;
