// DEFLATE decoder and gzip framing. See lib/inflate.hpp.
//
// Bit input: DEFLATE packs bits least-significant first. BitReader keeps up to 64 of them in `bits`
// (next bit in bit 0). Past the end of the input it feeds zero bytes, so decoding never has to check
// for the end mid-symbol; instead, once per symbol, `overrun()` asks whether any of those fake bytes
// was actually consumed, which means the stream was truncated.
#include <lib/crc32.hpp>
#include <lib/inflate.hpp>

using inflate_detail::HuffmanTable;

namespace {

struct BitReader {
    const uint8_t* in;
    size_t len;
    size_t pos;     // bytes loaded into `bits` so far, counting fake zero bytes past the end
    uint64_t bits;  // bits above nbits may hold a copy of the next byte's low bits; harmless (see refill)
    unsigned nbits;

    // Tops the buffer up to at least 56 bits (at most 63, so shifts by nbits stay defined). The fast path loads 8 bytes and keeps the whole ones
    // that fit; a partially fitting byte is ORed in again, at the same position, by the next refill.
    void refill() {
        if (pos <= len && len - pos >= 8) {
            uint64_t word;
            __builtin_memcpy(&word, in + pos, 8);  // x86-64 is little-endian, as DEFLATE's bit order
            bits |= word << nbits;
            unsigned take = (63 - nbits) >> 3;
            pos += take;
            nbits += take * 8;
            return;
        }
        while (nbits < 56) {
            uint64_t byte = pos < len ? in[pos] : 0;
            ++pos;
            bits |= byte << nbits;
            nbits += 8;
        }
    }
    uint32_t peek(unsigned n) const { return uint32_t(bits & ((uint64_t(1) << n) - 1)); }
    void consume(unsigned n) {
        bits >>= n;
        nbits -= n;
    }
    uint32_t take(unsigned n) {
        uint32_t v = peek(n);
        consume(n);
        return v;
    }
    // Bytes of real input consumed, once the reader is byte aligned.
    size_t consumed_bytes() const { return pos - nbits / 8; }
    bool overrun() const { return pos > len && (pos - len) * 8 > nbits; }
    // Drops the bits up to the next byte boundary and hands the remaining buffered bytes back to the
    // input, so a stored block can be copied straight from `in`.
    void align_and_unload() {
        consume(nbits & 7);
        pos -= nbits / 8;
        bits = 0;
        nbits = 0;
    }
};

enum class CodeKind { CodeLengths, LitLen, Dist };

// Builds `t` from per-symbol code lengths (0 = unused). Rejects over-subscribed codes. Incomplete codes
// are accepted only where zlib accepts them: a literal/length or distance code with a single 1-bit
// code, or an empty distance code (a block of literals only).
template <size_t N>
bool build_table(HuffmanTable<N>& t, const uint8_t* lengths, size_t n, CodeKind kind) {
    for (unsigned len = 0; len < 16; ++len) t.count[len] = 0;
    for (size_t s = 0; s < n; ++s) t.count[lengths[s]]++;
    t.count[0] = 0;

    int left = 1;  // codes of the current length still available
    unsigned max_len = 0, used = 0;
    for (unsigned len = 1; len < 16; ++len) {
        left = left * 2 - t.count[len];
        if (left < 0) return false;
        if (t.count[len]) max_len = len;
        used += t.count[len];
    }
    if (left > 0) {
        bool allowed = kind != CodeKind::CodeLengths && (max_len == 1 || (kind == CodeKind::Dist && used == 0));
        if (!allowed) return false;
    }

    uint16_t next_index[16];
    unsigned code = 0, index = 0;
    for (unsigned len = 1; len < 16; ++len) {
        t.first_code[len] = uint16_t(code);
        t.offset[len] = uint16_t(index);
        next_index[len] = uint16_t(index);
        code = (code + t.count[len]) << 1;
        index += t.count[len];
    }
    for (size_t s = 0; s < n; ++s)
        if (lengths[s]) t.symbol[next_index[lengths[s]]++] = uint16_t(s);

    constexpr unsigned kFast = HuffmanTable<N>::kFastBits;
    for (auto& e : t.fast) e = 0;
    for (unsigned len = 1; len <= kFast; ++len) {
        for (unsigned i = 0; i < t.count[len]; ++i) {
            unsigned c = t.first_code[len] + i;
            unsigned rev = 0;
            for (unsigned b = 0; b < len; ++b) rev |= ((c >> b) & 1) << (len - 1 - b);
            uint16_t entry = uint16_t(len << 9 | t.symbol[t.offset[len] + i]);
            for (unsigned j = rev; j < (1u << kFast); j += 1u << len) t.fast[j] = entry;
        }
    }
    return true;
}

// Decodes one symbol; the reader must hold at least 15 bits. Returns -1 for a bit pattern that is no code.
template <size_t N>
inline int decode(const HuffmanTable<N>& t, BitReader& br) {
    uint16_t e = t.fast[br.peek(HuffmanTable<N>::kFastBits)];
    if (e) {
        br.consume(e >> 9);
        return e & 511;
    }
    // Canonical decoding, one bit at a time, for codes longer than the fast table covers.
    unsigned code = 0;
    for (unsigned len = 1; len < 16; ++len) {
        code = code << 1 | ((br.bits >> (len - 1)) & 1);
        unsigned idx = code - t.first_code[len];  // wraps to a huge value when code < first_code
        if (idx < t.count[len]) {
            br.consume(len);
            return t.symbol[t.offset[len] + idx];
        }
    }
    return -1;
}

constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                    33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                    1025, 1537, 2049, 3073, 4097, 6145,  8193,  12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// Order in which a dynamic block header lists the code-length code's lengths.
constexpr uint8_t kCodeLengthOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

void load_fixed(InflateState& st) {
    if (st.fixed_loaded) return;
    uint8_t* l = st.lengths;
    for (unsigned s = 0; s < 288; ++s) l[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    build_table(st.litlen, l, 288, CodeKind::LitLen);
    // All 32 five-bit codes exist; symbols 30 and 31 decode but are rejected as distances.
    for (unsigned s = 0; s < 32; ++s) l[s] = 5;
    build_table(st.dist, l, 32, CodeKind::Dist);
    st.fixed_loaded = true;
}

GzipResult load_dynamic(InflateState& st, BitReader& br) {
    st.fixed_loaded = false;
    br.refill();
    unsigned hlit = br.take(5) + 257;
    unsigned hdist = br.take(5) + 1;
    unsigned hclen = br.take(4) + 4;
    if (hlit > 286 || hdist > 30) return GzipResult::Corrupt;

    uint8_t cl_lengths[19] = {};
    for (unsigned i = 0; i < hclen; ++i) {
        br.refill();
        cl_lengths[kCodeLengthOrder[i]] = uint8_t(br.take(3));
    }
    if (!build_table(st.litlen, cl_lengths, 19, CodeKind::CodeLengths)) return GzipResult::Corrupt;

    // Literal/length and distance code lengths form one sequence, so a repeat may cross between them.
    const unsigned total = hlit + hdist;
    unsigned i = 0;
    while (i < total) {
        if (br.overrun()) return GzipResult::Truncated;
        br.refill();
        int sym = decode(st.litlen, br);
        if (sym < 0) return GzipResult::Corrupt;
        if (sym < 16) {
            st.lengths[i++] = uint8_t(sym);
            continue;
        }
        uint8_t value = 0;
        unsigned repeat;
        if (sym == 16) {
            if (i == 0) return GzipResult::Corrupt;  // nothing to repeat
            value = st.lengths[i - 1];
            repeat = 3 + br.take(2);
        } else if (sym == 17) {
            repeat = 3 + br.take(3);
        } else {
            repeat = 11 + br.take(7);
        }
        if (repeat > total - i) return GzipResult::Corrupt;
        while (repeat--) st.lengths[i++] = value;
    }
    if (br.overrun()) return GzipResult::Truncated;
    if (st.lengths[256] == 0) return GzipResult::Corrupt;  // a block must be able to end
    if (!build_table(st.litlen, st.lengths, hlit, CodeKind::LitLen)) return GzipResult::Corrupt;
    if (!build_table(st.dist, st.lengths + hlit, hdist, CodeKind::Dist)) return GzipResult::Corrupt;
    return GzipResult::Ok;
}

// Decodes the symbols of one Huffman-coded block into out[*pos..cap).
GzipResult decode_block(InflateState& st, BitReader& br, uint8_t* out, size_t cap, size_t* pos_io) {
    size_t pos = *pos_io;
    GzipResult result = GzipResult::Ok;
    for (;;) {
        if (br.overrun()) {
            result = GzipResult::Truncated;
            break;
        }
        // 56 bits cover the longest step: 15 + 5 (length) + 15 + 13 (distance) = 48.
        br.refill();
        int sym = decode(st.litlen, br);
        if (sym < 256) {
            if (sym < 0) {
                result = GzipResult::Corrupt;
                break;
            }
            if (pos == cap) {
                result = GzipResult::OutputTooSmall;
                break;
            }
            out[pos++] = uint8_t(sym);
            continue;
        }
        if (sym == 256) break;
        sym -= 257;
        if (sym >= 29) {
            result = GzipResult::Corrupt;
            break;
        }
        size_t length = kLengthBase[sym] + br.take(kLengthExtra[sym]);
        int dsym = decode(st.dist, br);
        if (dsym < 0 || dsym >= 30) {
            result = GzipResult::Corrupt;
            break;
        }
        size_t dist = kDistBase[dsym] + br.take(kDistExtra[dsym]);
        if (dist > pos) {
            result = GzipResult::Corrupt;
            break;
        }
        if (length > cap - pos) {
            result = GzipResult::OutputTooSmall;
            break;
        }
        uint8_t* d = out + pos;
        const uint8_t* s = d - dist;
        pos += length;
        // Eight bytes at a time is safe while the source stays at least eight bytes behind; shorter
        // distances repeat a pattern and must go byte by byte.
        if (dist >= 8) {
            for (; length >= 8; length -= 8, d += 8, s += 8) __builtin_memcpy(d, s, 8);
        }
        while (length--) *d++ = *s++;
    }
    *pos_io = pos;
    if (result == GzipResult::Ok && br.overrun()) result = GzipResult::Truncated;
    return result;
}

GzipResult stored_block(BitReader& br, uint8_t* out, size_t cap, size_t* pos) {
    br.align_and_unload();
    if (br.pos > br.len || br.len - br.pos < 4) return GzipResult::Truncated;
    const uint8_t* p = br.in + br.pos;
    unsigned len = p[0] | p[1] << 8;
    unsigned nlen = p[2] | p[3] << 8;
    if (len != (~nlen & 0xffffu)) return GzipResult::Corrupt;
    br.pos += 4;
    if (br.len - br.pos < len) return GzipResult::Truncated;
    if (cap - *pos < len) return GzipResult::OutputTooSmall;
    __builtin_memcpy(out + *pos, br.in + br.pos, len);
    br.pos += len;
    *pos += len;
    return GzipResult::Ok;
}

uint32_t load_le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24; }

}  // namespace

