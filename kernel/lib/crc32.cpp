// Table-driven CRC-32, eight bytes per step ("slicing by 8"). The tables are computed at compile time,
// so they live in .rodata (8 KiB) and need no initialisation call before first use.
//
// table[0][b] is the CRC register after shifting byte b through it: eight steps of "shift right, XOR
// the polynomial if a 1 fell out". table[k][b] is the same byte followed by k zero bytes, i.e.
// table[k][b] = (table[k-1][b] >> 8) ^ table[0][table[k-1][b] & 0xff]. Because the CRC is linear over
// XOR, the effect of eight input bytes on the register is the XOR of each byte's effect, looked up in
// the table for the number of bytes that follow it.
#include <lib/crc32.hpp>

namespace {

struct Crc32Tables {
    uint32_t t[8][256];
};

constexpr Crc32Tables make_tables() {
    Crc32Tables tab{};
    for (uint32_t b = 0; b < 256; ++b) {
        uint32_t c = b;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        tab.t[0][b] = c;
    }
    for (int k = 1; k < 8; ++k)
        for (uint32_t b = 0; b < 256; ++b) {
            uint32_t prev = tab.t[k - 1][b];
            tab.t[k][b] = (prev >> 8) ^ tab.t[0][prev & 0xff];
        }
    return tab;
}

constexpr Crc32Tables kTables = make_tables();

}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, size_t len) {
    const uint8_t* p = static_cast<const uint8_t*>(data);
    const auto& t = kTables.t;
    uint32_t c = ~crc;
    for (; len >= 8; len -= 8, p += 8) {
        // Bytes in memory order: p[0] is consumed first and has seven bytes after it.
        uint32_t lo = (p[0] | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24) ^ c;
        uint32_t hi = p[4] | p[5] << 8 | p[6] << 16 | uint32_t(p[7]) << 24;
        c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
            t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    }
    for (; len; --len, ++p) c = t[0][(c ^ *p) & 0xff] ^ (c >> 8);
    return ~c;
}
