// lib/uaccess.hpp for the host build: "user memory" is ordinary memory of the test process, and a user
// pointer is a host address. access_ok() keeps the kernel's rule (the range must lie in the lower,
// user half), so tests can exercise EFAULT with a null pointer or an address in the upper half; within
// that, a host address the test did not allocate would crash the test, not return EFAULT, so tests pass
// only addresses they own (or null).
#include <lib/uaccess.hpp>
#include <string.h>

namespace {
constexpr uint64_t kUserEnd = 0x00007ffffffff000ull;
constexpr uint64_t kFirstUserAddress = 0x1000;  // the zero page is never mapped
}  // namespace

bool access_ok(uint64_t addr, size_t size) { return size <= kUserEnd && addr <= kUserEnd - size; }

static bool usable(uint64_t addr, size_t size) { return access_ok(addr, size) && (size == 0 || addr >= kFirstUserAddress); }

Result<void> copy_from_user(void* dst, UserPtr<const void> src, size_t n) {
    if (!usable(src.address(), n)) return Errno::EFAULT;
    memcpy(dst, reinterpret_cast<const void*>(src.address()), n);
    return {};
}

Result<void> copy_to_user(UserPtr<void> dst, const void* src, size_t n) {
    if (!usable(dst.address(), n)) return Errno::EFAULT;
    memcpy(reinterpret_cast<void*>(dst.address()), src, n);
    return {};
}

Result<void> clear_user(UserPtr<void> dst, size_t n) {
    if (!usable(dst.address(), n)) return Errno::EFAULT;
    memset(reinterpret_cast<void*>(dst.address()), 0, n);
    return {};
}

Result<size_t> strncpy_from_user(char* dst, UserPtr<const char> src, size_t max) {
    if (!usable(src.address(), 1)) return Errno::EFAULT;
    const char* s = reinterpret_cast<const char*>(src.address());
    for (size_t i = 0; i < max; i++) {
        dst[i] = s[i];
        if (!s[i]) return i;
    }
    return Errno::ENAMETOOLONG;
}
