#pragma once
// The idle loop each CPU runs as its idle task once it has nothing else to do.

// One pass: halt until a reschedule is pending, then let the scheduler run something else.
void do_idle();
// The idle loop; the boot CPU enters it at the end of rest_init().
[[noreturn]] void cpu_startup_entry();
