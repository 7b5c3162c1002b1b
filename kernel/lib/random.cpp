// The ChaCha20 fast-key-erasure generator (see random.hpp) and the kernel's locked instance of it.
#include <arch/arch.hpp>
#include <arch/random.hpp>
#include <lib/atomic.hpp>
#include <lib/chacha20.hpp>
#include <lib/random.hpp>
#include <lib/string.hpp>
#include <init/initcall.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>

namespace {

// Nonces separating the two uses of the block function: "mix" for absorbing input, "out" (plus the
// generation counter) for output. Any fixed, distinct values do.
constexpr uint32_t kMixNonce[3] = {0x78696d00, 0, 0};
constexpr uint32_t kOutNonceTag = 0x74756f00;

constexpr unsigned kHwSeedWords = 8;            // 512 bits asked of RDSEED/RDRAND at seeding
constexpr unsigned kJitterSamples = 4096;       // per seeding round
constexpr uint64_t kReseedEveryGenerations = 1 << 16;

inline uint32_t load_le32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

}  // namespace

void Crng::mix(const void* data, size_t len) {
    const uint8_t* p = static_cast<const uint8_t*>(data);
    uint8_t block[kChaCha20BlockSize];
    // The length goes in first so that inputs of different lengths cannot absorb identically.
    uint64_t header = len;
    key_[0] ^= uint32_t(header);
    key_[1] ^= uint32_t(header >> 32);
    do {
        uint8_t chunk[32] = {};
        size_t n = len < 32 ? len : 32;
        memcpy(chunk, p, n);
        for (int i = 0; i < 8; i++) key_[i] ^= load_le32(chunk + 4 * i);
        chacha20_block(key_, 0, kMixNonce, block);
        for (int i = 0; i < 8; i++) key_[i] = load_le32(block + 4 * i);
        memzero_explicit(chunk, sizeof(chunk));
        p += n;
        len -= n;
    } while (len);
    memzero_explicit(block, sizeof(block));
}

void Crng::derive_request_key(uint8_t out[32]) {
    uint8_t block[kChaCha20BlockSize];
    uint32_t nonce[3] = {kOutNonceTag, uint32_t(generation_), uint32_t(generation_ >> 32)};
    generation_++;
    chacha20_block(key_, 0, nonce, block);
    for (int i = 0; i < 8; i++) key_[i] = load_le32(block + 4 * i);
    memcpy(out, block + 32, 32);
    memzero_explicit(block, sizeof(block));
}

void Crng::generate(void* out, size_t len) {
    uint8_t key[32];
    derive_request_key(key);
    crng_expand(key, out, len);
    memzero_explicit(key, sizeof(key));
}

void crng_expand(const uint8_t key[32], void* out, size_t len) {
    const uint8_t nonce[kChaCha20NonceSize] = {};
    // Each one-time key is used for one request only, so a zero nonce is safe.
    ChaCha20 stream(key, nonce, 0);
    stream.keystream(static_cast<uint8_t*>(out), len);
}

unsigned crng_collect_jitter(Crng& crng, unsigned samples) {
    // Time a few memory accesses whose duration depends on caches, TLB, interrupts and (under
    // emulation) the host; the low bits of each duration are what is unpredictable.
    static volatile uint8_t scratch[4096];
    uint64_t batch[32];
    unsigned in_batch = 0, changes = 0;
    uint64_t previous = 0;
    uint64_t stride = 7;
    for (unsigned i = 0; i < samples; i++) {
        uint64_t t0 = arch::read_cycle_counter();
        for (unsigned j = 0; j < 16; j++) {
            stride = stride * 6364136223846793005ull + 1442695040888963407ull;
            size_t i = (stride >> 33) % sizeof(scratch);
            scratch[i] = uint8_t(scratch[i] + t0);
        }
        uint64_t t1 = arch::read_cycle_counter();
        uint64_t delta = t1 - t0;
        if (i && delta != previous) changes++;
        previous = delta;
        batch[in_batch++] = delta ^ (t1 << 32);
        if (in_batch == 32) {
            crng.mix(batch, sizeof(batch));
            in_batch = 0;
        }
    }
    if (in_batch) crng.mix(batch, in_batch * sizeof(batch[0]));
    memzero_explicit(batch, sizeof(batch));
    unsigned bits = changes / 4;
    crng.credit(bits);
    return bits;
}

