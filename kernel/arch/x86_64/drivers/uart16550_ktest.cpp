// The 16550's receive path end to end on the emulated hardware: in loopback mode the bytes sent come
// back through the receive FIFO, raise IRQ 4 through the I/O APIC, and the handler hands them to
// ttyS0's line discipline, which edits and echoes them.
#include <arch/x86_64/drivers/uart16550.hpp>
#include <drivers/tty/tty.hpp>
#include <irq/irq.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <sched/timeout.hpp>

namespace {

char echoed[64];
size_t echoed_len;

void capture_write(Tty*, const char* buf, size_t len) {
    for (size_t i = 0; i < len && echoed_len < sizeof(echoed); i++) echoed[echoed_len++] = buf[i];
}
const TtyOperations capture_ops = {.write = capture_write};

}  // namespace

KTEST(uart16550, loopback_bytes_reach_the_tty_through_irq4) {
    Tty* tty = tty_console();
    KASSERT_TRUE(tty != nullptr);
    const TtyOperations* saved_ops;
    {
        SpinLockIrqSaveGuard guard(tty->lock);
        saved_ops = tty->ops;
        tty->ops = &capture_ops;  // the echo is captured: the port is looped back anyway
        n_tty_flush_input(tty);
        echoed_len = 0;
    }
    uint64_t irqs_before = kstat_irqs(4);
    const char typed[] = "hi\x7fo\r";  // 'o' replaces 'i', CR becomes NL
    uart16550_loopback_send(typed, sizeof(typed) - 1);
    size_t available = 0;
    for (int i = 0; i < 2000 && available < 3; i++) {
        msleep(2);
        SpinLockIrqSaveGuard guard(tty->lock);
        available = n_tty_chars_available(tty);
    }
    char line[8] = {};
    size_t n;
    {
        SpinLockIrqSaveGuard guard(tty->lock);
        bool done;
        n = n_tty_take(tty, line, sizeof(line), &done);
        tty->ops = saved_ops;
    }
    KEXPECT_TRUE(kstat_irqs(4) > irqs_before);
    KEXPECT_EQ(n, 3u);
    KEXPECT_TRUE(!memcmp(line, "ho\n", 3));
    KEXPECT_EQ(echoed_len, 8u);
    KEXPECT_TRUE(!memcmp(echoed, "hi\b \bo\r\n", 8));
}
