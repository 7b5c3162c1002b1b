#pragma once
// Kernel command-line parameters. A subsystem declares the parameters it understands next to the code
// that uses them: `KERNEL_PARAM("clocksource", setup_clocksource);` The setup function gets the text after
// '=' (or nullptr for a bare word) and returns false if the value is invalid.
#include <lib/cmdline.hpp>

#define KERNEL_PARAM_CAT2(a, b) a##b
#define KERNEL_PARAM_CAT(a, b) KERNEL_PARAM_CAT2(a, b)
#define KERNEL_PARAM(name, fn)                                                              \
    [[gnu::used, gnu::section(".kparam"), gnu::aligned(8)]] static const KernelParam KERNEL_PARAM_CAT( \
        kernel_param_, __LINE__) = {name, fn}

// Parses boot_info.cmdline: known parameters call their setup function; the rest become init's argv
// and envp as Linux does.
void parse_boot_params();

// What init is started with (unknown parameters end up here).
const InitArgs& init_args();

// Values of the core parameters, for kernel_init.
extern const char* ramdisk_execute_command;  // rdinit=, default "/init"
extern const char* execute_command;          // init=
