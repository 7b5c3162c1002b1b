#pragma once
// CPUID feature bits Tern acts on, read once by setup_arch().
struct CpuFeatures {
    bool apic, x2apic, tsc, tsc_deadline, invariant_tsc, rdtscp;
    bool nx, smep, smap, gbpages, xsave, fsgsbase;
    char vendor[13];
};
extern CpuFeatures boot_cpu_features;
