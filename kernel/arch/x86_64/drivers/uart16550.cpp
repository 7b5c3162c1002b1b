// 16550 UART on COM1 (I/O port 0x3f8, IRQ 4): Linux's ttyS0 and the kernel console.
//
// Output polls the transmitter-empty bit, for printk and the tty alike; one lock (uart_lock) covers
// both, and tty output waits for a console line that is being written to end, so kernel messages and
// program output do not mix within a line. Input is interrupt-driven: the receive FIFO (trigger level
// 1, so a typed key is seen at once) is drained in the IRQ 4 handler and handed to the tty layer.
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/drivers/uart16550.hpp>
#include <arch/arch.hpp>
#include <drivers/tty/tty.hpp>
#include <init/initcall.hpp>
#include <irq/irq.hpp>
#include <lib/uaccess.hpp>
#include <locking/spinlock.hpp>
#include <printk/printk.hpp>

namespace {

constexpr uint16_t kCom1 = 0x3f8;
constexpr unsigned kCom1Irq = 4;
enum Reg : uint16_t { RBR = 0, THR = 0, IER = 1, DLL = 0, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5,
                      SCR = 7 };
constexpr uint8_t LSR_DATA_READY = 0x01;
constexpr uint8_t LSR_THR_EMPTY = 0x20;
constexpr uint8_t LSR_TRANSMITTER_EMPTY = 0x40;
constexpr uint8_t IER_RX_AVAILABLE = 0x01;
constexpr uint8_t IIR_NO_INTERRUPT = 0x01;
constexpr uint8_t kMcrNormal = 0x0b;  // DTR, RTS, OUT2 (OUT2 gates the IRQ line)
constexpr uint8_t MCR_LOOPBACK = 0x10;
constexpr uint8_t FCR_ENABLE_CLEAR_TRIGGER1 = 0x07;  // FIFOs on and cleared, receive trigger at 1 byte

// ttyS0's major/minor, as Linux numbers serial ports.
constexpr uint32_t TTY_MAJOR = 4;
constexpr uint32_t kTtyS0Minor = 64;

bool uart_present = false;
SpinLock uart_lock;            // the transmitter: printk's console and tty output
bool console_mid_line = false;  // under uart_lock: the console's last write did not end a line
Tty ttyS0;

void uart_putc(char c) {
    for (int spin = 0; spin < 100000 && !(x86::inb(kCom1 + LSR) & LSR_THR_EMPTY); spin++) {
    }
    x86::outb(kCom1 + THR, uint8_t(c));
}

void console_write(const char* text, size_t len) {
    SpinLockIrqSaveGuard guard(uart_lock);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') uart_putc('\r');
        uart_putc(text[i]);
    }
    if (len) console_mid_line = text[len - 1] != '\n';
}

void console_force_unlock() { uart_lock.force_reset(); }

Console ttyS0_console{"ttyS0", console_write, nullptr, console_force_unlock};

// The tty's output, already processed by the line discipline (OPOST).
void ttyS0_write(Tty*, const char* buf, size_t len) {
    // A printk line being written piecewise (prefix, text, newline) is let finish first. printk ends
    // a record's line only when the next message comes (a KERN_CONT may still extend it), so the wait
    // is short and then the line is ended here, as Linux's console shows every record on a line of its
    // own; a late continuation then starts a new line.
    // Called with the tty lock held: interrupts are off already.
    uart_lock.lock();
    for (int spin = 0; console_mid_line && spin < 10000; spin++) {
        uart_lock.unlock();
        arch::cpu_relax();
        uart_lock.lock();
    }
    if (console_mid_line) {
        uart_putc('\r');
        uart_putc('\n');
        console_mid_line = false;
    }
    for (size_t i = 0; i < len; i++) uart_putc(buf[i]);
    uart_lock.unlock();
}

// struct serial_struct (linux/serial.h): what TIOCGSERIAL reports. busybox's cttyhack asks it to
// find which ttyS the console is ("line").
struct SerialStruct {
    int type;
    int line;
    unsigned int port;
    int irq;
    int flags;
    int xmit_fifo_size;
    int custom_divisor;
    int baud_base;
    unsigned short close_delay;
    char io_type;
    char reserved_char[1];
    int hub6;
    unsigned short closing_wait;
    unsigned short closing_wait2;
    uint64_t iomem_base;
    unsigned short iomem_reg_shift;
    unsigned int port_high;
    uint64_t iomap_base;
};
static_assert(sizeof(SerialStruct) == 72);
constexpr unsigned TIOCGSERIAL = 0x541E;
constexpr int PORT_16550A = 4;
constexpr int UPF_SKIP_TEST = 1 << 6, UPF_BOOT_AUTOCONF = 1 << 28;  // Linux's flags for a legacy ISA port