GzipResult inflate_raw(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t* out_len,
                       size_t* in_used, InflateState& st) {
    BitReader br{in, in_len, 0, 0, 0};
    st.fixed_loaded = false;
    size_t pos = 0;
    GzipResult result = GzipResult::Ok;
    bool final_block = false;
    while (!final_block && result == GzipResult::Ok) {
        br.refill();
        final_block = br.take(1);
        unsigned type = br.take(2);
        if (br.overrun()) {
            result = GzipResult::Truncated;
        } else if (type == 0) {
            result = stored_block(br, out, out_cap, &pos);
        } else if (type == 1) {
            load_fixed(st);
            result = decode_block(st, br, out, out_cap, &pos);
        } else if (type == 2) {
            result = load_dynamic(st, br);
            if (result == GzipResult::Ok) result = decode_block(st, br, out, out_cap, &pos);
        } else {
            result = GzipResult::Corrupt;
        }
    }
    *out_len = pos;
    if (result != GzipResult::Ok) return result;
    br.consume(br.nbits & 7);
    if (br.consumed_bytes() > in_len) return GzipResult::Truncated;
    if (in_used) *in_used = br.consumed_bytes();
    return GzipResult::Ok;
}

bool is_gzip(const uint8_t* in, size_t in_len) {
    return in_len >= 3 && in[0] == 0x1f && in[1] == 0x8b && in[2] == 8;
}

