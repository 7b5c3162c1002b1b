#pragma once
// What the boot loader told us, in a form generic code can use. Filled by the architecture's entry
// code (arch/x86_64/boot/multiboot.cpp) before start_kernel().
#include <stddef.h>
#include <stdint.h>

struct MemoryRegion {
    enum class Type : uint8_t { Usable, Reserved, AcpiReclaimable, AcpiNvs, Bad };
    uint64_t base;
    uint64_t size;
    Type type;
};

struct BootModule {
    uint64_t phys_start;
    uint64_t phys_end;
    char name[64];  // the module string: "<file name> <args>"
};

struct BootInfo {
    char cmdline[2048];  // kernel parameters, without the image path QEMU puts first
    MemoryRegion memory[64];
    unsigned memory_count;
    BootModule modules[8];  // initramfs archives, in order
    unsigned module_count;
    uint64_t kernel_phys_start;
    uint64_t kernel_phys_end;     // end of bss
    uint64_t reserved_phys_end;   // past the kernel and every module: free memory starts above this
    uint64_t tsc_at_entry;        // TSC at the first instruction, for the boot-time figure
    char loader_name[32];
};

extern BootInfo boot_info;
