#pragma once
// Ticket spinlock. Taking it disables preemption (a task holding a spinlock must never be switched out,
// or a waiter on another CPU could spin for a whole time slice); the IrqSave guard also masks local
// interrupts, which is required when the same lock is taken from an interrupt handler.
//
// Tickets make the lock FIFO-fair: each locker takes the next ticket and spins until `owner` reaches it.
#include <arch/arch.hpp>
#include <sched/preempt.hpp>
#include <lib/atomic.hpp>

class SpinLock {
public:
    constexpr SpinLock() = default;
    SpinLock(const SpinLock&) = delete;
    SpinLock& operator=(const SpinLock&) = delete;

    void lock() {
        preempt_disable();
        raw_lock();
    }
    void unlock() {
        raw_unlock();
        preempt_enable();
    }
    bool try_lock() {
        preempt_disable();
        uint32_t owner = owner_.load(MemoryOrder::Relaxed);
        uint32_t expected = owner;
        if (next_.compare_exchange(expected, owner + 1, MemoryOrder::Acquire)) return true;
        preempt_enable();
        return false;
    }
    bool is_locked() const {
        return next_.load(MemoryOrder::Relaxed) != owner_.load(MemoryOrder::Relaxed);
    }

    // Without touching preempt_count: for code that manages preemption itself (the scheduler's
    // runqueue lock across a context switch, panic).
    void raw_lock() {
        uint32_t ticket = next_.fetch_add(1, MemoryOrder::Relaxed);
        while (owner_.load(MemoryOrder::Acquire) != ticket) arch::cpu_relax();
    }
    void raw_unlock() { owner_.store(owner_.load(MemoryOrder::Relaxed) + 1, MemoryOrder::Release); }

    // panic() must print even if it interrupted a printk holding the console lock.
    void force_reset() {
        owner_.store(0, MemoryOrder::Relaxed);
        next_.store(0, MemoryOrder::Relaxed);
    }

private:
    Atomic<uint32_t> next_{0};
    Atomic<uint32_t> owner_{0};
};

class [[nodiscard]] SpinLockGuard {
public:
    explicit SpinLockGuard(SpinLock& lock) : lock_(lock) { lock_.lock(); }
    ~SpinLockGuard() { lock_.unlock(); }
    SpinLockGuard(const SpinLockGuard&) = delete;
    SpinLockGuard& operator=(const SpinLockGuard&) = delete;

private:
    SpinLock& lock_;
};

class [[nodiscard]] SpinLockIrqSaveGuard {
public:
    explicit SpinLockIrqSaveGuard(SpinLock& lock) : lock_(lock), flags_(arch::irq_save()) { lock_.lock(); }
    // Interrupts back on before preemption: a reschedule requested inside the section (a wake-up of a
    // more important task) then happens right here, as with Linux's spin_unlock_irqrestore(), rather
    // than at the next tick.
    ~SpinLockIrqSaveGuard() {
        lock_.raw_unlock();
        arch::irq_restore(flags_);
        preempt_enable();
    }
    SpinLockIrqSaveGuard(const SpinLockIrqSaveGuard&) = delete;
    SpinLockIrqSaveGuard& operator=(const SpinLockIrqSaveGuard&) = delete;

private:
    SpinLock& lock_;
    arch::IrqFlags flags_;
};

// Data that may only be touched with its lock held: `counter.with([](int& c) { c++; });`
template <class T>
class SpinLockProtected {
public:
    template <class... Args>
    constexpr explicit SpinLockProtected(Args&&... args) : value_(static_cast<Args&&>(args)...) {}

    template <class F>
    decltype(auto) with(F&& f) {
        SpinLockIrqSaveGuard guard(lock_);
        return f(value_);
    }

private:
    SpinLock lock_;
    T value_;
};
