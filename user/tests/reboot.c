/* reboot: reboot(2)'s checks, which must never end the machine here: the magic numbers (EINVAL), the
 * privilege (EPERM, checked before the magic), an unknown command (EINVAL). CAD_ON/CAD_OFF change
 * the machine's setting, so they are tested in the kernel (power/reboot_ktest.cpp); power-off itself ends
 * every utests run (testinit). */
#include "utest.h"

#include <linux/reboot.h>
#include <sys/syscall.h>

static long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, void* arg) {
    return syscall(SYS_reboot, magic1, magic2, cmd, arg);
}

UTEST_CASE(bad_magic_is_einval) {
    if (geteuid() != 0)
        UT_SKIP("needs root");
    UT_ERRNO(sys_reboot(0x12345678, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL), EINVAL);
    UT_ERRNO(sys_reboot(LINUX_REBOOT_MAGIC1, 1, LINUX_REBOOT_CMD_POWER_OFF, NULL), EINVAL);
}

UTEST_CASE(unknown_command_is_einval) {
    if (geteuid() != 0)
        UT_SKIP("needs root");
    UT_ERRNO(sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x11111111, NULL), EINVAL);
}

UTEST_CASE(unprivileged_is_eperm_before_magic) {
    if (geteuid() != 0)
        UT_SKIP("needs root to drop privileges");
    UT_OK(setresuid(1000, 1000, 1000));
    UT_ERRNO(sys_reboot(0, 0, LINUX_REBOOT_CMD_POWER_OFF, NULL), EPERM);
    UT_ERRNO(sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL), EPERM);
}
