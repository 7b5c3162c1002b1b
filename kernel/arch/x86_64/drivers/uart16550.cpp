// 16550 UART on COM1 (I/O port 0x3f8): Linux's ttyS0 and the kernel console. Output polls the
// transmitter-empty bit; receive interrupts come with the tty layer.
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/drivers/uart16550.hpp>
#include <printk/printk.hpp>

namespace {

constexpr uint16_t kCom1 = 0x3f8;
enum Reg : uint16_t { THR = 0, IER = 1, DLL = 0, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };
constexpr uint8_t LSR_THR_EMPTY = 0x20;
constexpr uint8_t LSR_DATA_READY = 0x01;

bool uart_present = false;

void uart_putc(char c) {
    for (int spin = 0; spin < 100000 && !(x86::inb(kCom1 + LSR) & LSR_THR_EMPTY); spin++) {
    }
    x86::outb(kCom1 + THR, uint8_t(c));
}

void console_write(const char* text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') uart_putc('\r');
        uart_putc(text[i]);
    }
}

Console ttyS0_console{"ttyS0", console_write, nullptr};

}  // namespace

void uart16550_early_init() {
    // The scratch register reads back what was written only if a UART is there.
    x86::outb(kCom1 + SCR, 0x5a);
    if (x86::inb(kCom1 + SCR) != 0x5a) return;
    x86::outb(kCom1 + IER, 0x00);
    x86::outb(kCom1 + LCR, 0x80);  // DLAB: divisor follows
    x86::outb(kCom1 + DLL, 0x01);  // 115200 baud
    x86::outb(kCom1 + DLM, 0x00);
    x86::outb(kCom1 + LCR, 0x03);  // 8N1
    x86::outb(kCom1 + FCR, 0xc7);  // FIFO on, cleared, 14-byte threshold
    x86::outb(kCom1 + MCR, 0x0b);  // DTR, RTS, OUT2 (OUT2 gates the IRQ line)
    uart_present = true;
    register_console(&ttyS0_console);
}

void uart16550_write(const char* text, size_t len) {
    if (uart_present) console_write(text, len);
}

int uart16550_try_getc() {
    if (!uart_present || !(x86::inb(kCom1 + LSR) & LSR_DATA_READY)) return -1;
    return x86::inb(kCom1 + THR);
}
