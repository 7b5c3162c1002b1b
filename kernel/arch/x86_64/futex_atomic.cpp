// x86-64's atomic user-word operations for futexes (futex/futex_atomic.hpp): lock cmpxchg and lock
// xadd/xchg on the user address, inside SMAP's access window, with an exception-table fix-up turning a
// fault the memory manager cannot resolve into EFAULT (as in uaccess.cpp).
#include <arch/x86_64/extable.hpp>
#include <futex/futex_atomic.hpp>

extern "C" uint8_t x86_smap_active;

namespace {

inline void user_access_begin() {
    if (x86_smap_active) asm volatile("stac" : : : "memory");
}
inline void user_access_end() {
    if (x86_smap_active) asm volatile("clac" : : : "memory");
}

// One lock-prefixed instruction on the word: cmpxchg (returns what it found in `value`).
bool raw_cmpxchg(uint32_t* p, uint32_t expected, uint32_t desired, uint32_t& found) {
    int faulted = 0;
    uint32_t eax = expected;
    user_access_begin();
    asm volatile("1: lock cmpxchgl %[desired], (%[p])\n\t"
                 "jmp 3f\n"
                 "2: movl $1, %[faulted]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : "+a"(eax), [faulted] "+r"(faulted)
                 : [desired] "r"(desired), [p] "r"(p)
                 : "memory", "cc");
    user_access_end();
    found = eax;
    return !faulted;
}

// xchg (set) or xadd (add): `value` in, the old value out.
template <bool kAdd>
bool raw_exchange(uint32_t* p, uint32_t& value) {
    int faulted = 0;
    user_access_begin();
    if constexpr (kAdd) {
        asm volatile("1: lock xaddl %[v], (%[p])\n\t"
                     "jmp 3f\n"
                     "2: movl $1, %[faulted]\n"
                     "3:\n\t" _ASM_EXTABLE(1b, 2b)
                     : [v] "+r"(value), [faulted] "+r"(faulted)
                     : [p] "r"(p)
                     : "memory", "cc");
    } else {
        asm volatile("1: xchgl %[v], (%[p])\n\t"
                     "jmp 3f\n"
                     "2: movl $1, %[faulted]\n"
                     "3:\n\t" _ASM_EXTABLE(1b, 2b)
                     : [v] "+r"(value), [faulted] "+r"(faulted)
                     : [p] "r"(p)
                     : "memory");
    }
    user_access_end();
    return !faulted;
}

bool raw_load(const uint32_t* p, uint32_t& value) {
    int faulted = 0;
    user_access_begin();
    asm volatile("1: movl (%[p]), %[v]\n\t"
                 "jmp 3f\n"
                 "2: movl $1, %[faulted]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [v] "=r"(value), [faulted] "+r"(faulted)
                 : [p] "r"(p)
                 : "memory");
    user_access_end();
    return !faulted;
}

}  // namespace

Result<uint32_t> futex_atomic_cmpxchg_user(UserPtr<uint32_t> uaddr, uint32_t expected, uint32_t desired) {
    if (!access_ok(uaddr.address(), sizeof(uint32_t))) return Errno::EFAULT;
    uint32_t found;
    if (!raw_cmpxchg(reinterpret_cast<uint32_t*>(uaddr.address()), expected, desired, found)) return Errno::EFAULT;
    return found;
}

Result<uint32_t> futex_atomic_op_user(int op, uint32_t oparg, UserPtr<uint32_t> uaddr) {
    if (op < FUTEX_OP_SET || op > FUTEX_OP_XOR) return Errno::ENOSYS;
    if (!access_ok(uaddr.address(), sizeof(uint32_t))) return Errno::EFAULT;
    uint32_t* p = reinterpret_cast<uint32_t*>(uaddr.address());
    uint32_t value = oparg;
    if (op == FUTEX_OP_SET) {
        if (!raw_exchange<false>(p, value)) return Errno::EFAULT;
        return value;
    }
    if (op == FUTEX_OP_ADD) {
        if (!raw_exchange<true>(p, value)) return Errno::EFAULT;
        return value;
    }
    // OR, ANDN, XOR: no single x86 instruction returns the old value; a cmpxchg loop does.
    uint32_t old;
    if (!raw_load(p, old)) return Errno::EFAULT;
    for (;;) {
        uint32_t next = op == FUTEX_OP_OR ? (old | oparg) : op == FUTEX_OP_ANDN ? (old & ~oparg) : (old ^ oparg);
        uint32_t found;
        // A read-only page faults here (copy-on-write resolves it, or EFAULT) even if the load did not.
        if (!raw_cmpxchg(p, old, next, found)) return Errno::EFAULT;
        if (found == old) return old;
        old = found;
    }
}
