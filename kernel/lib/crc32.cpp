// Byte-at-a-time table-driven CRC-32. The table is computed at compile time, so it lives in .rodata and
// needs no initialisation call before first use.
#include <lib/crc32.hpp>

namespace {

struct Crc32Table {
    uint32_t entry[256];
};

// entry[b] is the CRC register after shifting the byte b through it, i.e. eight steps of
// "shift right, XOR the polynomial if a 1 fell out".
constexpr Crc32Table make_table() {
    Crc32Table t{};
    for (uint32_t b = 0; b < 256; ++b) {
        uint32_t c = b;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        t.entry[b] = c;
    }
    return t;
}

constexpr Crc32Table kTable = make_table();

}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, size_t len) {
    const uint8_t* p = static_cast<const uint8_t*>(data);
    uint32_t c = ~crc;
    for (size_t i = 0; i < len; ++i) c = kTable.entry[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}
