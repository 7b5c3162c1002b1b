#include <init/version.hpp>
#include <init/boot_info.hpp>
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
}
