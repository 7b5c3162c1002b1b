// The legacy 8259 PICs (see i8259.hpp). Even masked they are remapped: a spurious IRQ 7/15 from a PIC
// must not land on an exception vector (0x08-0x0f after reset).
#include <arch/x86_64/i8259.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/irq_vectors.hpp>

namespace x86 {
namespace {
constexpr uint16_t PIC1_CMD = 0x20, PIC1_DATA = 0x21, PIC2_CMD = 0xa0, PIC2_DATA = 0xa1;
constexpr uint8_t ICW1_INIT_ICW4 = 0x11;  // initialise, ICW4 follows, cascade mode, edge
constexpr uint8_t ICW4_8086 = 0x01;
constexpr uint8_t kSlaveOnIrq2 = 1 << 2, kSlaveIdentity = 2;
}  // namespace

void legacy_pic_init() {
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    outb(PIC1_CMD, ICW1_INIT_ICW4), io_delay();
    outb(PIC2_CMD, ICW1_INIT_ICW4), io_delay();
    outb(PIC1_DATA, FIRST_EXTERNAL_VECTOR), io_delay();      // ICW2: IRQ 0-7 -> 0x20-0x27
    outb(PIC2_DATA, FIRST_EXTERNAL_VECTOR + 8), io_delay();  //       IRQ 8-15 -> 0x28-0x2f
    outb(PIC1_DATA, kSlaveOnIrq2), io_delay();               // ICW3
    outb(PIC2_DATA, kSlaveIdentity), io_delay();
    outb(PIC1_DATA, ICW4_8086), io_delay();
    outb(PIC2_DATA, ICW4_8086), io_delay();
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
}

}  // namespace x86
