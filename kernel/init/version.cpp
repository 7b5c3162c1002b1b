#include <init/version.hpp>
#include <init/boot_info.hpp>
#include <mm/gfp.hpp>
#include <printk/printk.hpp>
#include <time/sched_clock.hpp>

#ifndef TERN_VERSION
#define TERN_VERSION "0.1.0"
#endif

const char tern_banner[] = "Tern version " TERN_VERSION " (g++ " __VERSION__ ") #1 SMP PREEMPT";

void report_boot_benchmark() {
    // local_clock() counts from the TSC value saved by the very first instruction (arch entry code).
    uint64_t ns = local_clock();
    pr_info("boot: %lu.%06lu s from first instruction to kernel_init", (unsigned long)(ns / 1000000000),
            (unsigned long)(ns % 1000000000 / 1000));
    // Memory in use once booted: all usable RAM in the firmware's map minus what the allocator has free
    // (so the kernel image, the initrd, page descriptors and every allocation count).
    uint64_t ram = 0;
    for (unsigned i = 0; i < boot_info.memory_count; i++)
        if (boot_info.memory[i].type == MemoryRegion::Type::Usable) ram += boot_info.memory[i].size;
    uint64_t ram_k = ram / 1024, free_k = nr_free_pages() * 4;
    pr_info("boot: %luK of %luK RAM in use after boot, %luK free", (unsigned long)(ram_k - free_k),
            (unsigned long)ram_k, (unsigned long)free_k);
}
