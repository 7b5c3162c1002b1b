#pragma once
// DEFLATE (RFC 1951) decoder and gzip (RFC 1952) unwrapper, for unpacking a compressed initramfs.
//
// One-shot: the whole compressed input and the whole output buffer are given at once, so back-references
// are resolved against the output itself and no sliding window is needed. Nothing is allocated; the
// decoder's tables live in an InflateState the caller provides (about 3 KiB, see kInflateStateSize).
#include <stddef.h>
#include <stdint.h>

enum class GzipResult {
    Ok,
    BadHeader,       // not gzip, unknown method, reserved flag bits, or header CRC mismatch
    Corrupt,         // invalid DEFLATE data (bad block type, bad Huffman code, distance too far back, ...)
    Truncated,       // the input ends before the stream (or the gzip trailer) does
    OutputTooSmall,  // the output buffer filled up before the stream ended
    CrcMismatch,     // gzip trailer CRC-32 differs from the CRC of the output
    SizeMismatch,    // gzip trailer ISIZE differs from the output length (mod 2^32)
};

const char* gzip_result_name(GzipResult result);

namespace inflate_detail {

// Canonical Huffman decoding table for up to N symbols, code lengths 1..15.
// fast[] is indexed by the next kFastBits input bits (DEFLATE sends Huffman codes most-significant bit
// first inside an LSB-first bit stream, so the index is the bit-reversed code) and holds
// (length << 9) | symbol for every code no longer than kFastBits; 0 means "longer code, or no code".
// Longer codes are found by canonical decoding: the codes of length L are the consecutive integers
// first_code[L] .. first_code[L] + count[L] - 1, naming symbol[offset[L]] onwards.
template <size_t N>
struct HuffmanTable {
    static constexpr unsigned kFastBits = 9;
    uint16_t fast[1u << kFastBits];
    uint16_t count[16];
    uint16_t offset[16];
    uint16_t first_code[16];
    uint16_t symbol[N];
};

}  // namespace inflate_detail

struct InflateState {
    inflate_detail::HuffmanTable<288> litlen;  // also holds the code-length code while reading a header
    inflate_detail::HuffmanTable<32> dist;
    uint8_t lengths[288 + 32];
    bool fixed_loaded;  // litlen/dist currently hold the fixed codes of RFC 1951 3.2.6
};

constexpr size_t kInflateStateSize = sizeof(InflateState);
static_assert(kInflateStateSize < 4096, "InflateState is meant to fit on a kernel stack");

// Decodes a raw DEFLATE stream. *out_len receives the bytes written (also on error) and *in_used, if not
// null, the bytes of `in` the stream occupied (it ends on a byte boundary).
GzipResult inflate_raw(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t* out_len,
                       size_t* in_used, InflateState& state);

// Decodes one gzip member (header, DEFLATE data, CRC-32 and ISIZE trailer, all checked). Data after the
// member is ignored; *in_used, if not null, tells where it starts (the next member of a multi-member
// file, or padding). The first form keeps its InflateState on the stack (about 3 KiB).
GzipResult gunzip(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t* out_len,
                  size_t* in_used = nullptr);
GzipResult gunzip(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t* out_len,
                  size_t* in_used, InflateState& state);

// True if `in` starts with the gzip magic and the deflate method byte (1f 8b 08).
bool is_gzip(const uint8_t* in, size_t in_len);

// Reads ISIZE, the uncompressed length mod 2^32, from the last four bytes, so the caller can size the
// output. Only meaningful for a single-member file with nothing appended (no padding after it).
bool gzip_isize(const uint8_t* in, size_t in_len, uint32_t* isize);
