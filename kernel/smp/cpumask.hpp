#pragma once
// Sets of CPUs (Linux's cpumask): a bitmap with one bit per CPU id, and the kernel's masks of which CPUs
// exist (possible) and which run the kernel (online).
//
//   cpu_possible_mask  CPUs the firmware lists, capped by nr_cpus=; fixed once smp_init() has run
//   cpu_online_mask    CPUs that finished bring-up and take interrupts (the boot CPU from the start)
//
// Bits are set and cleared atomically, so CPUs may change their own bit while others read the mask.
#include <lib/atomic.hpp>
#include <smp/percpu.hpp>

class CpuMask {
public:
    static constexpr unsigned kBitsPerWord = 64;
    static constexpr unsigned kWords = (kMaxCpus + kBitsPerWord - 1) / kBitsPerWord;

    constexpr CpuMask() = default;
    // A mask whose first 64 CPUs are the bits of `first_word` (for static initialisation).
    constexpr explicit CpuMask(uint64_t first_word) : words_{first_word} {}

    bool test(unsigned cpu) const {
        return cpu < kMaxCpus && (word(cpu).load(MemoryOrder::Acquire) & bit(cpu));
    }
    void set(unsigned cpu) {
        if (cpu < kMaxCpus) word(cpu).fetch_or(bit(cpu), MemoryOrder::AcqRel);
    }
    void clear(unsigned cpu) {
        if (cpu < kMaxCpus) word(cpu).fetch_and(~bit(cpu), MemoryOrder::AcqRel);
    }
    void clear_all() {
        for (auto& w : words_) w.store(0, MemoryOrder::Relaxed);
    }
    unsigned weight() const {
        unsigned n = 0;
        for (const auto& w : words_)
            for (uint64_t bits = w.load(MemoryOrder::Relaxed); bits; bits &= bits - 1) n++;  // (no libgcc popcount)
        return n;
    }
    bool empty() const { return weight() == 0; }

    // The lowest CPU id >= `from` in the set, or kMaxCpus if there is none.
    unsigned next(unsigned from) const {
        for (unsigned i = from / kBitsPerWord; i < kWords; i++) {
            uint64_t w = words_[i].load(MemoryOrder::Acquire);
            if (i == from / kBitsPerWord) w &= ~0ull << (from % kBitsPerWord);
            if (w) {
                unsigned cpu = i * kBitsPerWord + unsigned(__builtin_ctzll(w));
                return cpu < kMaxCpus ? cpu : kMaxCpus;
            }
        }
        return kMaxCpus;
    }
    unsigned first() const { return next(0); }

private:
    static constexpr uint64_t bit(unsigned cpu) { return 1ull << (cpu % kBitsPerWord); }
    Atomic<uint64_t>& word(unsigned cpu) { return words_[cpu / kBitsPerWord]; }
    const Atomic<uint64_t>& word(unsigned cpu) const { return words_[cpu / kBitsPerWord]; }

    Atomic<uint64_t> words_[kWords];
};

extern CpuMask cpu_possible_mask;
extern CpuMask cpu_online_mask;

#define for_each_cpu(cpu, mask) \
    for (unsigned cpu = (mask).first(); cpu < kMaxCpus; cpu = (mask).next(cpu + 1))
#define for_each_possible_cpu(cpu) for_each_cpu(cpu, cpu_possible_mask)
#define for_each_online_cpu(cpu) for_each_cpu(cpu, cpu_online_mask)

inline bool cpu_online(unsigned cpu) { return cpu_online_mask.test(cpu); }
inline bool cpu_possible(unsigned cpu) { return cpu_possible_mask.test(cpu); }
inline unsigned num_online_cpus() { return nr_cpus_online; }
inline unsigned num_possible_cpus() { return cpu_possible_mask.weight(); }

// Marks `cpu` online or offline, keeping nr_cpus_online equal to the online mask's weight.
void set_cpu_online(unsigned cpu, bool online);
void set_cpu_possible(unsigned cpu, bool possible);
