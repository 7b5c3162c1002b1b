// ChaCha20 known-answer tests from RFC 8439, and the generator built on it (lib/random.hpp).
#include <lib/chacha20.hpp>
#include <lib/random.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "arch_random_host.hpp"

namespace {

std::vector<uint8_t> hex(const std::string& s) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(uint8_t(std::stoi(s.substr(i, 2), nullptr, 16)));
    return out;
}

std::vector<uint8_t> key_0_to_31() {
    std::vector<uint8_t> k(32);
    for (int i = 0; i < 32; i++) k[i] = uint8_t(i);
    return k;
}

// RFC 8439 section 2.3.2: the block function.
TEST(ChaCha20, Rfc8439BlockFunction) {
    std::vector<uint8_t> key = key_0_to_31();
    std::vector<uint8_t> nonce = hex("000000090000004a00000000");
    ChaCha20 c(key.data(), nonce.data(), 1);
    uint8_t block[64];
    c.next_block(block);
    EXPECT_EQ(std::vector<uint8_t>(block, block + 64),
              hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                  "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
    EXPECT_EQ(c.counter(), 2u);

    // The same through the word-level entry point.
    uint32_t kw[8], nw[3] = {0x09000000, 0x4a000000, 0};
    for (int i = 0; i < 8; i++) kw[i] = uint32_t(4 * i) | uint32_t(4 * i + 1) << 8 | uint32_t(4 * i + 2) << 16 | uint32_t(4 * i + 3) << 24;
    uint8_t block2[64];
    chacha20_block(kw, 1, nw, block2);
    EXPECT_EQ(0, memcmp(block, block2, 64));
}

// RFC 8439 section 2.4.2: encryption of the "sunscreen" text with counter 1.
TEST(ChaCha20, Rfc8439Encryption) {
    std::vector<uint8_t> key = key_0_to_31();
    std::vector<uint8_t> nonce = hex("000000000000004a00000000");
    std::string text = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
                       "future, sunscreen would be it.";
    std::vector<uint8_t> data(text.begin(), text.end());
    ChaCha20 enc(key.data(), nonce.data(), 1);
    enc.crypt(data.data(), data.size());
    EXPECT_EQ(data, hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                        "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                        "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                        "5af90bbf74a35be6b40b8eedf2785e42874d"));
    ChaCha20 dec(key.data(), nonce.data(), 1);
    dec.crypt(data.data(), data.size());
    EXPECT_EQ(std::string(data.begin(), data.end()), text);
}

// RFC 8439 appendix A.1, test vector #1: all-zero key and nonce, counter 0.
TEST(ChaCha20, Rfc8439ZeroKeyKeystream) {
    uint8_t key[32] = {}, nonce[12] = {};
    ChaCha20 c(key, nonce, 0);
    uint8_t out[100];
    c.keystream(out, 100);  // a partial second block
    EXPECT_EQ(std::vector<uint8_t>(out, out + 64),
              hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"));
    ChaCha20 again(key, nonce, 0);
    uint8_t first[64], second[64];
    again.next_block(first);
    again.next_block(second);
    EXPECT_EQ(0, memcmp(out + 64, second, 36));
}

TEST(Crng, DeterministicForASeedAndEveryOutputDiffers) {
    Crng a, b;
    a.mix("seed", 4);
    b.mix("seed", 4);
    uint8_t x[48], y[48], z[48];
    a.generate(x, sizeof(x));
    b.generate(y, sizeof(y));
    EXPECT_EQ(0, memcmp(x, y, sizeof(x)));
    a.generate(z, sizeof(z));
    EXPECT_NE(0, memcmp(x, z, sizeof(x)));  // the key moved on (fast key erasure)
    EXPECT_EQ(a.generation(), 2u);

    Crng c;
    c.mix("seee", 4);
    c.generate(z, sizeof(z));
    EXPECT_NE(0, memcmp(x, z, sizeof(x)));
    // Inputs of different lengths that pad alike absorb differently.
    Crng d, e;
    d.mix("ab", 2);
    e.mix("ab\0", 3);
    d.generate(x, sizeof(x));
    e.generate(y, sizeof(y));
    EXPECT_NE(0, memcmp(x, y, sizeof(x)));
}

TEST(Crng, ReadinessNeedsCreditedEntropy) {
    Crng r;
    EXPECT_FALSE(r.ready());
    r.mix("not credited", 12);
    EXPECT_FALSE(r.ready());
    r.credit(200);
    EXPECT_FALSE(r.ready());
    r.credit(100);
    EXPECT_TRUE(r.ready());
}

TEST(Crng, OutputLooksUniform) {
    Crng r;
    r.mix("statistics", 10);
    std::vector<uint8_t> buf(1 << 16);
    r.generate(buf.data(), buf.size());
    size_t counts[256] = {};
    for (uint8_t c : buf) counts[c]++;
    // Chi-square with 255 degrees of freedom: 99.99% of uniform samples stay below ~360.
    double expected = buf.size() / 256.0, chi2 = 0;
    for (size_t c : counts) chi2 += (c - expected) * (c - expected) / expected;
    EXPECT_LT(chi2, 360.0);
    size_t ones = 0;
    for (uint8_t c : buf) ones += __builtin_popcount(c);
    EXPECT_NEAR(double(ones) / (buf.size() * 8), 0.5, 0.01);
}

TEST(KernelRandom, GetRandomBytes) {
    host_hw_random = HostHwRandom::Random;
    random_init();
    EXPECT_TRUE(crng_ready());
    std::set<uint64_t> seen;
    for (int i = 0; i < 1000; i++) EXPECT_TRUE(seen.insert(get_random_u64()).second);
    uint8_t big[3000] = {};
    get_random_bytes(big, sizeof(big));
    size_t zeros = 0;
    for (uint8_t c : big) zeros += c == 0;
    EXPECT_LT(zeros, 40u);  // about 12 expected
    get_random_bytes(nullptr, 0);
}

}  // namespace
