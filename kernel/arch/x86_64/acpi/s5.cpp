// \_S5 from the DSDT: the SLP_TYP values that, written to PM1x_CNT with SLP_EN, power the machine off.
//
// Tern has no AML interpreter; like many small kernels it finds the object by name and decodes the
// few AML encodings a \_S5 package uses:
//   NameOp(0x08) ['\'] "_S5_" PackageOp(0x12) PkgLength NumElements  element...
// where PkgLength is 1-4 bytes (the top two bits of the first byte count the extra bytes) and each
// element is an integer: ZeroOp 0x00, OneOp 0x01, OnesOp 0xff, BytePrefix 0x0a b, WordPrefix 0x0b w,
// DWordPrefix 0x0c d, QWordPrefix 0x0e q.
#include <arch/x86_64/acpi/tables.hpp>
#include <lib/string.hpp>

namespace acpi {
namespace {

constexpr uint8_t kNameOp = 0x08, kPackageOp = 0x12, kRootChar = '\\';

// Decodes one integer at aml[*pos], advancing *pos. False if it is not an integer encoding.
bool decode_integer(const uint8_t* aml, size_t len, size_t* pos, uint64_t* value) {
    if (*pos >= len) return false;
    uint8_t op = aml[(*pos)++];
    size_t bytes;
    switch (op) {
    case 0x00: *value = 0; return true;
    case 0x01: *value = 1; return true;
    case 0xff: *value = ~0ull; return true;
    case 0x0a: bytes = 1; break;
    case 0x0b: bytes = 2; break;
    case 0x0c: bytes = 4; break;
    case 0x0e: bytes = 8; break;
    default: return false;
    }
    if (*pos + bytes > len) return false;
    *value = 0;
    for (size_t i = 0; i < bytes; i++) *value |= uint64_t(aml[*pos + i]) << (8 * i);
    *pos += bytes;
    return true;
}

bool decode_s5_package(const uint8_t* aml, size_t len, size_t pos, uint16_t& a, uint16_t& b) {
    if (pos >= len || aml[pos++] != kPackageOp) return false;
    if (pos >= len) return false;
    pos += 1 + (aml[pos] >> 6);  // PkgLength
    if (pos >= len) return false;
    uint8_t elements = aml[pos++];
    if (elements < 1) return false;
    uint64_t typa, typb = 0;
    if (!decode_integer(aml, len, &pos, &typa)) return false;
    if (elements >= 2 && !decode_integer(aml, len, &pos, &typb)) return false;
    // SLP_TYPx is a 3-bit field of PM1x_CNT.
    a = uint16_t(typa & 7);
    b = uint16_t(typb & 7);
    return true;
}

}  // namespace

bool find_s5(const uint8_t* aml, size_t len, uint16_t& slp_typa, uint16_t& slp_typb) {
    for (size_t i = 1; i + 4 <= len; i++) {
        if (memcmp(aml + i, "_S5_", 4) != 0) continue;
        bool named = aml[i - 1] == kNameOp || (i >= 2 && aml[i - 1] == kRootChar && aml[i - 2] == kNameOp);
        if (named && decode_s5_package(aml, len, i + 4, slp_typa, slp_typb)) return true;
    }
    return false;
}

}  // namespace acpi
