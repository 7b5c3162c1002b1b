// ACPI table parsing on synthetic tables in a buffer standing for physical memory.
#include <arch/x86_64/acpi/tables.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes& b, size_t at, uint16_t v) {
    if (b.size() < at + 2) b.resize(at + 2);
    b[at] = uint8_t(v), b[at + 1] = uint8_t(v >> 8);
}
void put32(Bytes& b, size_t at, uint32_t v) { put16(b, at, uint16_t(v)), put16(b, at + 2, uint16_t(v >> 16)); }
void put64(Bytes& b, size_t at, uint64_t v) { put32(b, at, uint32_t(v)), put32(b, at + 4, uint32_t(v >> 32)); }
void append(Bytes& b, std::initializer_list<uint8_t> bytes) { b.insert(b.end(), bytes); }

// Makes the bytes in [from, to) sum to zero through the byte at `at`.
void fix_checksum(Bytes& b, size_t at, size_t from, size_t to) {
    b[at] = 0;
    uint8_t sum = 0;
    for (size_t i = from; i < to; i++) sum = uint8_t(sum + b[i]);
    b[at] = uint8_t(-sum);
}

// A table: the 36-byte header (QEMU's OEM fields) followed by `body`, checksummed.
Bytes make_table(const char* sig, uint8_t revision, const Bytes& body) {
    Bytes t(36);
    std::memcpy(t.data(), sig, 4);
    t[8] = revision;
    std::memcpy(t.data() + 10, "BOCHS ", 6);
    std::memcpy(t.data() + 16, "BXPC    ", 8);
    put32(t, 24, 1);
    std::memcpy(t.data() + 28, "BXPC", 4);
    put32(t, 32, 1);
    t.insert(t.end(), body.begin(), body.end());
    put32(t, 4, uint32_t(t.size()));
    fix_checksum(t, 9, 0, t.size());
    return t;
}

// "Physical memory": tables are placed at increasing addresses from 0x7fe0000.
class FakePhysicalMemory {
public:
    static constexpr uint64_t kBase = 0x7fe0000;
    uint64_t place(const Bytes& bytes) {
        uint64_t phys = kBase + mem_.size();
        mem_.insert(mem_.end(), bytes.begin(), bytes.end());
        mem_.resize((mem_.size() + 15) & ~size_t(15));
        return phys;
    }
    uint8_t& byte(uint64_t phys) { return mem_[phys - kBase]; }
    acpi::PhysMapper mapper() { return {map, this}; }

private:
    static const uint8_t* map(uint64_t phys, size_t len, void* ctx) {
        auto* self = static_cast<FakePhysicalMemory*>(ctx);
        if (phys < kBase || phys - kBase + len > self->mem_.size()) return nullptr;
        return self->mem_.data() + (phys - kBase);
    }
    Bytes mem_;
};

// QEMU-like MADT: two enabled CPUs (APIC IDs 0 and 1) and one disabled, one I/O APIC, IRQ 0 -> GSI 2,
// IRQ 9 level/active-high, LINT1 is NMI on all CPUs.
Bytes make_madt() {
    Bytes body;
    put32(body, 0, 0xfee00000);
    put32(body, 4, 1);  // PCAT_COMPAT
    append(body, {0, 8, 0, 0, 1, 0, 0, 0});
    append(body, {0, 8, 1, 1, 1, 0, 0, 0});
    append(body, {0, 8, 2, 2, 0, 0, 0, 0});  // disabled
    append(body, {1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0});
    append(body, {2, 10, 0, 0, 2, 0, 0, 0, 0x00, 0x00});
    append(body, {2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0x00});
    append(body, {4, 6, 0xff, 0x00, 0x00, 1});
    return make_table("APIC", 1, body);
}

