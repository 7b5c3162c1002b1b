#pragma once
// The ChaCha20 stream cipher of RFC 8439: a 256-bit key, a 96-bit nonce and a 32-bit block counter
// select a 64-byte keystream block. Tern uses it as the generator of its random-number source
// (lib/random.hpp); the block function is exposed for that, the stream helpers for tests and users
// that want a cipher.
#include <stddef.h>
#include <stdint.h>

constexpr size_t kChaCha20KeySize = 32;
constexpr size_t kChaCha20NonceSize = 12;
constexpr size_t kChaCha20BlockSize = 64;

class ChaCha20 {
public:
    ChaCha20(const uint8_t key[kChaCha20KeySize], const uint8_t nonce[kChaCha20NonceSize],
             uint32_t counter);
    // Key material must not linger on the stack.
    ~ChaCha20();
    ChaCha20(const ChaCha20&) = delete;
    ChaCha20& operator=(const ChaCha20&) = delete;

    // The keystream block at the current counter, which then advances by one.
    void next_block(uint8_t out[kChaCha20BlockSize]);
    // `len` bytes of keystream (the unused rest of a final partial block is discarded).
    void keystream(uint8_t* out, size_t len);
    // XORs the keystream into `data` (encryption and decryption are the same operation).
    void crypt(uint8_t* data, size_t len);

    uint32_t counter() const { return state_[12]; }

private:
    uint32_t state_[16];
};

// The bare block function: `out` = ChaCha20 block of (key, counter, nonce) — RFC 8439 section 2.3.
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
                    uint8_t out[kChaCha20BlockSize]);

// Zeroes memory in a way the compiler may not drop as a dead store (for secrets).
void memzero_explicit(void* p, size_t len);
