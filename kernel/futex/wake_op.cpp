// FUTEX_WAKE_OP: in one call, change the word at uaddr2 atomically, wake up to nr_wake waiters of
// uaddr1, and, if the old value of uaddr2 passes a comparison, up to nr_wake2 waiters of uaddr2 (glibc
// once used it so a condition variable's signal touched two futexes with one system call).
//
// The 32-bit `op` packs (linux/futex.h): op (bits 28-30) with FUTEX_OP_OPARG_SHIFT (bit 31: the
// operand is 1 << oparg), cmp (bits 24-27), oparg (bits 12-23, signed) and cmparg (bits 0-11, signed).
#include <futex/futex.hpp>
#include <futex/futex_atomic.hpp>
#include <printk/printk.hpp>

namespace {

constexpr int FUTEX_OP_CMP_EQ = 0, FUTEX_OP_CMP_NE = 1, FUTEX_OP_CMP_LT = 2, FUTEX_OP_CMP_LE = 3,
              FUTEX_OP_CMP_GT = 4, FUTEX_OP_CMP_GE = 5;
constexpr unsigned FUTEX_OP_OPARG_SHIFT = 8;

struct DecodedOp {
    int op;
    int cmp;
    uint32_t oparg;
    int32_t cmparg;
};

int32_t sign_extend12(uint32_t v) { return int32_t(v << 20) >> 20; }

DecodedOp decode(uint32_t encoded) {
    DecodedOp d;
    unsigned op = (encoded >> 28) & 0xf;
    d.cmp = int((encoded >> 24) & 0xf);
    int32_t oparg = sign_extend12((encoded >> 12) & 0xfff);
    d.cmparg = sign_extend12(encoded & 0xfff);
    if (op & FUTEX_OP_OPARG_SHIFT) {
        // Linux masks an out-of-range shift (and warns once); so does Tern.
        if (oparg < 0 || oparg > 31) {
            static bool warned = false;
            if (!warned) {
                warned = true;
                pr_warn("futex: FUTEX_WAKE_OP with a shift out of range (%d): masked to 0..31", oparg);
            }
            oparg &= 31;
        }
        oparg = int32_t(1u << oparg);
    }
    d.op = int(op & 7);
    d.oparg = uint32_t(oparg);
    return d;
}

// Whether the old value passes the comparison; nullopt-like false with `known` = false for an unknown cmp.
bool compare(int cmp, int32_t oldval, int32_t cmparg, bool& known) {
    known = true;
    switch (cmp) {
    case FUTEX_OP_CMP_EQ: return oldval == cmparg;
    case FUTEX_OP_CMP_NE: return oldval != cmparg;
    case FUTEX_OP_CMP_LT: return oldval < cmparg;
    case FUTEX_OP_CMP_LE: return oldval <= cmparg;
    case FUTEX_OP_CMP_GT: return oldval > cmparg;
    case FUTEX_OP_CMP_GE: return oldval >= cmparg;
    default: known = false; return false;
    }
}

}  // namespace

long futex_wake_op(uint64_t uaddr1, unsigned flags, uint64_t uaddr2, int nr_wake, int nr_wake2, uint32_t op) {
    Result<FutexKey> key1 = get_futex_key(uaddr1, flags);
    if (key1.is_error()) return -long(key1.error());
    Result<FutexKey> key2 = get_futex_key(uaddr2, flags);
    if (key2.is_error()) return -long(key2.error());

    DecodedOp d = decode(op);
    if (d.op > FUTEX_OP_XOR) return -long(Errno::ENOSYS);
    bool known;
    (void)compare(d.cmp, 0, 0, known);
    if (!known) return -long(Errno::ENOSYS);

    Result<uint32_t> old = futex_atomic_op_user(d.op, d.oparg, UserPtr<uint32_t>(uaddr2));
    if (old.is_error()) return -long(old.error());

    // The same wake-count rule as FUTEX_WAKE: each side wakes at least one waiter if it wakes at all.
    long woken = futex_wake_key(key1.value(), nr_wake > 0 ? nr_wake : 1, FUTEX_BITSET_MATCH_ANY);
    if (compare(d.cmp, int32_t(old.value()), d.cmparg, known))
        woken += futex_wake_key(key2.value(), nr_wake2 > 0 ? nr_wake2 : 1, FUTEX_BITSET_MATCH_ANY);
    return woken;
}