// A revision-1 FADT (116 bytes, like QEMU's i440FX) pointing at `dsdt` and `facs`.
Bytes make_fadt_v1(uint32_t dsdt, uint32_t facs) {
    Bytes body(116 - 36);
    auto field = [&](size_t off) { return off - 36; };
    put32(body, field(36), facs);
    put32(body, field(40), dsdt);
    put16(body, field(46), 9);         // SCI
    put32(body, field(64), 0x604);     // PM1a_CNT
    put32(body, field(76), 0x608);     // PM_TMR_BLK
    body[field(91)] = 4;               // PM_TMR_LEN
    body[field(108)] = 0x32;           // CENTURY
    put32(body, field(112), 1u << 8);  // TMR_VAL_EXT
    return make_table("FACP", 1, body);
}

Bytes make_dsdt(const Bytes& aml) { return make_table("DSDT", 1, aml); }

Bytes make_rsdp_v0(uint32_t rsdt) {
    Bytes r(20);
    std::memcpy(r.data(), "RSD PTR ", 8);
    std::memcpy(r.data() + 9, "BOCHS ", 6);
    put32(r, 16, rsdt);
    fix_checksum(r, 8, 0, 20);
    return r;
}

Bytes make_rsdp_v2(uint64_t xsdt) {
    Bytes r(36);
    std::memcpy(r.data(), "RSD PTR ", 8);
    std::memcpy(r.data() + 9, "BOCHS ", 6);
    r[15] = 2;
    put32(r, 20, 36);
    put64(r, 24, xsdt);
    fix_checksum(r, 8, 0, 20);
    fix_checksum(r, 32, 0, 36);
    return r;
}

// AML: Name (\_S5, Package (0x04) { 0x05, Zero, Zero, Zero }) preceded by unrelated bytes.
const Bytes kS5Aml = {0x10, 0x05, '_', 'S', 'B', '_',  // some scope
                      0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x00, 0x00, 0x00};

TEST(AcpiChecksum, AllBytesSumToZero) {
    Bytes t = make_madt();
    EXPECT_TRUE(acpi::checksum_ok(t.data(), t.size()));
    t[40] ^= 1;
    EXPECT_FALSE(acpi::checksum_ok(t.data(), t.size()));
}

TEST(AcpiRsdp, FoundOnSixteenByteBoundaryWithValidChecksum) {
    Bytes area(0x400);
    // A decoy with the signature and a wrong checksum comes first.
    Bytes decoy = make_rsdp_v0(0x1234);
    decoy[8] ^= 0xff;
    std::memcpy(area.data() + 0x40, decoy.data(), decoy.size());
    Bytes good = make_rsdp_v2(0x7fe1000);
    std::memcpy(area.data() + 0x1a0, good.data(), good.size());
    EXPECT_EQ(acpi::find_rsdp(area.data(), area.size()), 0x1a0);

    // The v2 extended checksum is checked too.
    area[0x1a0 + 24] ^= 1;
    EXPECT_EQ(acpi::find_rsdp(area.data(), area.size()), -1);
}

TEST(AcpiMadt, CpusIoApicsOverridesAndNmi) {
    Bytes t = make_madt();
    AcpiInfo info{};
    acpi::parse_madt(t.data(), t.size(), info);
    EXPECT_EQ(info.lapic_address, 0xfee00000u);
    EXPECT_TRUE(info.has_8259);
    ASSERT_EQ(info.cpu_count, 2u);
    EXPECT_EQ(info.cpu_apic_ids[0], 0);
    EXPECT_EQ(info.cpu_apic_ids[1], 1);
    ASSERT_EQ(info.ioapic_count, 1u);
    EXPECT_EQ(info.ioapics[0].address, 0xfec00000u);
    EXPECT_EQ(info.ioapics[0].gsi_base, 0u);
    ASSERT_EQ(info.override_count, 2u);
    EXPECT_EQ(acpi::isa_irq_to_gsi(info, 0), 2u);
    EXPECT_EQ(acpi::isa_irq_to_gsi(info, 1), 1u);
    EXPECT_EQ(acpi::isa_irq_flags(info, 9), 0x0d);
    EXPECT_EQ(acpi::isa_irq_flags(info, 4), 0);
    ASSERT_EQ(info.lapic_nmi_count, 1u);
    EXPECT_EQ(info.lapic_nmis[0].processor_uid, 0xff);
    EXPECT_EQ(info.lapic_nmis[0].lint, 1);
}

