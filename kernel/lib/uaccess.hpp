#pragma once
// User memory. A user address is a UserPtr<T>: it cannot be dereferenced, only read or written through
// these helpers, which check that the range lies in user space and turn a fault on a bad address into
// -EFAULT (through the exception fix-up table), with SMAP's access window (stac/clac) open only inside
// them. Implemented by the architecture (arch/x86_64/uaccess.*).
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

template <class T>
class UserPtr {
public:
    constexpr UserPtr() = default;
    constexpr explicit UserPtr(uint64_t address) : address_(address) {}
    constexpr uint64_t address() const { return address_; }
    constexpr bool is_null() const { return address_ == 0; }
    // Pointer arithmetic in units of T (bytes for void).
    constexpr UserPtr offset(int64_t n) const {
        if constexpr (__is_same(T, void) || __is_same(T, const void)) return UserPtr(address_ + uint64_t(n));
        else return UserPtr(address_ + uint64_t(n) * sizeof(T));
    }
    template <class U>
    constexpr UserPtr<U> cast() const { return UserPtr<U>(address_); }

private:
    uint64_t address_ = 0;
};

// True if [addr, addr + size) lies entirely in the user half (no wrap-around).
bool access_ok(uint64_t addr, size_t size);

// Copy n bytes; EFAULT if any byte is not accessible (then the destination may be partly written).
Result<void> copy_from_user(void* dst, UserPtr<const void> src, size_t n);
Result<void> copy_to_user(UserPtr<void> dst, const void* src, size_t n);
Result<void> clear_user(UserPtr<void> dst, size_t n);
// Copies a NUL-terminated string of at most max - 1 characters (plus NUL) into dst; returns its length.
// EFAULT on a bad address, ENAMETOOLONG if no NUL within max bytes.
Result<size_t> strncpy_from_user(char* dst, UserPtr<const char> src, size_t max);

template <class T>
Result<void> get_user(T& value, UserPtr<T> src) {
    return copy_from_user(&value, src.template cast<const void>(), sizeof(T));
}
template <class T>
Result<void> get_user(T& value, UserPtr<const T> src) {
    return copy_from_user(&value, src.template cast<const void>(), sizeof(T));
}
template <class T>
Result<void> put_user(const T& value, UserPtr<T> dst) {
    return copy_to_user(dst.template cast<void>(), &value, sizeof(T));
}
