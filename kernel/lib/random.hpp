#pragma once
// The kernel's cryptographically secure random numbers: Linux's get_random_bytes(), and the generator
// behind /dev/urandom and /dev/random (and, later, getrandom() and exec's AT_RANDOM).
//
// Design: a ChaCha20 "fast key erasure" generator (Bernstein), as Linux's random.c does since 5.17.
//   - State: a 256-bit base key.
//   - Input (seeding, reseeding, write(2) to /dev/random): absorbed 32 bytes at a time,
//       key <- first 32 bytes of ChaCha20Block(key XOR chunk, nonce = "mix"),
//     the block function's feed-forward makes each step one-way, so absorbing attacker-chosen data
//     cannot cancel out what the key already holds.
//   - Output: block <- ChaCha20Block(key, nonce = "out" + generation); the first half replaces the base
//     key at once (so whoever later learns the state cannot recompute earlier outputs), the second half
//     is a one-time key that ChaCha20 expands into the requested bytes, outside the lock.
// Seeds: the CPU's entropy source (arch/random.hpp: RDSEED/RDRAND) and the jitter of the cycle counter
// around memory accesses. The generator counts itself ready once 256 bits are credited; /dev/random
// waits for that, /dev/urandom and get_random_bytes() do not (after seeding, as Linux's urandom).
#include <stddef.h>
#include <stdint.h>

// One generator state. Not locked: the kernel's instance behind get_random_bytes() is; tests build
// their own.
class Crng {
public:
    static constexpr unsigned kReadyBits = 256;

    // Absorbs `len` bytes into the key (credits nothing).
    void mix(const void* data, size_t len);
    // Derives a one-time 32-byte key for one request and replaces the base key.
    void derive_request_key(uint8_t out[32]);
    // Convenience for single-threaded users: derive a request key and expand it into `out`.
    void generate(void* out, size_t len);

    void credit(unsigned bits) { entropy_bits_ = entropy_bits_ + bits > kReadyBits ? kReadyBits : entropy_bits_ + bits; }
    bool ready() const { return entropy_bits_ >= kReadyBits; }
    uint64_t generation() const { return generation_; }

private:
    uint32_t key_[8] = {};
    uint64_t generation_ = 0;
    unsigned entropy_bits_ = 0;
};

// Expands a 32-byte one-time key into `len` bytes of ChaCha20 keystream.
void crng_expand(const uint8_t key[32], void* out, size_t len);

// Gathers `samples` cycle-counter jitter measurements into `crng`; returns the bits it credits (a
// quarter of a bit per sample whose duration differed from the previous one).
unsigned crng_collect_jitter(Crng& crng, unsigned samples);

// --- The kernel's generator -------------------------------------------------------------------------

// Seeds the kernel generator from the hardware source and jitter. Idempotent; the first user of
// get_random_bytes() calls it if nobody did.
void random_init();
// Fills `buf` with random bytes. Never blocks, never fails.
void get_random_bytes(void* buf, size_t len);
uint32_t get_random_u32();
uint64_t get_random_u64();
// Mixes data that may be unpredictable to an attacker (device serials, user writes to /dev/random)
// into the generator without crediting it.
void add_device_randomness(const void* buf, size_t len);
// Whether 256 bits of entropy have been credited (what /dev/random and getrandom(0) wait for).
bool crng_ready();
// Collects more jitter entropy right now (Linux's try_to_generate_entropy); returns crng_ready().
bool crng_try_to_seed();
