#pragma once
// Atomic read-modify-write of a 32-bit user word, for FUTEX_WAKE_OP and the robust-list walk (Linux's
// arch_futex_atomic_op_inuser and futex_atomic_cmpxchg_inatomic). Implemented by the architecture
// (arch/x86_64/futex_atomic.cpp). Like the other user accesses they may fault the page in (sleeping),
// so they are called without spinlocks held. EFAULT when the word is not accessible for writing.
#include <lib/result.hpp>
#include <lib/uaccess.hpp>
#include <stdint.h>

// FUTEX_OP_* operations (linux/futex.h).
constexpr int FUTEX_OP_SET = 0, FUTEX_OP_ADD = 1, FUTEX_OP_OR = 2, FUTEX_OP_ANDN = 3, FUTEX_OP_XOR = 4;

// If *uaddr == expected, stores desired. Returns the value found (== expected when it stored).
Result<uint32_t> futex_atomic_cmpxchg_user(UserPtr<uint32_t> uaddr, uint32_t expected, uint32_t desired);
// *uaddr = *uaddr <op> oparg (ANDN: & ~oparg) as one atomic step; returns the old value. ENOSYS for an
// unknown op.
Result<uint32_t> futex_atomic_op_user(int op, uint32_t oparg, UserPtr<uint32_t> uaddr);
