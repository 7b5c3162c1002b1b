#pragma once
// CPUID feature bits Tern acts on, read once by setup_arch().
struct CpuFeatures {
    bool apic, x2apic, tsc, tsc_deadline, invariant_tsc, rdtscp;
    bool nx, smep, smap, gbpages, xsave, fsgsbase;
    char vendor[13];
};
extern CpuFeatures boot_cpu_features;

namespace x86 {
// This CPU's feature switches (CR0, CR4, EFER) from boot_cpu_features, so every CPU runs with the same
// ones: setup_arch() calls it on the boot CPU, start_secondary() on each other CPU.
void cpu_init();
}  // namespace x86
