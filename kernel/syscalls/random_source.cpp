// A weak get_random_bytes() for trees without the kernel CSPRNG (lib/random.cpp replaces it at link
// time). It uses the CPU's RDRAND when there is one; otherwise a SplitMix64 stream seeded from the cycle
// counter, which is NOT cryptographically secure (said once in the log).
#include <arch/arch.hpp>
#include <lib/atomic.hpp>
#include <lib/string.hpp>
#include <printk/printk.hpp>
#include <syscalls/random_source.hpp>

namespace {

bool cpu_has_rdrand() {
    uint32_t eax = 1, ebx, ecx = 0, edx;
    asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    return ecx & (1u << 30);
}

bool rdrand64(uint64_t& value) {
    for (int tries = 0; tries < 10; tries++) {
        unsigned char ok;
        asm volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok));
        if (ok) return true;
    }
    return false;
}

Atomic<uint64_t> splitmix_state{0};

uint64_t splitmix64() {
    uint64_t z = splitmix_state.fetch_add(0x9e3779b97f4a7c15ull) + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t next_word() {
    static const bool have_rdrand = cpu_has_rdrand();
    uint64_t v;
    if (have_rdrand && rdrand64(v)) return v;
    static Atomic<bool> warned{false};
    if (!warned.exchange(true)) pr_warn("random: no RDRAND and no kernel CSPRNG: getrandom() is not secure");
    splitmix_state.fetch_add(arch::read_cycle_counter());
    return splitmix64();
}

}  // namespace

[[gnu::weak]] void get_random_bytes(void* buf, size_t len) {
    auto* out = static_cast<uint8_t*>(buf);
    while (len) {
        uint64_t word = next_word();
        size_t n = len < sizeof word ? len : sizeof word;
        memcpy(out, &word, n);
        out += n;
        len -= n;
    }
}
