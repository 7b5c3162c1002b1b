// The FADT ("FACP": fixed hardware - PM timer, PM1 control blocks, SCI, the RTC century register, the
// DSDT) and the HPET table.
//
// FADT revisions grew the table: a field exists only if the table is long enough to hold it. The
// 64-bit "X_" fields of ACPI 2.0+, when present and non-zero, supersede the 32-bit ones.
#include <arch/x86_64/acpi/tables.hpp>
#include <printk/printk.hpp>

namespace acpi {
namespace {

// Byte offsets in the FADT.
enum FadtOffset : size_t {
    FIRMWARE_CTRL = 36, DSDT = 40, SCI_INT = 46, PM1A_CNT_BLK = 64, PM1B_CNT_BLK = 68, PM_TMR_BLK = 76,
    PM_TMR_LEN = 91, CENTURY = 108, FLAGS = 112, X_FIRMWARE_CTRL = 132, X_DSDT = 140,
    X_PM1A_CNT_BLK = 172, X_PM1B_CNT_BLK = 184, X_PM_TMR_BLK = 208,
};
constexpr uint32_t kFlagTmrValExt = 1u << 8;  // the PM timer counts 32 bits, not 24

// A Generic Address Structure: space (0 memory, 1 I/O), bit width, bit offset, access size, address.
constexpr size_t kGasSize = 12;
constexpr uint8_t kGasSystemIo = 1;

bool has(size_t len, size_t offset, size_t size) { return offset + size <= len; }

// The I/O port of a GAS at `offset`, or 0 if the field is absent, empty or not in I/O space.
uint32_t gas_io_port(const uint8_t* t, size_t len, size_t offset) {
    if (!has(len, offset, kGasSize) || t[offset] != kGasSystemIo) return 0;
    uint64_t address = le64(t + offset + 4);
    return address <= 0xffff ? uint32_t(address) : 0;
}

}  // namespace

void parse_fadt(const uint8_t* t, size_t len, AcpiInfo& info, uint64_t& dsdt_phys, uint64_t& facs_phys) {
    dsdt_phys = has(len, DSDT, 4) ? le32(t + DSDT) : 0;
    facs_phys = has(len, FIRMWARE_CTRL, 4) ? le32(t + FIRMWARE_CTRL) : 0;
    if (has(len, X_DSDT, 8) && le64(t + X_DSDT)) dsdt_phys = le64(t + X_DSDT);
    if (has(len, X_FIRMWARE_CTRL, 8) && le64(t + X_FIRMWARE_CTRL)) facs_phys = le64(t + X_FIRMWARE_CTRL);

    if (has(len, SCI_INT, 2)) info.sci_irq = le16(t + SCI_INT);
    if (has(len, PM1A_CNT_BLK, 4)) info.pm1a_control_port = le32(t + PM1A_CNT_BLK);
    if (has(len, PM1B_CNT_BLK, 4)) info.pm1b_control_port = le32(t + PM1B_CNT_BLK);
    if (has(len, PM_TMR_BLK, 4) && has(len, PM_TMR_LEN, 1) && t[PM_TMR_LEN] == 4)
        info.pm_timer_port = le32(t + PM_TMR_BLK);
    if (has(len, CENTURY, 1)) info.century_register = t[CENTURY];
    if (has(len, FLAGS, 4)) info.pm_timer_32bit = le32(t + FLAGS) & kFlagTmrValExt;

    if (uint32_t port = gas_io_port(t, len, X_PM1A_CNT_BLK)) info.pm1a_control_port = port;
    if (uint32_t port = gas_io_port(t, len, X_PM1B_CNT_BLK)) info.pm1b_control_port = port;
    if (uint32_t port = gas_io_port(t, len, X_PM_TMR_BLK)) info.pm_timer_port = port;

    if (info.pm_timer_port)
        pr_info("ACPI: PM-Timer IO Port: 0x%x (%u-bit)", info.pm_timer_port, info.pm_timer_32bit ? 32 : 24);
}

void parse_hpet(const uint8_t* t, size_t len, AcpiInfo& info) {
    // Event timer block ID at 36, then the base address as a GAS (memory space) at 40.
    if (len < 40 + kGasSize) return;
    info.hpet_address = le64(t + 44);
    pr_info("ACPI: HPET id: 0x%x base: 0x%llx", le32(t + 36), (unsigned long long)info.hpet_address);
}

}  // namespace acpi
