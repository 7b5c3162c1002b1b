// ChaCha20 (RFC 8439): 20 rounds of add-rotate-xor on a 4x4 matrix of 32-bit words, then the input
// matrix is added back (the feed-forward that makes the block function non-invertible).
#include <lib/chacha20.hpp>
#include <lib/string.hpp>

namespace {

// "expand 32-byte k" as four little-endian words.
constexpr uint32_t kSigma[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

inline uint32_t rotl32(uint32_t v, unsigned n) { return (v << n) | (v >> (32 - n)); }

inline uint32_t load_le32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
inline void store_le32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
    p[2] = uint8_t(v >> 16);
    p[3] = uint8_t(v >> 24);
}

inline void quarter_round(uint32_t* x, int a, int b, int c, int d) {
    x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 16);
    x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 8);
    x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 7);
}

// out = serialize(rounds(state) + state).
void block_from_state(const uint32_t state[16], uint8_t out[kChaCha20BlockSize]) {
    uint32_t x[16];
    for (int i = 0; i < 16; i++) x[i] = state[i];
    for (int round = 0; round < 10; round++) {
        // Column round, then diagonal round.
        quarter_round(x, 0, 4, 8, 12);
        quarter_round(x, 1, 5, 9, 13);
        quarter_round(x, 2, 6, 10, 14);
        quarter_round(x, 3, 7, 11, 15);
        quarter_round(x, 0, 5, 10, 15);
        quarter_round(x, 1, 6, 11, 12);
        quarter_round(x, 2, 7, 8, 13);
        quarter_round(x, 3, 4, 9, 14);
    }
    for (int i = 0; i < 16; i++) store_le32(out + 4 * i, x[i] + state[i]);
    memzero_explicit(x, sizeof(x));
}

}  // namespace

void memzero_explicit(void* p, size_t len) {
    memset(p, 0, len);
    // The asm claims to read the memory, so the stores above are not dead.
    asm volatile("" : : "r"(p) : "memory");
}

ChaCha20::ChaCha20(const uint8_t key[kChaCha20KeySize], const uint8_t nonce[kChaCha20NonceSize],
                   uint32_t counter) {
    for (int i = 0; i < 4; i++) state_[i] = kSigma[i];
    for (int i = 0; i < 8; i++) state_[4 + i] = load_le32(key + 4 * i);
    state_[12] = counter;
    for (int i = 0; i < 3; i++) state_[13 + i] = load_le32(nonce + 4 * i);
}

ChaCha20::~ChaCha20() { memzero_explicit(state_, sizeof(state_)); }

void ChaCha20::next_block(uint8_t out[kChaCha20BlockSize]) {
    block_from_state(state_, out);
    state_[12]++;
}

void ChaCha20::keystream(uint8_t* out, size_t len) {
    uint8_t block[kChaCha20BlockSize];
    while (len >= kChaCha20BlockSize) {
        next_block(out);
        out += kChaCha20BlockSize;
        len -= kChaCha20BlockSize;
    }
    if (len) {
        next_block(block);
        memcpy(out, block, len);
        memzero_explicit(block, sizeof(block));
    }
}

void ChaCha20::crypt(uint8_t* data, size_t len) {
    uint8_t block[kChaCha20BlockSize];
    while (len) {
        next_block(block);
        size_t n = len < kChaCha20BlockSize ? len : kChaCha20BlockSize;
        for (size_t i = 0; i < n; i++) data[i] ^= block[i];
        data += n;
        len -= n;
    }
    memzero_explicit(block, sizeof(block));
}

void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
                    uint8_t out[kChaCha20BlockSize]) {
    uint32_t state[16];
    for (int i = 0; i < 4; i++) state[i] = kSigma[i];
    for (int i = 0; i < 8; i++) state[4 + i] = key[i];
    state[12] = counter;
    for (int i = 0; i < 3; i++) state[13 + i] = nonce[i];
    block_from_state(state, out);
    memzero_explicit(state, sizeof(state));
}
