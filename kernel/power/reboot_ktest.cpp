// Self-tests of reboot(2)'s checks and of the commands that do not end the machine (the test task is
// PID 1, root).
#include <kunit/ktest.hpp>
#include <power/reboot.hpp>
#include <stdint.h>

extern "C" long sys_reboot(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

KTEST(reboot, magic_numbers_and_ctrl_alt_del) {
    constexpr uint64_t kMagic1 = 0xfee1dead, kMagic2 = 672274793, kCadOn = 0x89ABCDEF, kCadOff = 0;
    constexpr uint64_t kPowerOff = 0x4321FEDC;
    KEXPECT_EQ(sys_reboot(0xfee1deaf, kMagic2, kPowerOff, 0, 0, 0), -22);  // EINVAL: never powers off
    KEXPECT_EQ(sys_reboot(kMagic1, 42, kPowerOff, 0, 0, 0), -22);
    KEXPECT_EQ(sys_reboot(kMagic1, kMagic2, 0x12345678, 0, 0, 0), -22);   // unknown command
    bool before = ctrl_alt_del_reboots();
    KEXPECT_EQ(sys_reboot(kMagic1, 85072278, kCadOn, 0, 0, 0), 0);
    KEXPECT_TRUE(ctrl_alt_del_reboots());
    KEXPECT_EQ(sys_reboot(kMagic1, 537993216, kCadOff, 0, 0, 0), 0);
    KEXPECT_FALSE(ctrl_alt_del_reboots());
    if (before) sys_reboot(kMagic1, kMagic2, kCadOn, 0, 0, 0);
}
