#pragma once
// ACPI table parsing, independent of how physical memory is reached (the kernel maps it through the
// direct map; host unit tests hand in a buffer standing for physical memory). Nothing here executes
// x86 instructions, so tests/host builds these files too.
//
// The chain: RSDP ("RSD PTR ", in the BIOS area) -> RSDT (32-bit pointers) or, from ACPI 2.0, XSDT
// (64-bit pointers) -> every other table, each starting with a 36-byte SdtHeader and checksummed so all
// its bytes sum to 0 mod 256. FADT ("FACP") -> DSDT (AML bytecode, where \_S5 lives) and FACS.
#include <arch/x86_64/acpi/acpi.hpp>
#include <stddef.h>
#include <stdint.h>

namespace acpi {

constexpr size_t kSdtHeaderSize = 36;
constexpr size_t kRsdpV1Size = 20;
constexpr size_t kRsdpV2Size = 36;

// Little-endian reads at any alignment.
inline uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }
inline uint32_t le32(const uint8_t* p) { return uint32_t(le16(p)) | uint32_t(le16(p + 2)) << 16; }
inline uint64_t le64(const uint8_t* p) { return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32; }

// All `len` bytes sum to 0 (mod 256).
bool checksum_ok(const uint8_t* bytes, size_t len);

// A validated RSDP (signature, v1 checksum, and for revision >= 2 the extended checksum).
bool rsdp_valid(const uint8_t* rsdp, size_t available);
// Scans [area, area + len) on 16-byte boundaries for a valid RSDP; the offset found, or -1.
long find_rsdp(const uint8_t* area, size_t len);

// Reaching physical memory: returns a pointer through which [phys, phys + len) can be read, or nullptr.
struct PhysMapper {
    const uint8_t* (*map)(uint64_t phys, size_t len, void* ctx);
    void* ctx;
    const uint8_t* operator()(uint64_t phys, size_t len) const { return map(phys, len, ctx); }
};

// Walks everything reachable from the RSDP at `rsdp_phys`: prints one Linux-style line per table,
// skips tables whose checksum is wrong (with a warning), and fills `info` from the MADT, FADT, DSDT and
// HPET. Returns false if there is no usable RSDP or root table.
bool parse_tables(uint64_t rsdp_phys, const PhysMapper& mapper, AcpiInfo& info);

// The individual tables, given the whole table (header included) and its length.
void parse_madt(const uint8_t* table, size_t len, AcpiInfo& info);
// Returns the DSDT's and FACS's physical addresses through the out-parameters (0 if absent).
void parse_fadt(const uint8_t* table, size_t len, AcpiInfo& info, uint64_t& dsdt_phys, uint64_t& facs_phys);
void parse_hpet(const uint8_t* table, size_t len, AcpiInfo& info);
// Decodes `Name (_S5, Package () { SLP_TYPa, SLP_TYPb, ... })` from AML. False if absent or not of
// that shape.
bool find_s5(const uint8_t* aml, size_t len, uint16_t& slp_typa, uint16_t& slp_typb);

// The GSI an ISA IRQ is wired to: its interrupt source override, or the same number.
uint32_t isa_irq_to_gsi(const AcpiInfo& info, uint8_t isa_irq);
// The MPS INTI flags of the override for an ISA IRQ (0 = bus defaults: ISA is edge, active high).
uint16_t isa_irq_flags(const AcpiInfo& info, uint8_t isa_irq);

}  // namespace acpi
