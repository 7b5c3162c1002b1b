// acpi_table_init(): finds the RSDP where PC firmware puts it and parses the tables (tables.hpp).
//
// Physical memory is reached through the direct map, which the boot page tables provide for the first
// 4 GiB (where PC firmware keeps its tables). map_physical() is the one place that turns a table's
// physical address into a pointer: it moves to ioremap()/early_memremap once mm provides them.
#include <arch/arch.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/acpi/tables.hpp>
#include <printk/printk.hpp>

namespace {

AcpiInfo info;

constexpr uint64_t kDirectMappedAtBoot = 4ull << 30;
constexpr uint64_t kBdaEbdaSegment = 0x40e;  // BIOS data area: real-mode segment of the EBDA
constexpr uint64_t kBiosAreaStart = 0xe0000, kBiosAreaEnd = 0x100000;
constexpr size_t kEbdaSearchLength = 1024;

const uint8_t* map_physical(uint64_t phys, size_t len, void*) {
    if (phys + len < phys || phys + len > kDirectMappedAtBoot) return nullptr;
    return static_cast<const uint8_t*>(arch::phys_to_virt(phys));
}

// The ACPI spec's two places: the first KiB of the EBDA, then the BIOS ROM area 0xE0000-0xFFFFF.
uint64_t find_rsdp_phys() {
    auto segment = *static_cast<const volatile uint16_t*>(arch::phys_to_virt(kBdaEbdaSegment));
    uint64_t ebda = uint64_t(segment) << 4;
    if (ebda >= 0x80000 && ebda < 0xa0000) {
        long off = acpi::find_rsdp(map_physical(ebda, kEbdaSearchLength, nullptr), kEbdaSearchLength);
        if (off >= 0) return ebda + uint64_t(off);
    }
    long off = acpi::find_rsdp(map_physical(kBiosAreaStart, kBiosAreaEnd - kBiosAreaStart, nullptr),
                               kBiosAreaEnd - kBiosAreaStart);
    return off >= 0 ? kBiosAreaStart + uint64_t(off) : 0;
}

}  // namespace

void acpi_table_init() {
    uint64_t rsdp = find_rsdp_phys();
    if (!rsdp || !acpi::parse_tables(rsdp, acpi::PhysMapper{map_physical, nullptr}, info)) {
        pr_warn("ACPI: no usable RSDP/RSDT found; continuing without ACPI");
        info = AcpiInfo{};
    }
}

const AcpiInfo& acpi_info() { return info; }

uint32_t acpi_isa_irq_to_gsi(uint8_t isa_irq) { return acpi::isa_irq_to_gsi(info, isa_irq); }
