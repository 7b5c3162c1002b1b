#pragma once
// What the ACPI tables (RSDP -> RSDT/XSDT -> MADT, FADT, HPET) say about this machine. Contract shared
// by interrupts (CPUs, I/O APICs, overrides), time (HPET, PM timer, RTC century) and power-off.
// Filled by acpi_table_init() during setup_arch().
#include <stdint.h>

struct AcpiIoApic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

// An ISA IRQ that is not wired to the same-numbered GSI (on PCs: IRQ 0 -> GSI 2).
struct AcpiIrqOverride {
    uint8_t isa_irq;
    uint32_t gsi;
    uint16_t flags;  // MPS INTI flags: polarity bits 0-1, trigger mode bits 2-3
};

// Which local APIC input (LINT0/LINT1) is wired to NMI, for one processor or all (0xff).
struct AcpiLapicNmi {
    uint8_t processor_uid;
    uint16_t flags;  // MPS INTI flags
    uint8_t lint;
};

struct AcpiInfo {
    bool present;
    uint8_t revision;
    char oem_id[7];
    // MADT
    uint64_t lapic_address;
    uint8_t cpu_apic_ids[64];
    unsigned cpu_count;
    AcpiIoApic ioapics[8];
    unsigned ioapic_count;
    AcpiIrqOverride overrides[16];
    unsigned override_count;
    bool has_8259;  // MADT PCAT_COMPAT
    AcpiLapicNmi lapic_nmis[4];
    unsigned lapic_nmi_count;
    // FADT
    uint32_t pm_timer_port;  // 0: no ACPI PM timer
    bool pm_timer_32bit;
    uint32_t pm1a_control_port;
    uint32_t pm1b_control_port;
    uint16_t sci_irq;
    uint8_t century_register;  // CMOS index of the century, 0 if none
    uint16_t slp_typ_s5;       // SLP_TYPa for S5 (power-off), from the DSDT's \_S5
    uint16_t slp_typb_s5;      // SLP_TYPb (written to PM1b_CNT when there is one)
    bool has_s5;
    // HPET
    uint64_t hpet_address;  // 0: no HPET
};

void acpi_table_init();
const AcpiInfo& acpi_info();
// The GSI an ISA IRQ is wired to, after overrides.
uint32_t acpi_isa_irq_to_gsi(uint8_t isa_irq);
