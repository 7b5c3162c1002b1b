#pragma once
// Sequence counter (Linux's seqcount_t): lets many readers take a consistent snapshot of data that one
// writer at a time updates, without the readers writing anything shared.
//
//   writer (serialised by its own lock):  write_begin(); update...; write_end();
//   reader:  do { seq = read_begin(); copy...; } while (read_retry(seq));
//
// The count is odd while a write is in progress. A reader that started during a write, or overlapped
// one, sees a different count at read_retry() and tries again. Writers must not be interrupted by
// readers on the same CPU (they run with interrupts off), or the reader would spin forever.
#include <arch/arch.hpp>
#include <lib/atomic.hpp>

class SeqCount {
public:
    constexpr SeqCount() = default;
    SeqCount(const SeqCount&) = delete;
    SeqCount& operator=(const SeqCount&) = delete;

    uint32_t read_begin() const {
        uint32_t seq;
        while ((seq = seq_.load(MemoryOrder::Acquire)) & 1) arch::cpu_relax();
        return seq;
    }
    // True if the data read since read_begin() may be torn.
    bool read_retry(uint32_t seq) const {
        __atomic_thread_fence(__ATOMIC_ACQUIRE);  // the data reads happen before the re-check
        return seq_.load(MemoryOrder::Relaxed) != seq;
    }

    void write_begin() {
        seq_.store(seq_.load(MemoryOrder::Relaxed) + 1, MemoryOrder::Relaxed);
        __atomic_thread_fence(__ATOMIC_RELEASE);  // the odd count is visible before any data write
    }
    void write_end() {
        seq_.store(seq_.load(MemoryOrder::Relaxed) + 1, MemoryOrder::Release);
    }

private:
    Atomic<uint32_t> seq_{0};
};
