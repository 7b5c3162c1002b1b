#pragma once
// CRC-32 as used by gzip, zip and Ethernet (IEEE 802.3): reflected polynomial 0xEDB88320, initial value
// and final XOR 0xFFFFFFFF. crc32("123456789") == 0xCBF43926.
#include <stddef.h>
#include <stdint.h>

// Continues a CRC over more data. Start with crc = 0; the value returned after each piece is the CRC of
// everything so far, so crc32_update(crc32_update(0, a), b) == CRC of a followed by b.
uint32_t crc32_update(uint32_t crc, const void* data, size_t len);

inline uint32_t crc32(const void* data, size_t len) { return crc32_update(0, data, len); }