bool gzip_isize(const uint8_t* in, size_t in_len, uint32_t* isize) {
    // 10-byte header, at least 2 bytes of DEFLATE data, 8-byte trailer.
    if (in_len < 20 || !is_gzip(in, in_len)) return false;
    *isize = load_le32(in + in_len - 4);
    return true;
}

GzipResult gunzip(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t* out_len,
                  size_t* in_used) {
    InflateState state;
    return gunzip(in, in_len, out, out_cap, out_len, in_used, state);
}

GzipResult gunzip(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t* out_len,
                  size_t* in_used, InflateState& state) {
    enum : uint8_t { FTEXT = 1, FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, FRESERVED = 0xe0 };
    *out_len = 0;
    if (in_len < 10 || !is_gzip(in, in_len)) return GzipResult::BadHeader;
    const uint8_t flags = in[3];
    if (flags & FRESERVED) return GzipResult::BadHeader;
    size_t p = 10;  // after ID1 ID2 CM FLG MTIME(4) XFL OS
    if (flags & FEXTRA) {
        if (in_len - p < 2) return GzipResult::Truncated;
        size_t xlen = in[p] | in[p + 1] << 8;
        p += 2;
        if (in_len - p < xlen) return GzipResult::Truncated;
        p += xlen;
    }
    const uint8_t strings[2] = {FNAME, FCOMMENT};
    for (uint8_t field : strings) {
        if (!(flags & field)) continue;
        while (p < in_len && in[p] != 0) ++p;  // zero-terminated string
        if (p == in_len) return GzipResult::Truncated;
        ++p;
    }
    if (flags & FHCRC) {
        if (in_len - p < 2) return GzipResult::Truncated;
        uint32_t want = in[p] | in[p + 1] << 8;
        if ((crc32(in, p) & 0xffff) != want) return GzipResult::BadHeader;
        p += 2;
    }

    size_t used = 0;
    GzipResult r = inflate_raw(in + p, in_len - p, out, out_cap, out_len, &used, state);
    if (r != GzipResult::Ok) return r;
    p += used;
    if (in_len - p < 8) return GzipResult::Truncated;
    if (crc32(out, *out_len) != load_le32(in + p)) return GzipResult::CrcMismatch;
    if (uint32_t(*out_len) != load_le32(in + p + 4)) return GzipResult::SizeMismatch;
    if (in_used) *in_used = p + 8;
    return GzipResult::Ok;
}

const char* gzip_result_name(GzipResult result) {
    switch (result) {
    case GzipResult::Ok: return "ok";
    case GzipResult::BadHeader: return "bad header";
    case GzipResult::Corrupt: return "corrupt data";
    case GzipResult::Truncated: return "truncated input";
    case GzipResult::OutputTooSmall: return "output too small";
    case GzipResult::CrcMismatch: return "CRC mismatch";
    case GzipResult::SizeMismatch: return "size mismatch";
    }
    return "unknown";
}
