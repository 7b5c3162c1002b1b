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
#include <fs/init.hpp>
#include <fs/inode.hpp>
#include <fs/uapi_stat.hpp>
#include <fs/namei.hpp>
#include <fs/task_files.hpp>
#include <process/cred.hpp>
#include <init/params.hpp>
#include <init/subsystems.hpp>
#include <init/version.hpp>
#include <kunit/ktest.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <process/process.hpp>
#include <sched/fork.hpp>
#include <sched/idle.hpp>
#include <sched/kthread.hpp>
#include <sched/sched.hpp>
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

// Looks `path` up in the root file system as root (what Linux's init_eaccess() checks before choosing
// the ramdisk's init): 0 if it is a regular file init could execute, else a negative errno.
int init_eaccess(const char* path) {
    Path root = rootfs_root();
    if (!root.dentry) return -int(Errno::ENOENT);
    VfsCaller caller{root, root, init_cred, 0};
    Result<Path> found = path_lookup(caller, path, LOOKUP_FOLLOW);
    if (found.is_error()) return -int(found.error());
    Inode* inode = found.value().inode();
    if (!inode || (inode->mode & S_IFMT) != S_IFREG) return -int(Errno::EACCES);
    return 0;
}

// Linux's argv_init/envp_init: the program name, then the command line's leftover words.
constexpr size_t kMaxInitStrings = 40;  // Linux's MAX_INIT_ARGS + 2 / MAX_INIT_ENVS + 2
const char* argv_init[kMaxInitStrings + 2];
const char* envp_init[kMaxInitStrings + 3];

// Executes `path` as PID 1 (kernel_execve): 0 on success, when kernel_init() returns into the new
// program; a negative errno if it cannot be run.
int run_init_process(const char* path) {
    pr_info("Run %s as init process", path);
    report_init_args(path);
    const InitArgs& args = init_args();
    size_t argc = 0, envc = 0;
    argv_init[argc++] = path;
    for (size_t i = 0; i < args.argc && argc < kMaxInitStrings + 1; i++) argv_init[argc++] = args.argv[i];
    argv_init[argc] = nullptr;
    envp_init[envc++] = "HOME=/";
    envp_init[envc++] = "TERM=linux";
    for (size_t i = 0; i < args.envc && envc < kMaxInitStrings + 2; i++) envp_init[envc++] = args.envp[i];
    envp_init[envc] = nullptr;
    Result<void> r = kernel_execve(path, argv_init, envp_init);
    return r.is_error() ? -int(r.error()) : 0;
}

bool try_to_run_init_process(const char* path) {
    int ret = run_init_process(path);
    if (ret && ret != -int(Errno::ENOENT))
        pr_err("Starting init: %s exists but couldn't execute it (error %d)", path, ret);
    return ret == 0;
}

int kernel_init(void*) {
    wait_for_kthreadd();  // the initcalls and self-tests create kernel threads
    smp_init();
    do_initcalls();
    report_boot_benchmark();
    console_on_rootfs();  // descriptors 0, 1, 2 on /dev/console, inherited by everything init starts

    int failures = run_ktests();
    if (failures >= 0) arch::machine_power_off(failures == 0 ? 0 : 2);

    // Linux's order: the initramfs' rdinit= (default /init) if it is there, then init=, then the
    // usual places. Tern has no root block device, so there is nothing to mount when /init is missing.
    if (ramdisk_execute_command && init_eaccess(ramdisk_execute_command)) ramdisk_execute_command = nullptr;
    if (ramdisk_execute_command) {
        int ret = run_init_process(ramdisk_execute_command);
        if (!ret) return 0;  // into user space as /init
        pr_err("Failed to execute %s (error %d)", ramdisk_execute_command, ret);
    }
    if (execute_command) {
        int ret = run_init_process(execute_command);
        if (!ret) return 0;
        panic("Requested init %s failed (error %d).", execute_command, ret);
    }
    static const char* const kDefaultInits[] = {"/sbin/init", "/etc/init", "/bin/init", "/bin/sh"};
    for (const char* path : kDefaultInits)
        if (try_to_run_init_process(path)) return 0;
    panic("No working init found.  Try passing init= option to kernel. "
          "See Linux Documentation/admin-guide/init.rst for guidance.");
}

[[noreturn]] void rest_init() {
    // kernel_init first, so that it is PID 1, then kthreadd (PID 2).
    if (Result<int> pid = kernel_thread(kernel_init, nullptr, "init"); pid.is_error())
        panic("rest_init: cannot create kernel_init: error %d", int(pid.error()));
    if (Result<int> pid = start_kthreadd(); pid.is_error())
        panic("rest_init: cannot create kthreadd: error %d", int(pid.error()));
    // The boot flow is the idle task now (sched_init): let init run, then idle whenever nothing else can.
    schedule_preempt_disabled();
    cpu_startup_entry();
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
