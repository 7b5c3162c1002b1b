// reboot(2) (Linux's kernel/reboot.c): only a privileged caller (CAP_SYS_BOOT, which is euid 0 on Tern),
// only with the magic numbers (so a stray call with random arguments does nothing), then one of
// restart, halt, power off, or switching what Ctrl-Alt-Del does. Nothing is synced first: Tern's only
// file systems are in memory (tmpfs), and sync(2) is the caller's job as on Linux.
#include <arch/arch.hpp>
#include <lib/uaccess.hpp>
#include <power/reboot.hpp>
#include <printk/printk.hpp>
#include <process/cred.hpp>
#include <syscalls/syscall.hpp>

namespace {

// linux/reboot.h
constexpr uint32_t LINUX_REBOOT_MAGIC1 = 0xfee1dead;
constexpr uint32_t LINUX_REBOOT_MAGIC2 = 672274793;
constexpr uint32_t LINUX_REBOOT_MAGIC2A = 85072278;
constexpr uint32_t LINUX_REBOOT_MAGIC2B = 369367448;
constexpr uint32_t LINUX_REBOOT_MAGIC2C = 537993216;

constexpr uint32_t LINUX_REBOOT_CMD_RESTART = 0x01234567;
constexpr uint32_t LINUX_REBOOT_CMD_HALT = 0xCDEF0123;
constexpr uint32_t LINUX_REBOOT_CMD_CAD_ON = 0x89ABCDEF;
constexpr uint32_t LINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
constexpr uint32_t LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC;
constexpr uint32_t LINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4;

bool cad_reboots = false;  // Linux's C_A_D; starts off (init gets SIGINT)

void shutdown_prepare() {
    // From here this CPU never leaves the task: with the others stopped, anything that waited for them
    // (a TLB shootdown of an exiting process it switched to, a cross-CPU call) would spin forever.
    arch::irq_disable();
    // The other CPUs stop where they are; this one finishes the job alone. A stopped CPU may have held
    // (or queued for) the printk or UART lock: reset them, or the last messages would wait forever.
    arch::stop_other_cpus();
    printk_force_unlock();
}

}  // namespace

bool ctrl_alt_del_reboots() { return __atomic_load_n(&cad_reboots, __ATOMIC_RELAXED); }

void kernel_restart(const char* command) {
    shutdown_prepare();
    if (command) pr_emerg("reboot: Restarting system with command '%s'", command);
    else pr_emerg("reboot: Restarting system");
    arch::machine_restart();
}

void kernel_halt() {
    shutdown_prepare();
    pr_emerg("reboot: System halted");
    printk_flush();
    arch::halt_forever();
}

void kernel_power_off() {
    shutdown_prepare();
    pr_emerg("reboot: Power down");
    arch::machine_power_off(0);
}

SYSCALL_DEFINE4(reboot, uint32_t, magic1, uint32_t, magic2, uint32_t, cmd, uint64_t, arg) {
    // Permission first, then the magic numbers, as Linux.
    if (current_cred()->euid != 0) return -long(Errno::EPERM);
    if (magic1 != LINUX_REBOOT_MAGIC1 ||
        (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A && magic2 != LINUX_REBOOT_MAGIC2B &&
         magic2 != LINUX_REBOOT_MAGIC2C))
        return -long(Errno::EINVAL);

    switch (cmd) {
    case LINUX_REBOOT_CMD_RESTART: kernel_restart(nullptr);
    case LINUX_REBOOT_CMD_RESTART2: {
        char command[256];
        // Linux keeps the first 255 bytes of a longer string.
        Result<size_t> len = strncpy_from_user(command, UserPtr<const char>(arg), sizeof command);
        if (len.is_error() && len.error() != Errno::ENAMETOOLONG) return -long(Errno::EFAULT);
        command[sizeof command - 1] = 0;
        kernel_restart(command);
    }
    case LINUX_REBOOT_CMD_CAD_ON: __atomic_store_n(&cad_reboots, true, __ATOMIC_RELAXED); return 0;
    case LINUX_REBOOT_CMD_CAD_OFF: __atomic_store_n(&cad_reboots, false, __ATOMIC_RELAXED); return 0;
    case LINUX_REBOOT_CMD_HALT: kernel_halt();
    case LINUX_REBOOT_CMD_POWER_OFF: kernel_power_off();
    default: return -long(Errno::EINVAL);  // KEXEC and SW_SUSPEND too: Tern has neither
    }
}