TEST(AcpiMadt, MalformedEntryStopsTheWalk) {
    Bytes body;
    put32(body, 0, 0xfee00000);
    put32(body, 4, 0);
    append(body, {0, 8, 0, 0, 1, 0, 0, 0});
    append(body, {1, 0, 0, 0});  // zero length: would loop forever if trusted
    Bytes t = make_table("APIC", 1, body);
    AcpiInfo info{};
    acpi::parse_madt(t.data(), t.size(), info);
    EXPECT_EQ(info.cpu_count, 1u);
    EXPECT_EQ(info.ioapic_count, 0u);
}

TEST(AcpiS5, DecodesPackageAfterNamedObject) {
    uint16_t a = 99, b = 99;
    ASSERT_TRUE(acpi::find_s5(kS5Aml.data(), kS5Aml.size(), a, b));
    EXPECT_EQ(a, 5);
    EXPECT_EQ(b, 0);

    // A method called _S5_ or a mention of the name without a package is not it.
    Bytes not_package = {0x14, 0x08, '_', 'S', '5', '_', 0x00, 0x70, 0x0a, 0x05};
    EXPECT_FALSE(acpi::find_s5(not_package.data(), not_package.size(), a, b));
    // Truncated right after PackageOp.
    Bytes truncated = {0x08, '_', 'S', '5', '_', 0x12};
    EXPECT_FALSE(acpi::find_s5(truncated.data(), truncated.size(), a, b));
}

TEST(AcpiS5, WordAndOneEncodings) {
    Bytes aml = {0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x02, 0x0b, 0x07, 0x00, 0x01};
    uint16_t a, b;
    ASSERT_TRUE(acpi::find_s5(aml.data(), aml.size(), a, b));
    EXPECT_EQ(a, 7);
    EXPECT_EQ(b, 1);
}

TEST(AcpiFadt, RevisionOneFields) {
    Bytes t = make_fadt_v1(0x1000, 0x2000);
    AcpiInfo info{};
    uint64_t dsdt, facs;
    acpi::parse_fadt(t.data(), t.size(), info, dsdt, facs);
    EXPECT_EQ(dsdt, 0x1000u);
    EXPECT_EQ(facs, 0x2000u);
    EXPECT_EQ(info.sci_irq, 9);
    EXPECT_EQ(info.pm1a_control_port, 0x604u);
    EXPECT_EQ(info.pm1b_control_port, 0u);
    EXPECT_EQ(info.pm_timer_port, 0x608u);
    EXPECT_TRUE(info.pm_timer_32bit);
    EXPECT_EQ(info.century_register, 0x32);
}

TEST(AcpiFadt, ExtendedFieldsSupersede) {
    Bytes body(244 - 36);
    auto at = [](size_t off) { return off - 36; };
    put32(body, at(40), 0x1000);
    put64(body, at(140), 0x3000);      // X_DSDT
    put32(body, at(76), 0x608);        // PM_TMR_BLK, but PM_TMR_LEN 0
    body[at(208)] = 1;                 // X_PM_TMR_BLK in I/O space
    body[at(209)] = 32;
    put64(body, at(212), 0xb008);
    body[at(172)] = 1;                 // X_PM1a_CNT_BLK
    put64(body, at(176), 0xb004);
    Bytes t = make_table("FACP", 5, body);
    AcpiInfo info{};
    uint64_t dsdt, facs;
    acpi::parse_fadt(t.data(), t.size(), info, dsdt, facs);
    EXPECT_EQ(dsdt, 0x3000u);
    EXPECT_EQ(info.pm_timer_port, 0xb008u);
    EXPECT_FALSE(info.pm_timer_32bit);
    EXPECT_EQ(info.pm1a_control_port, 0xb004u);
}

