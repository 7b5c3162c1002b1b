// Hardware entropy on x86-64. RDSEED (CPUID.(7,0):EBX[18]) returns conditioned output of the CPU's
// entropy source and is the right instruction for seeding; RDRAND (CPUID.1:ECX[30]) returns output of a
// DRBG reseeded from it and is the fallback. Both may transiently fail (CF=0) when drained, so each word
// is retried a few times, as Intel's guidance suggests.
#include <arch/random.hpp>
#include <arch/x86_64/io.hpp>

namespace {

constexpr int kRetries = 10;

bool detected = false;
bool have_rdseed = false;
bool have_rdrand = false;

void detect() {
    auto leaf0 = x86::cpuid(0);
    have_rdseed = leaf0.eax >= 7 && (x86::cpuid(7, 0).ebx & (1u << 18));
    have_rdrand = x86::cpuid(1).ecx & (1u << 30);
    asm volatile("" : : : "memory");  // the flags are stored before `detected` says they are valid
    detected = true;
}

bool rdseed(uint64_t& v) {
    for (int i = 0; i < kRetries; i++) {
        bool ok;
        asm volatile("rdseed %0" : "=r"(v), "=@ccc"(ok));
        if (ok) return true;
        asm volatile("pause");
    }
    return false;
}

bool rdrand(uint64_t& v) {
    for (int i = 0; i < kRetries; i++) {
        bool ok;
        asm volatile("rdrand %0" : "=r"(v), "=@ccc"(ok));
        if (ok) return true;
    }
    return false;
}

}  // namespace

namespace arch {

size_t get_hw_random_words(uint64_t* out, size_t n) {
    // Racing first calls on two CPUs both compute the same answer: no lock needed.
    if (!detected) detect();
    size_t got = 0;
    for (; got < n; got++) {
        bool ok = (have_rdseed && rdseed(out[got])) || (have_rdrand && rdrand(out[got]));
        if (!ok) break;
    }
    return got;
}

}  // namespace arch
