// User memory access for x86-64 (lib/uaccess.hpp).
//
// Every access is three steps: access_ok() keeps the range inside the user half (a user pointer into
// the kernel is EFAULT before anything is touched); stac opens SMAP's window (with SMAP on, the kernel
// faults on any user page unless RFLAGS.AC is set) and clac closes it right after; the instruction that
// touches user memory has an exception-table entry.
//
// A fault on that instruction goes to the page-fault handler like any other: the memory manager gets the
// first word (handle_page_fault: demand paging, copy-on-write on a valid but not-present or read-only
// user page), and only if it cannot resolve the fault does the fix-up end the copy with EFAULT. So a
// copy_from_user on a lazily mapped buffer simply waits for the page, as in Linux.
//
// rep movsb/stosb are used for bulk copies: they update %rcx as they go, so after a fault %rcx is the
// number of bytes not copied.
#include <arch/x86_64/extable.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>

// Set by syscall_init() when the CPU has SMAP (and so CR4.SMAP is on): stac/clac exist only then. The
// entry code (entry_defs.hpp: ASM_CLAC) reads it too.
extern "C" uint8_t x86_smap_active;
uint8_t x86_smap_active = 0;

namespace {

inline void user_access_begin() {
    if (x86_smap_active) asm volatile("stac" : : : "memory");
}
inline void user_access_end() {
    if (x86_smap_active) asm volatile("clac" : : : "memory");
}

// Returns the number of bytes left uncopied (0 on success).
size_t raw_copy(void* dst, const void* src, size_t n) {
    user_access_begin();
    asm volatile("1: rep movsb\n"
                 "2:\n\t" _ASM_EXTABLE(1b, 2b)
                 : "+D"(dst), "+S"(src), "+c"(n)
                 :
                 : "memory");
    user_access_end();
    return n;
}

size_t raw_clear(void* dst, size_t n) {
    user_access_begin();
    asm volatile("1: rep stosb\n"
                 "2:\n\t" _ASM_EXTABLE(1b, 2b)
                 : "+D"(dst), "+c"(n)
                 : "a"(0)
                 : "memory");
    user_access_end();
    return n;
}

}  // namespace

bool access_ok(uint64_t addr, size_t size) { return size <= TASK_SIZE && addr <= TASK_SIZE - size; }

Result<void> copy_from_user(void* dst, UserPtr<const void> src, size_t n) {
    if (!access_ok(src.address(), n)) return Errno::EFAULT;
    if (raw_copy(dst, reinterpret_cast<const void*>(src.address()), n)) return Errno::EFAULT;
    return {};
}

Result<void> copy_to_user(UserPtr<void> dst, const void* src, size_t n) {
    if (!access_ok(dst.address(), n)) return Errno::EFAULT;
    if (raw_copy(reinterpret_cast<void*>(dst.address()), src, n)) return Errno::EFAULT;
    return {};
}

Result<void> clear_user(UserPtr<void> dst, size_t n) {
    if (!access_ok(dst.address(), n)) return Errno::EFAULT;
    if (raw_clear(reinterpret_cast<void*>(dst.address()), n)) return Errno::EFAULT;
    return {};
}

Result<size_t> strncpy_from_user(char* dst, UserPtr<const char> src, size_t max) {
    uint64_t addr = src.address();
    if (addr >= TASK_SIZE) return Errno::EFAULT;
    // Bytes up to the end of user space; a string running into it is a bad address, not a long name.
    size_t limit = max < TASK_SIZE - addr ? max : size_t(TASK_SIZE - addr);
    const char* p = reinterpret_cast<const char*>(addr);
    size_t i = 0;
    int faulted = 0;
    user_access_begin();
    for (; i < limit; i++) {
        char c;
        asm volatile("1: movb (%[src]), %[c]\n\t"
                     "jmp 3f\n"
                     "2: movl $1, %[faulted]\n"
                     "3:\n\t" _ASM_EXTABLE(1b, 2b)
                     : [c] "=q"(c), [faulted] "+r"(faulted)
                     : [src] "r"(p + i)
                     : "memory");
        if (faulted) break;
        dst[i] = c;
        if (c == 0) break;
    }
    user_access_end();
    if (faulted) return Errno::EFAULT;
    if (i < limit) return i;  // stopped at the NUL
    return limit < max ? Errno::EFAULT : Errno::ENAMETOOLONG;
}