TEST(AcpiTables, WalksRsdtToEveryTable) {
    FakePhysicalMemory mem;
    Bytes facs(64);
    std::memcpy(facs.data(), "FACS", 4);
    put32(facs, 4, 64);
    uint64_t facs_phys = mem.place(facs);
    uint64_t dsdt_phys = mem.place(make_dsdt(kS5Aml));
    uint64_t fadt_phys = mem.place(make_fadt_v1(uint32_t(dsdt_phys), uint32_t(facs_phys)));
    uint64_t madt_phys = mem.place(make_madt());
    Bytes hpet_body(20);
    put32(hpet_body, 0, 0x8086a201);
    put64(hpet_body, 8, 0xfed00000);
    uint64_t hpet_phys = mem.place(make_table("HPET", 1, hpet_body));
    Bytes rsdt_body;
    for (uint64_t p : {fadt_phys, madt_phys, hpet_phys}) put32(rsdt_body, rsdt_body.size(), uint32_t(p));
    uint64_t rsdt_phys = mem.place(make_table("RSDT", 1, rsdt_body));
    uint64_t rsdp_phys = mem.place(make_rsdp_v0(uint32_t(rsdt_phys)));

    AcpiInfo info{};
    ASSERT_TRUE(acpi::parse_tables(rsdp_phys, mem.mapper(), info));
    EXPECT_TRUE(info.present);
    EXPECT_EQ(info.revision, 0);
    EXPECT_STREQ(info.oem_id, "BOCHS ");
    EXPECT_EQ(info.cpu_count, 2u);
    EXPECT_EQ(info.ioapic_count, 1u);
    EXPECT_EQ(info.pm_timer_port, 0x608u);
    EXPECT_EQ(info.hpet_address, 0xfed00000u);
    EXPECT_TRUE(info.has_s5);
    EXPECT_EQ(info.slp_typ_s5, 5);
}

TEST(AcpiTables, XsdtPreferredAndBadTableSkipped) {
    FakePhysicalMemory mem;
    uint64_t madt_phys = mem.place(make_madt());
    Bytes hpet_body(20);
    put64(hpet_body, 8, 0xfed00000);
    uint64_t hpet_phys = mem.place(make_table("HPET", 1, hpet_body));
    mem.byte(hpet_phys + 40) ^= 0x55;  // corrupt: checksum no longer matches
    Bytes xsdt_body;
    put64(xsdt_body, 0, madt_phys);
    put64(xsdt_body, 8, hpet_phys);
    uint64_t xsdt_phys = mem.place(make_table("XSDT", 1, xsdt_body));
    uint64_t rsdp_phys = mem.place(make_rsdp_v2(xsdt_phys));

    AcpiInfo info{};
    ASSERT_TRUE(acpi::parse_tables(rsdp_phys, mem.mapper(), info));
    EXPECT_EQ(info.revision, 2);
    EXPECT_EQ(info.cpu_count, 2u);
    EXPECT_EQ(info.hpet_address, 0u);
}

TEST(AcpiTables, UnreachableOrInvalidRootFails) {
    FakePhysicalMemory mem;
    uint64_t rsdp_phys = mem.place(make_rsdp_v0(0x10));  // RSDT outside "memory"
    AcpiInfo info{};
    EXPECT_FALSE(acpi::parse_tables(rsdp_phys, mem.mapper(), info));
    Bytes bad = make_rsdp_v0(0x10);
    bad[8] ^= 1;
    uint64_t bad_phys = mem.place(bad);
    AcpiInfo info2{};
    EXPECT_FALSE(acpi::parse_tables(bad_phys, mem.mapper(), info2));
    EXPECT_FALSE(info2.present);
}

}  // namespace
