// Linux's boot path, by name.
//
//   start_kernel()  set up everything that must exist before there is more than one task: the
//                   architecture, memory, the scheduler, interrupts and time. It runs on the boot stack
//                   as what becomes the idle task (PID 0).
//   rest_init()     creates kernel_init (PID 1) and kthreadd (PID 2), then turns the boot CPU's flow of
//                   control into the idle loop.
//   kernel_init()   runs the initcalls, the self-tests when asked, and finally becomes user space's init.
#include <init/boot_info.hpp>
#include <init/initcall.hpp>
#include <init/params.hpp>
#include <init/subsystems.hpp>
#include <init/version.hpp>
#include <kunit/ktest.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <time/sched_clock.hpp>
#include <arch/arch.hpp>
#include <arch/setup.hpp>
#include <lib/ksyms.hpp>
#include <lib/vsprintf.hpp>

extern "C" InitcallFn __initcall_start[], __initcall_end[];
extern "C" void (*__init_array_start[])(), (*__init_array_end[])();

void do_initcalls() {
    for (InitcallFn* call = __initcall_start; call < __initcall_end; call++) {
        int ret = (*call)();
        if (ret) pr_warn("initcall %pS returned %d", reinterpret_cast<void*>(*call), ret);
    }
}

namespace {

// Linux starts init with HOME=/ and TERM=linux plus the environment words of the command line.
void report_init_args(const char* path) {
    const InitArgs& args = init_args();
    pr_info("  with arguments:");
    pr_info("    %s", path);
    for (size_t i = 0; i < args.argc; i++) pr_info("    %s", args.argv[i]);
    pr_info("  with environment:");
    pr_info("    HOME=/");
    pr_info("    TERM=linux");
    for (size_t i = 0; i < args.envc; i++) pr_info("    %s", args.envp[i]);
}

[[noreturn]] void kernel_init() {
    smp_init();
    do_initcalls();
    report_boot_benchmark();

    int failures = run_ktests();
    if (failures >= 0) arch::machine_power_off(failures == 0 ? 0 : 2);

    // User space arrives with the processes issue: until then say what would run, then fail like Linux
    // does when no init can be executed.
    pr_info("Run %s as init process", ramdisk_execute_command);
    report_init_args(ramdisk_execute_command);
    pr_err("Failed to execute %s (error -8): user space is not implemented yet", ramdisk_execute_command);
    if (execute_command) pr_err("Failed to execute %s (error -8)", execute_command);
    panic("No working init found.  Try passing init= option to kernel. "
          "See Linux Documentation/admin-guide/init.rst for guidance.");
}

[[noreturn]] void rest_init() {
    kernel_init();
}

}  // namespace

extern "C" [[noreturn]] void start_kernel() {
    for (auto ctor = __init_array_start; ctor < __init_array_end; ctor++) (*ctor)();
    vsprintf_symbolizer = ksym_format;
    pr_notice("%s", tern_banner);
    setup_arch();
    parse_boot_params();
    pr_notice("Command line: %s", boot_info.cmdline);
    mm_core_init();
    sched_init();
    trap_init();
    init_IRQ();
    time_init();
    arch::irq_enable();
    rest_init();
}
