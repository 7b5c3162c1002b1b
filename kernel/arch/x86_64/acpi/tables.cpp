// Finding and walking the ACPI tables (see tables.hpp).
#include <arch/x86_64/acpi/tables.hpp>
#include <lib/string.hpp>
#include <printk/printk.hpp>

namespace acpi {
namespace {

// Larger "tables" are taken for garbage rather than mapped.
constexpr uint32_t kMaxTableLength = 1u << 20;

void print_table(const char* sig, uint64_t phys, const uint8_t* t, uint32_t len) {
    pr_info("ACPI: %-4.4s 0x%016llX %06X (v%02d %-6.6s %-8.8s %08X %-4.4s %08X)", sig, (unsigned long long)phys,
            len, t[8], reinterpret_cast<const char*>(t + 10), reinterpret_cast<const char*>(t + 16),
            le32(t + 24), reinterpret_cast<const char*>(t + 28), le32(t + 32));
}

// Maps a whole table with a valid header and checksum; prints its line. nullptr if unusable.
const uint8_t* map_table(const PhysMapper& mapper, uint64_t phys, const char* expect_sig, uint32_t& len) {
    const uint8_t* header = mapper(phys, kSdtHeaderSize);
    if (!header) {
        pr_warn("ACPI: table at 0x%016llx is not reachable", (unsigned long long)phys);
        return nullptr;
    }
    len = le32(header + 4);
    if (len < kSdtHeaderSize || len > kMaxTableLength) {
        pr_warn("ACPI: table at 0x%016llx has an invalid length %u", (unsigned long long)phys, len);
        return nullptr;
    }
    if (expect_sig && memcmp(header, expect_sig, 4) != 0) {
        pr_warn("ACPI: expected %s at 0x%016llx", expect_sig, (unsigned long long)phys);
        return nullptr;
    }
    const uint8_t* t = mapper(phys, len);
    if (!t) return nullptr;
    char sig[5] = {char(t[0]), char(t[1]), char(t[2]), char(t[3]), 0};
    print_table(sig, phys, t, len);
    if (!checksum_ok(t, len)) {
        pr_warn("ACPI BIOS Warning (bug): Incorrect checksum in table [%4.4s], ignored", sig);
        return nullptr;
    }
    return t;
}

void parse_dsdt(const PhysMapper& mapper, uint64_t phys, AcpiInfo& info) {
    uint32_t len;
    const uint8_t* dsdt = map_table(mapper, phys, "DSDT", len);
    if (!dsdt) return;
    uint16_t a, b;
    if (find_s5(dsdt + kSdtHeaderSize, len - kSdtHeaderSize, a, b)) {
        info.has_s5 = true;
        info.slp_typ_s5 = a;
        info.slp_typb_s5 = b;
    }
}

// The FACS has a signature and length but no checksum or OEM fields.
void print_facs(const PhysMapper& mapper, uint64_t phys) {
    const uint8_t* facs = mapper(phys, 8);
    if (facs && !memcmp(facs, "FACS", 4))
        pr_info("ACPI: FACS 0x%016llX %06X", (unsigned long long)phys, le32(facs + 4));
}

void parse_one(const PhysMapper& mapper, uint64_t phys, AcpiInfo& info) {
    uint32_t len;
    const uint8_t* t = map_table(mapper, phys, nullptr, len);
    if (!t) return;
    if (!memcmp(t, "APIC", 4)) {
        parse_madt(t, len, info);
    } else if (!memcmp(t, "FACP", 4)) {
        uint64_t dsdt = 0, facs = 0;
        parse_fadt(t, len, info, dsdt, facs);
        if (dsdt) parse_dsdt(mapper, dsdt, info);
        if (facs) print_facs(mapper, facs);
    } else if (!memcmp(t, "HPET", 4)) {
        parse_hpet(t, len, info);
    }
}

}  // namespace

bool checksum_ok(const uint8_t* bytes, size_t len) {
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++) sum = uint8_t(sum + bytes[i]);
    return sum == 0;
}

bool rsdp_valid(const uint8_t* rsdp, size_t available) {
    if (available < kRsdpV1Size || memcmp(rsdp, "RSD PTR ", 8) != 0) return false;
    if (!checksum_ok(rsdp, kRsdpV1Size)) return false;
    if (rsdp[15] < 2) return true;
    uint32_t len = le32(rsdp + 20);
    return len >= kRsdpV2Size && len <= available && checksum_ok(rsdp, len);
}

long find_rsdp(const uint8_t* area, size_t len) {
    for (size_t off = 0; off + kRsdpV1Size <= len; off += 16)
        if (rsdp_valid(area + off, len - off)) return long(off);
    return -1;
}

bool parse_tables(uint64_t rsdp_phys, const PhysMapper& mapper, AcpiInfo& info) {
    const uint8_t* rsdp = mapper(rsdp_phys, kRsdpV1Size);
    if (!rsdp) return false;
    uint8_t revision = rsdp[15];
    size_t rsdp_len = revision >= 2 ? le32(rsdp + 20) : kRsdpV1Size;
    if (rsdp_len < kRsdpV1Size || rsdp_len > 4096) return false;
    rsdp = mapper(rsdp_phys, rsdp_len);
    if (!rsdp || !rsdp_valid(rsdp, rsdp_len)) return false;

    info.present = true;
    info.revision = revision;
    memcpy(info.oem_id, rsdp + 9, 6);
    info.oem_id[6] = 0;
    pr_info("ACPI: RSDP 0x%016llX %06zX (v%02d %-6.6s)", (unsigned long long)rsdp_phys, rsdp_len, revision,
            info.oem_id);

    bool use_xsdt = revision >= 2 && le64(rsdp + 24) != 0;
    uint64_t root_phys = use_xsdt ? le64(rsdp + 24) : le32(rsdp + 16);
    uint32_t root_len;
    const uint8_t* root = map_table(mapper, root_phys, use_xsdt ? "XSDT" : "RSDT", root_len);
    if (!root) return false;

    size_t entry_size = use_xsdt ? 8 : 4;
    for (size_t off = kSdtHeaderSize; off + entry_size <= root_len; off += entry_size) {
        uint64_t phys = use_xsdt ? le64(root + off) : le32(root + off);
        if (phys) parse_one(mapper, phys, info);
    }
    return true;
}

uint32_t isa_irq_to_gsi(const AcpiInfo& info, uint8_t isa_irq) {
    for (unsigned i = 0; i < info.override_count; i++)
        if (info.overrides[i].isa_irq == isa_irq) return info.overrides[i].gsi;
    return isa_irq;
}

uint16_t isa_irq_flags(const AcpiInfo& info, uint8_t isa_irq) {
    for (unsigned i = 0; i < info.override_count; i++)
        if (info.overrides[i].isa_irq == isa_irq) return info.overrides[i].flags;
    return 0;
}

}  // namespace acpi
