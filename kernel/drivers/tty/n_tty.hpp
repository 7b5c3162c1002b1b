#pragma once
// n_tty: the default line discipline (N_TTY). It turns received bytes into what read() returns:
// canonical line editing (erase, kill, word erase, literal next, reprint), input mapping (ICRNL,
// INLCR, IGNCR, ISTRIP), echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL), the signal characters
// (ISIG), output flow control characters (IXON); and on the way out it applies output processing
// (OPOST: ONLCR, OCRNL, ONOCR, ONLRET, tab expansion).
//
// The read buffer is a ring of N_TTY_BUF_SIZE bytes addressed by ever-growing positions:
//   read_tail <= canon_head <= read_head
// [read_tail, read_head) is received input not yet read. In canonical mode [read_tail, canon_head)
// holds complete lines (readable) and [canon_head, read_head) the line being edited (erase and kill
// work only there); without ICANON everything up to read_head is readable. Each byte has a flag: the
// last byte of a line carries LINE_END, and an end-of-file character (VEOF) is stored with
// LINE_EOF as a line end that read() consumes but does not return.
//
// Locking: every function here runs with the tty's lock held (interrupts off): the receive side in the
// UART interrupt, the read side in the reader's task.
#include <stddef.h>
#include <stdint.h>

struct Tty;

constexpr size_t N_TTY_BUF_SIZE = 4096;

struct NTtyData {
    char read_buf[N_TTY_BUF_SIZE];
    uint8_t read_flags[N_TTY_BUF_SIZE];
    size_t read_tail = 0, canon_head = 0, read_head = 0;
    bool lnext = false;          // the previous byte was VLNEXT: take the next one literally
    unsigned column = 0;         // output column, for tabs and erasing them
    unsigned canon_column = 0;   // column where the line being edited started
};

constexpr uint8_t LINE_END = 0x01;
constexpr uint8_t LINE_EOF = 0x02;

// Back to an empty buffer (open, TCFLSH, a signal character without NOFLSH).
void n_tty_flush_input(Tty* tty);
// Processes received bytes: edits, echoes (through the driver), queues. Returns the signals the input
// raised as a mask (1 << sig); the caller sends them to the foreground group once the lock is dropped.
uint64_t n_tty_receive(Tty* tty, const uint8_t* buf, size_t len);
// Bytes a read could take now: complete lines in canonical mode, everything otherwise.
size_t n_tty_chars_available(const Tty* tty);
// FIONREAD: canonical mode counts the bytes of complete lines, end-of-file markers excluded.
size_t n_tty_inq(const Tty* tty);
// Takes up to `max` bytes of readable input into `dst`. In canonical mode stops after a line end and
// sets *line_done (an end-of-file marker is consumed without being copied).
size_t n_tty_take(Tty* tty, char* dst, size_t max, bool* line_done);
// Output processing of `len` bytes to the driver (OPOST and its flags).
void n_tty_output(Tty* tty, const char* buf, size_t len);
// Called after tty->termios changed from `old`: switching canonical mode on or off.
struct termios2;
void n_tty_set_termios(Tty* tty, const termios2& old);
