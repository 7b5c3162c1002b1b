#pragma once
#include <stddef.h>

// Probes COM1, programs 115200 8N1 and registers it as the ttyS0 console.
void uart16550_early_init();
// Direct output, bypassing printk (panic's last words).
void uart16550_write(const char* text, size_t len);
// A received byte, or -1 when none is waiting.
int uart16550_try_getc();
// Self-tests: the UART's loopback mode (MCR bit 4) routes what is sent back into the receiver, so the
// receive interrupt path can be exercised without anyone typing. Sends `text` that way; nothing
// leaves the port meanwhile.
void uart16550_loopback_send(const char* text, size_t len);