Result<long> ttyS0_ioctl(Tty*, unsigned cmd, unsigned long arg) {
    if (cmd != TIOCGSERIAL) return Errno::ENOTTY;
    SerialStruct ss{};
    ss.type = PORT_16550A;
    ss.line = int(kTtyS0Minor - 64);
    ss.port = kCom1;
    ss.irq = int(kCom1Irq);
    ss.flags = UPF_SKIP_TEST | UPF_BOOT_AUTOCONF;
    ss.xmit_fifo_size = 16;
    ss.baud_base = 115200;
    ss.close_delay = 50;     // centiseconds: Linux's default half second
    ss.closing_wait = 3000;  // 30 s
    TRY(copy_to_user(UserPtr<void>(arg), &ss, sizeof(ss)));
    return 0L;
}

const TtyOperations ttyS0_ops = {.write = ttyS0_write, .ioctl = ttyS0_ioctl};

IrqReturn serial8250_interrupt(unsigned, void* dev_id) {
    Tty* tty = static_cast<Tty*>(dev_id);
    if (x86::inb(kCom1 + IIR) & IIR_NO_INTERRUPT) return IrqReturn::None;
    uint8_t buf[64];
    size_t n = 0;
    while (x86::inb(kCom1 + LSR) & LSR_DATA_READY) {
        buf[n++] = x86::inb(kCom1 + RBR);
        if (n == sizeof(buf)) {
            tty_receive(tty, buf, n);
            n = 0;
        }
    }
    if (n) tty_receive(tty, buf, n);
    return IrqReturn::Handled;
}

// The tty side of the port, once the tty layer, devtmpfs and the IRQ layer are up.
int serial8250_init() {
    if (!uart_present) return 0;
    tty_init(&ttyS0, "ttyS0", MKDEV(TTY_MAJOR, kTtyS0Minor), &ttyS0_ops);
    if (Result<void> r = tty_register_device(&ttyS0); r.is_error()) {
        pr_err("ttyS0: cannot register the device: %s", errno_name(r.error()));
        return -int(r.error());
    }
    tty_set_console(&ttyS0);
    if (Result<void> r = request_irq(kCom1Irq, serial8250_interrupt, 0, "ttyS0", &ttyS0); r.is_error()) {
        pr_err("ttyS0: cannot get IRQ %u: %s", kCom1Irq, errno_name(r.error()));
        return -int(r.error());
    }
    x86::outb(kCom1 + FCR, FCR_ENABLE_CLEAR_TRIGGER1);
    (void)x86::inb(kCom1 + LSR);
    (void)x86::inb(kCom1 + IIR);
    x86::outb(kCom1 + IER, IER_RX_AVAILABLE);
    pr_info("ttyS0 at I/O 0x%x (irq = %u) is a 16550A", kCom1, kCom1Irq);
    return 0;
}

}  // namespace
device_initcall(serial8250_init);

void uart16550_early_init() {
    // The scratch register reads back what was written only if a UART is there.
    x86::outb(kCom1 + SCR, 0x5a);
    if (x86::inb(kCom1 + SCR) != 0x5a) return;
    x86::outb(kCom1 + IER, 0x00);
    x86::outb(kCom1 + LCR, 0x80);  // DLAB: divisor follows
    x86::outb(kCom1 + DLL, 0x01);  // 115200 baud
    x86::outb(kCom1 + DLM, 0x00);
    x86::outb(kCom1 + LCR, 0x03);  // 8N1
    x86::outb(kCom1 + FCR, FCR_ENABLE_CLEAR_TRIGGER1);
    x86::outb(kCom1 + MCR, kMcrNormal);
    uart_present = true;
    register_console(&ttyS0_console);
}

void uart16550_write(const char* text, size_t len) {
    // Panic's last words: no lock (the CPU that held it may be gone).
    if (!uart_present) return;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') uart_putc('\r');
        uart_putc(text[i]);
    }
}

void uart16550_loopback_send(const char* text, size_t len) {
    if (!uart_present) return;
    // The lock keeps printk off the port meanwhile: its messages would come back as input too.
    SpinLockIrqSaveGuard guard(uart_lock);
    x86::outb(kCom1 + MCR, kMcrNormal | MCR_LOOPBACK);
    for (size_t i = 0; i < len; i++) uart_putc(text[i]);
    for (int spin = 0; spin < 100000 && !(x86::inb(kCom1 + LSR) & LSR_TRANSMITTER_EMPTY); spin++) {
    }
    x86::outb(kCom1 + MCR, kMcrNormal);
}

int uart16550_try_getc() {
    if (!uart_present || !(x86::inb(kCom1 + LSR) & LSR_DATA_READY)) return -1;
    return x86::inb(kCom1 + RBR);
}
