#pragma once
extern const char tern_banner[];
// Prints the time from the first instruction to kernel_init and the memory in use (the boot benchmark).
void report_boot_benchmark();