// --- The kernel's instance --------------------------------------------------------------------------

namespace {

SpinLock crng_lock;
Crng kernel_crng;
Atomic<bool> seeded_once{false};  // random_init() ran (set under crng_lock)

// Mixes the hardware source's words in; credits them fully (RDSEED is specified as full-entropy).
// Returns the bits credited.
unsigned mix_hw_words(Crng& crng, unsigned words) {
    uint64_t seed[kHwSeedWords];
    if (words > kHwSeedWords) words = kHwSeedWords;
    size_t got = arch::get_hw_random_words(seed, words);
    if (got) {
        crng.mix(seed, got * sizeof(seed[0]));
        crng.credit(unsigned(got) * 64);
    }
    memzero_explicit(seed, sizeof(seed));
    return unsigned(got) * 64;
}

struct SeedReport {
    unsigned hw_bits, jitter_bits;
};

SeedReport seed_locked() {
    uint64_t now = arch::read_cycle_counter();
    kernel_crng.mix(&now, sizeof(now));
    SeedReport r;
    r.hw_bits = mix_hw_words(kernel_crng, kHwSeedWords);
    r.jitter_bits = crng_collect_jitter(kernel_crng, kJitterSamples);
    seeded_once.store(true, MemoryOrder::Release);
    return r;
}

}  // namespace

void random_init() {
    SeedReport r;
    bool ready;
    {
        SpinLockIrqSaveGuard guard(crng_lock);
        if (seeded_once.load(MemoryOrder::Relaxed)) return;
        r = seed_locked();
        ready = kernel_crng.ready();
    }
    pr_info("random: crng %s (%u bits from the CPU, %u from timing jitter)", ready ? "init done" : "not ready",
            r.hw_bits, r.jitter_bits);
}

void get_random_bytes(void* buf, size_t len) {
    if (!len) return;
    if (!seeded_once.load(MemoryOrder::Acquire)) random_init();
    uint8_t key[32];
    {
        SpinLockIrqSaveGuard guard(crng_lock);
        if (kernel_crng.generation() % kReseedEveryGenerations == kReseedEveryGenerations - 1)
            mix_hw_words(kernel_crng, 4);
        kernel_crng.derive_request_key(key);
    }
    crng_expand(key, buf, len);
    memzero_explicit(key, sizeof(key));
}

uint32_t get_random_u32() {
    uint32_t v;
    get_random_bytes(&v, sizeof(v));
    return v;
}

uint64_t get_random_u64() {
    uint64_t v;
    get_random_bytes(&v, sizeof(v));
    return v;
}

void add_device_randomness(const void* buf, size_t len) {
    SpinLockIrqSaveGuard guard(crng_lock);
    kernel_crng.mix(buf, len);
}

bool crng_ready() {
    SpinLockIrqSaveGuard guard(crng_lock);
    return kernel_crng.ready();
}

bool crng_try_to_seed() {
    random_init();
    SpinLockIrqSaveGuard guard(crng_lock);
    if (!kernel_crng.ready()) {
        mix_hw_words(kernel_crng, kHwSeedWords);
        crng_collect_jitter(kernel_crng, kJitterSamples);
    }
    return kernel_crng.ready();
}

namespace {
// Seeded before anything asks for random numbers (Linux seeds in start_kernel; here the first
// initcall level does, and get_random_bytes() seeds on its own if called earlier).
int random_initcall() {
    random_init();
    return 0;
}
}  // namespace
early_initcall(random_initcall);
