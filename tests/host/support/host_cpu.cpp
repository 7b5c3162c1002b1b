// The host build's "CPU": per_cpu_data[0] stands for the one CPU the unit tests run on, so code that
// takes spinlocks or reads preempt_count works unchanged.
#include <smp/percpu.hpp>

namespace {
struct HostCpuSetup {
    HostCpuSetup() {
        per_cpu_data[0].self = &per_cpu_data[0];
        arch::host::cpu = &per_cpu_data[0];
    }
} host_cpu_setup;
}  // namespace
