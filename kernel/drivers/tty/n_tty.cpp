// n_tty's receive side (line editing, echo, signal characters) and its output processing. The read
// side, which sleeps, is in n_tty_read.cpp.
#include <drivers/tty/n_tty.hpp>
#include <drivers/tty/tty.hpp>
#include <signal/signal.hpp>

namespace {

bool is_ctl(uint8_t c) { return c < 0x20 || c == 0x7f; }
bool is_alnum(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// A continuation byte of a UTF-8 sequence.
bool is_utf8_cont(uint8_t c) { return (c & 0xc0) == 0x80; }

const ktermios& T(const Tty* tty) { return tty->termios; }
bool L(const Tty* tty, tcflag_t f) { return T(tty).c_lflag & f; }
bool I(const Tty* tty, tcflag_t f) { return T(tty).c_iflag & f; }
bool O(const Tty* tty, tcflag_t f) { return T(tty).c_oflag & f; }
// A c_cc character, if set (0 disables it, as _POSIX_VDISABLE).
bool is_cc(const Tty* tty, unsigned idx, uint8_t c) { return T(tty).c_cc[idx] && T(tty).c_cc[idx] == c; }

size_t ring(size_t pos) { return pos % N_TTY_BUF_SIZE; }

// --- output -------------------------------------------------------------------------------------------

// Gathers driver output so that a line goes to the hardware in one call.
class OutputBatch {
public:
    explicit OutputBatch(Tty* tty) : tty_(tty) {}
    ~OutputBatch() { flush(); }
    void put(char c) {
        if (len_ == sizeof(buf_)) flush();
        buf_[len_++] = c;
    }
    void flush() {
        if (len_ && tty_->ops && tty_->ops->write) tty_->ops->write(tty_, buf_, len_);
        len_ = 0;
    }

private:
    Tty* tty_;
    char buf_[128];
    size_t len_ = 0;
};

// One byte through OPOST, keeping the column.
void output_char(Tty* tty, OutputBatch& out, uint8_t c) {
    NTtyData& ld = tty->ldata;
    if (!O(tty, OPOST)) {
        out.put(char(c));
        return;
    }
    switch (c) {
    case '\n':
        if (O(tty, ONLRET)) ld.column = 0;
        if (O(tty, ONLCR)) {
            ld.column = 0;
            out.put('\r');
        }
        out.put('\n');
        return;
    case '\r':
        if (O(tty, ONOCR) && ld.column == 0) return;
        if (O(tty, OCRNL)) {
            if (O(tty, ONLRET)) ld.column = 0;
            out.put('\n');
            return;
        }
        ld.column = 0;
        out.put('\r');
        return;
    case '\t': {
        unsigned spaces = 8 - (ld.column & 7);
        ld.column += spaces;
        if ((T(tty).c_oflag & TABDLY) == XTABS) {
            while (spaces--) out.put(' ');
            return;
        }
        out.put('\t');
        return;
    }
    case '\b':
        if (ld.column) ld.column--;
        out.put('\b');
        return;
    default:
        if (O(tty, OLCUC) && c >= 'a' && c <= 'z') c = uint8_t(c - 'a' + 'A');
        if (!is_ctl(c) && !(I(tty, IUTF8) && is_utf8_cont(c))) ld.column++;
        out.put(char(c));
    }
}

// --- echo ---------------------------------------------------------------------------------------------

// How a received byte is echoed: control characters as ^X under ECHOCTL (not tab or newline).
void echo_char(Tty* tty, OutputBatch& out, uint8_t c) {
    if (L(tty, ECHOCTL) && is_ctl(c) && c != '\t' && c != '\n') {
        output_char(tty, out, '^');
        output_char(tty, out, uint8_t(c ^ 0x40));
        return;
    }
    output_char(tty, out, c);
}

// Width on screen of the echo of byte `c` (erase must take back as many columns).
unsigned echo_width(const Tty* tty, uint8_t c) {
    if (is_ctl(c)) return L(tty, ECHOCTL) ? 2 : 0;
    if (I(tty, IUTF8) && is_utf8_cont(c)) return 0;
    return 1;
}

void echo_backspaces(Tty* tty, OutputBatch& out, unsigned n, bool blank) {
    while (n--) {
        output_char(tty, out, '\b');
        if (blank) {
            output_char(tty, out, ' ');
            output_char(tty, out, '\b');
        }
    }
}

// --- queueing -----------------------------------------------------------------------------------------

void put_queue(Tty* tty, uint8_t c, uint8_t flags = 0) {
    NTtyData& ld = tty->ldata;
    // The first character of a line: its echo starts where the program's output (a prompt) left the
    // cursor, which is where erasing a tab must count from.
    if (ld.read_head == ld.canon_head) ld.canon_column = ld.column;
    ld.read_buf[ring(ld.read_head)] = char(c);
    ld.read_flags[ring(ld.read_head)] = flags;
    ld.read_head++;
}

size_t queued(const Tty* tty) { return tty->ldata.read_head - tty->ldata.read_tail; }

// Ends the line being edited: it becomes readable.
void commit_line(Tty* tty) {
    NTtyData& ld = tty->ldata;
    ld.canon_head = ld.read_head;
    ld.canon_column = ld.column;
    wake_up_interruptible_all(tty->read_wait);
}

// --- canonical editing --------------------------------------------------------------------------------

enum class EraseKind { Char, Word, Line };

// The column at which the last byte of the edited line was echoed, found by replaying the echo of the
// line from its start (how many columns a tab took depends on what came before it).
unsigned column_before_last(const Tty* tty) {
    const NTtyData& ld = tty->ldata;
    unsigned col = ld.canon_column;
    for (size_t pos = ld.canon_head; pos + 1 < ld.read_head; pos++) {
        uint8_t c = uint8_t(ld.read_buf[ring(pos)]);
        if (c == '\t') col = (col | 7) + 1;
        else col += echo_width(tty, c);
    }
    return col;
}

void erase(Tty* tty, OutputBatch& out, EraseKind kind, uint8_t erase_char) {
    NTtyData& ld = tty->ldata;
    if (ld.read_head == ld.canon_head) return;  // nothing to take back
    if (!L(tty, ECHO)) {
        if (kind == EraseKind::Line) {
            ld.read_head = ld.canon_head;
            return;
        }
    } else if (kind == EraseKind::Line && !(L(tty, ECHOK) && L(tty, ECHOKE) && L(tty, ECHOE))) {
        // Without the visual erase of ECHOKE: show the kill character, and a newline under ECHOK.
        ld.read_head = ld.canon_head;
        echo_char(tty, out, erase_char);
        if (L(tty, ECHOK)) output_char(tty, out, '\n');
        ld.canon_column = ld.column;
        return;
    } else if (kind == EraseKind::Char && !L(tty, ECHOE)) {
        // Without ECHOE the erase character itself is echoed.
        ld.read_head--;
        while (I(tty, IUTF8) && ld.read_head > ld.canon_head &&
               is_utf8_cont(uint8_t(ld.read_buf[ring(ld.read_head)])))
            ld.read_head--;
        echo_char(tty, out, erase_char);
        return;
    }
    bool seen_alnum = false;
    while (ld.read_head > ld.canon_head) {
        uint8_t c = uint8_t(ld.read_buf[ring(ld.read_head - 1)]);
        if (kind == EraseKind::Word) {
            // A word: the alphanumerics (and '_') before the cursor, after any other characters.
            if (is_alnum(c) || c == '_') seen_alnum = true;
            else if (seen_alnum) break;
        }
        unsigned col_before = c == '\t' ? column_before_last(tty) : 0;
        ld.read_head--;
        if (L(tty, ECHO)) {
            if (c == '\t') {
                echo_backspaces(tty, out, ld.column - col_before, false);
            } else {
                echo_backspaces(tty, out, echo_width(tty, c), true);
            }
        }
        if (kind == EraseKind::Char) {
            // A multi-byte UTF-8 character goes as one.
            if (I(tty, IUTF8) && is_utf8_cont(c)) continue;
            break;
        }
    }
}

// VREPRINT: the line being edited again, on a new line.
void reprint(Tty* tty, OutputBatch& out, uint8_t c) {
    NTtyData& ld = tty->ldata;
    echo_char(tty, out, c);
    output_char(tty, out, '\n');
    ld.canon_column = ld.column;
    for (size_t pos = ld.canon_head; pos < ld.read_head; pos++) echo_char(tty, out, uint8_t(ld.read_buf[ring(pos)]));
}

// --- one received byte --------------------------------------------------------------------------------

// A signal character: the signal, the input flushed unless NOFLSH, output restarted, the character
// echoed.
void receive_signal_char(Tty* tty, OutputBatch& out, int sig, uint8_t c, uint64_t& signals) {
    signals |= uint64_t(1) << sig;
    if (!L(tty, NOFLSH)) n_tty_flush_input(tty);
    if (I(tty, IXON)) tty->stopped = false;
    if (L(tty, ECHO)) echo_char(tty, out, c);
}

void receive_char(Tty* tty, OutputBatch& out, uint8_t c, uint64_t& signals) {
    NTtyData& ld = tty->ldata;
    if (I(tty, ISTRIP)) c &= 0x7f;
    if (I(tty, IUCLC) && L(tty, IEXTEN) && c >= 'A' && c <= 'Z') c = uint8_t(c - 'A' + 'a');

    if (ld.lnext) {
        // Taken literally: no mapping, no special meaning.
        ld.lnext = false;
        if (L(tty, ECHO) && L(tty, ECHOCTL)) echo_backspaces(tty, out, 1, false);  // over the '^'
        if (!L(tty, ICANON) || queued(tty) < N_TTY_BUF_SIZE - 1) {
            put_queue(tty, c);
            if (L(tty, ECHO)) echo_char(tty, out, c);
        }
        if (!L(tty, ICANON)) wake_up_interruptible_all(tty->read_wait);
        return;
    }

    if (I(tty, IXON)) {
        if (is_cc(tty, VSTART, c)) {
            tty->stopped = false;
            wake_up_interruptible_all(tty->write_wait);
            return;
        }
        if (is_cc(tty, VSTOP, c)) {
            tty->stopped = true;
            return;
        }
        if (tty->stopped && I(tty, IXANY)) {
            tty->stopped = false;
            wake_up_interruptible_all(tty->write_wait);
        }
    }

    if (L(tty, ISIG)) {
        if (is_cc(tty, VINTR, c)) return receive_signal_char(tty, out, SIGINT, c, signals);
        if (is_cc(tty, VQUIT, c)) return receive_signal_char(tty, out, SIGQUIT, c, signals);
        if (is_cc(tty, VSUSP, c)) return receive_signal_char(tty, out, SIGTSTP, c, signals);
    }

    if (c == '\r') {
        if (I(tty, IGNCR)) return;
        if (I(tty, ICRNL)) c = '\n';
    } else if (c == '\n' && I(tty, INLCR)) {
        c = '\r';
    }

    if (!L(tty, ICANON)) {
        if (queued(tty) >= N_TTY_BUF_SIZE) return;  // full: dropped (Linux throttles the sender)
        put_queue(tty, c);
        if (L(tty, ECHO)) echo_char(tty, out, c);
        else if (c == '\n' && L(tty, ECHONL)) output_char(tty, out, '\n');
        wake_up_interruptible_all(tty->read_wait);
        return;
    }

    if (is_cc(tty, VERASE, c)) return erase(tty, out, EraseKind::Char, c);
    if (is_cc(tty, VKILL, c)) return erase(tty, out, EraseKind::Line, c);
    if (L(tty, IEXTEN)) {
        if (is_cc(tty, VWERASE, c)) return erase(tty, out, EraseKind::Word, c);
        if (is_cc(tty, VLNEXT, c)) {
            ld.lnext = true;
            if (L(tty, ECHO) && L(tty, ECHOCTL)) {
                output_char(tty, out, '^');
            }
            return;
        }
        if (is_cc(tty, VREPRINT, c) && L(tty, ECHO)) return reprint(tty, out, c);
    }

    bool newline = c == '\n';
    bool eol = is_cc(tty, VEOL, c) || (L(tty, IEXTEN) && is_cc(tty, VEOL2, c));
    bool eof = is_cc(tty, VEOF, c);
    if (newline || eol || eof) {
        // A line end always fits: the last slot is kept for it.
        if (queued(tty) >= N_TTY_BUF_SIZE) return;
        if (newline) {
            if (L(tty, ECHO) || L(tty, ECHONL)) output_char(tty, out, '\n');
        } else if (eol && L(tty, ECHO)) {
            echo_char(tty, out, c);
        }
        put_queue(tty, c, eof ? LINE_END | LINE_EOF : LINE_END);
        commit_line(tty);
        return;
    }

    if (queued(tty) >= N_TTY_BUF_SIZE - 1) return;  // full but for the line end
    put_queue(tty, c);
    if (L(tty, ECHO)) echo_char(tty, out, c);
}

}  // namespace

void n_tty_flush_input(Tty* tty) {
    NTtyData& ld = tty->ldata;
    ld.read_tail = ld.canon_head = ld.read_head;
    ld.canon_column = ld.column;
    ld.lnext = false;
}

uint64_t n_tty_receive(Tty* tty, const uint8_t* buf, size_t len) {
    uint64_t signals = 0;
    if (!(T(tty).c_cflag & CREAD)) return 0;
    OutputBatch out(tty);
    for (size_t i = 0; i < len; i++) receive_char(tty, out, buf[i], signals);
    return signals;
}

size_t n_tty_chars_available(const Tty* tty) {
    const NTtyData& ld = tty->ldata;
    return (L(tty, ICANON) ? ld.canon_head : ld.read_head) - ld.read_tail;
}

size_t n_tty_inq(const Tty* tty) {
    const NTtyData& ld = tty->ldata;
    if (!L(tty, ICANON)) return ld.read_head - ld.read_tail;
    size_t n = 0;
    for (size_t pos = ld.read_tail; pos < ld.canon_head; pos++)
        if (!(ld.read_flags[ring(pos)] & LINE_EOF)) n++;
    return n;
}

size_t n_tty_take(Tty* tty, char* dst, size_t max, bool* line_done) {
    NTtyData& ld = tty->ldata;
    *line_done = false;
    size_t n = 0;
    if (!L(tty, ICANON)) {
        while (n < max && ld.read_tail < ld.read_head) dst[n++] = ld.read_buf[ring(ld.read_tail++)];
        return n;
    }
    while (n < max && ld.read_tail < ld.canon_head) {
        size_t at = ring(ld.read_tail++);
        uint8_t flags = ld.read_flags[at];
        if (flags & LINE_EOF) {
            *line_done = true;
            break;
        }
        dst[n++] = ld.read_buf[at];
        if (flags & LINE_END) {
            *line_done = true;
            break;
        }
    }
    return n;
}

void n_tty_output(Tty* tty, const char* buf, size_t len) {
    OutputBatch out(tty);
    for (size_t i = 0; i < len; i++) output_char(tty, out, uint8_t(buf[i]));
}

void n_tty_set_termios(Tty* tty, const termios2& old) {
    NTtyData& ld = tty->ldata;
    bool was_canon = old.c_lflag & ICANON, canon = L(tty, ICANON);
    if (was_canon == canon) return;
    if (canon && ld.read_head != ld.read_tail) {
        // Input typed in raw mode becomes one line, readable at once.
        ld.read_flags[ring(ld.read_head - 1)] |= LINE_END;
    }
    for (size_t pos = ld.read_tail; canon && pos + 1 < ld.read_head; pos++) ld.read_flags[ring(pos)] = 0;
    ld.canon_head = ld.read_head;
    ld.canon_column = ld.column;
    ld.lnext = false;
    wake_up_interruptible_all(tty->read_wait);
}
