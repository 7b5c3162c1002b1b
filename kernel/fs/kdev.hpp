#pragma once
// Device numbers. Inside the kernel a device is kdev_t = major << 20 | minor (Linux's dev_t: 12-bit
// major, 20-bit minor). User space sees the "new" encoding (stat's st_rdev, mknod's argument), which
// keeps the old 8:8 layout in the low 16 bits and widens around it:
//   minor bits 0-7 | major bits 8-19 | minor bits 20-31 (from minor bits 8-19)
// and glibc's 64-bit dev_t places major bits 12+ at bit 32, which the kernel never produces.
#include <stdint.h>

using kdev_t = uint32_t;

constexpr unsigned kMinorBits = 20;
constexpr uint32_t kMinorMask = (1u << kMinorBits) - 1;

constexpr kdev_t MKDEV(uint32_t major, uint32_t minor) { return major << kMinorBits | minor; }
constexpr uint32_t MAJOR(kdev_t dev) { return dev >> kMinorBits; }
constexpr uint32_t MINOR(kdev_t dev) { return dev & kMinorMask; }

// To and from the user-visible encoding.
constexpr uint64_t new_encode_dev(kdev_t dev) {
    uint32_t major = MAJOR(dev), minor = MINOR(dev);
    return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}
constexpr kdev_t new_decode_dev(uint64_t dev) {
    uint32_t major = uint32_t((dev & 0xfff00) >> 8);
    uint32_t minor = uint32_t((dev & 0xff) | ((dev >> 12) & 0xfff00));
    return MKDEV(major, minor);
}
static_assert(new_encode_dev(MKDEV(1, 3)) == 0x103);
static_assert(new_decode_dev(new_encode_dev(MKDEV(4095, 0xfffff))) == MKDEV(4095, 0xfffff));
