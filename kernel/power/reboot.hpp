#pragma once
// Ending the system on request (Linux's kernel/reboot.c): reboot(2) and the in-kernel calls behind it.
// Each prints Linux's "reboot: ..." line, stops the other CPUs and hands the machine to the architecture.

[[noreturn]] void kernel_restart(const char* command);  // command: RESTART2's string, or nullptr
[[noreturn]] void kernel_halt();
[[noreturn]] void kernel_power_off();

// Whether Ctrl-Alt-Del reboots at once (reboot(LINUX_REBOOT_CMD_CAD_ON)) or is sent to init as SIGINT
// (CAD_OFF, the default), for a keyboard driver to ask.
bool ctrl_alt_del_reboots();
