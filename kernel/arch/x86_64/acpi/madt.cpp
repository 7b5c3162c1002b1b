// The MADT ("APIC"): which CPUs exist (their local APIC IDs), where the I/O APICs are, how ISA IRQs
// are wired to I/O APIC inputs, and which local APIC input carries NMI.
#include <arch/x86_64/acpi/tables.hpp>
#include <printk/printk.hpp>

namespace acpi {
namespace {

enum MadtType : uint8_t {
    LOCAL_APIC = 0, IO_APIC = 1, INTERRUPT_OVERRIDE = 2, NMI_SOURCE = 3, LOCAL_APIC_NMI = 4,
    LOCAL_APIC_OVERRIDE = 5, LOCAL_X2APIC = 9,
};
constexpr uint32_t kLapicEnabled = 1u << 0;
constexpr uint32_t kLapicOnlineCapable = 1u << 1;  // ACPI 6.3: may be hot-added
constexpr uint32_t kPcatCompat = 1u << 0;

// Linux's words for the MPS INTI flag fields.
const char* polarity_name(uint16_t flags) {
    static const char* const names[] = {"dfl", "high", "res", "low"};
    return names[flags & 3];
}
const char* trigger_name(uint16_t flags) {
    static const char* const names[] = {"dfl", "edge", "res", "level"};
    return names[(flags >> 2) & 3];
}

}  // namespace

void parse_madt(const uint8_t* t, size_t len, AcpiInfo& info) {
    if (len < 44) return;
    info.lapic_address = le32(t + 36);
    info.has_8259 = le32(t + 40) & kPcatCompat;
    unsigned hotplug = 0;

    for (size_t off = 44; off + 2 <= len;) {
        uint8_t type = t[off], elen = t[off + 1];
        if (elen < 2 || off + elen > len) {
            pr_warn("ACPI: MADT entry at offset %zu is malformed, stopping", off);
            break;
        }
        const uint8_t* e = t + off;
        switch (type) {
        case LOCAL_APIC:
            if (elen < 8) break;
            if (le32(e + 4) & kLapicEnabled) {
                if (info.cpu_count < sizeof info.cpu_apic_ids)
                    info.cpu_apic_ids[info.cpu_count++] = e[3];
                else
                    pr_warn("ACPI: APIC ID %u ignored: more than %zu CPUs", e[3], sizeof info.cpu_apic_ids);
            } else if (le32(e + 4) & kLapicOnlineCapable) {
                hotplug++;
            }
            break;
        case IO_APIC:
            if (elen < 12) break;
            pr_info("ACPI: IOAPIC (id[0x%02x] address[0x%08x] gsi_base[%u])", e[2], le32(e + 4), le32(e + 8));
            if (info.ioapic_count < sizeof info.ioapics / sizeof info.ioapics[0])
                info.ioapics[info.ioapic_count++] = AcpiIoApic{e[2], le32(e + 4), le32(e + 8)};
            break;
        case INTERRUPT_OVERRIDE: {
            if (elen < 10) break;
            uint16_t flags = le16(e + 8);
            pr_info("ACPI: INT_SRC_OVR (bus %u bus_irq %u global_irq %u %s %s)", e[2], e[3], le32(e + 4),
                    polarity_name(flags), trigger_name(flags));
            if (e[2] == 0 && info.override_count < sizeof info.overrides / sizeof info.overrides[0])
                info.overrides[info.override_count++] = AcpiIrqOverride{e[3], le32(e + 4), flags};
            break;
        }
        case NMI_SOURCE:
            if (elen < 8) break;
            pr_info("ACPI: NMI_SRC (%s %s global_irq %u)", polarity_name(le16(e + 2)), trigger_name(le16(e + 2)),
                    le32(e + 4));
            break;
        case LOCAL_APIC_NMI: {
            if (elen < 6) break;
            uint16_t flags = le16(e + 3);
            pr_info("ACPI: LAPIC_NMI (acpi_id[0x%02x] %s %s lint[0x%x])", e[2], polarity_name(flags),
                    trigger_name(flags), e[5]);
            if (info.lapic_nmi_count < sizeof info.lapic_nmis / sizeof info.lapic_nmis[0])
                info.lapic_nmis[info.lapic_nmi_count++] = AcpiLapicNmi{e[2], flags, e[5]};
            break;
        }
        case LOCAL_APIC_OVERRIDE:
            if (elen < 12) break;
            info.lapic_address = le64(e + 4);
            break;
        default:
            // x2APIC entries (only for APIC IDs above 254) and others Tern does not use.
            break;
        }
        off += elen;
    }
    pr_info("ACPI: Using ACPI (MADT) for SMP configuration information");
    pr_info("smpboot: Allowing %u CPUs, %u hotplug CPUs", info.cpu_count + hotplug, hotplug);
}

}  // namespace acpi
