#pragma once
// Atomic<T> over the compiler's __atomic builtins. (libstdc++'s <atomic> pulls hosted headers into a
// freestanding build.) Orders follow C++'s memory model; the defaults are sequentially consistent.
enum class MemoryOrder : int {
    Relaxed = __ATOMIC_RELAXED,
    Acquire = __ATOMIC_ACQUIRE,
    Release = __ATOMIC_RELEASE,
    AcqRel = __ATOMIC_ACQ_REL,
    SeqCst = __ATOMIC_SEQ_CST,
};

template <class T>
class Atomic {
public:
    constexpr Atomic() : value_() {}
    constexpr Atomic(T v) : value_(v) {}
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    T load(MemoryOrder o = MemoryOrder::SeqCst) const { return __atomic_load_n(&value_, int(o)); }
    void store(T v, MemoryOrder o = MemoryOrder::SeqCst) { __atomic_store_n(&value_, v, int(o)); }
    T exchange(T v, MemoryOrder o = MemoryOrder::SeqCst) { return __atomic_exchange_n(&value_, v, int(o)); }
    bool compare_exchange(T& expected, T desired, MemoryOrder o = MemoryOrder::SeqCst) {
        int failure = o == MemoryOrder::AcqRel || o == MemoryOrder::Acquire ? __ATOMIC_ACQUIRE
                    : o == MemoryOrder::SeqCst ? __ATOMIC_SEQ_CST : __ATOMIC_RELAXED;
        return __atomic_compare_exchange_n(&value_, &expected, desired, false, int(o), failure);
    }
    T fetch_add(T v, MemoryOrder o = MemoryOrder::SeqCst) { return __atomic_fetch_add(&value_, v, int(o)); }
    T fetch_sub(T v, MemoryOrder o = MemoryOrder::SeqCst) { return __atomic_fetch_sub(&value_, v, int(o)); }
    T fetch_or(T v, MemoryOrder o = MemoryOrder::SeqCst) { return __atomic_fetch_or(&value_, v, int(o)); }
    T fetch_and(T v, MemoryOrder o = MemoryOrder::SeqCst) { return __atomic_fetch_and(&value_, v, int(o)); }

private:
    T value_;
};
