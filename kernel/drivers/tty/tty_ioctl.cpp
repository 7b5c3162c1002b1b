// ioctl(2) on a tty: termios (TCGETS/TCSETS*, their termios2 forms), window size, job control
// (TIOC*PGRP, TIOCSCTTY, TIOCNOTTY, TIOCGSID), queue sizes, flushing and flow control.
#include <drivers/tty/tty.hpp>
#include <lib/uaccess.hpp>
#include <signal/signal.hpp>

namespace {

// The speeds of the CBAUD codes (B0..B38400, then the CBAUDEX ones from B57600).
constexpr speed_t kBaudTable[] = {0,     50,    75,    110,   134,    150,    200,    300,    600,
                                  1200,  1800,  2400,  4800,  9600,   19200,  38400,  0,      57600,
                                  115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000,
                                  1500000, 2000000, 2500000, 3000000, 3500000, 4000000};

speed_t baud_of(tcflag_t cbaud) {
    unsigned i = cbaud & 0xf;
    if (cbaud & 0x1000) i += 16;
    return kBaudTable[i];
}

// The speeds a TCSETS implies: its CBAUD (and CIBAUD, 0 meaning "as the output").
void speeds_from_cflag(ktermios& t) {
    tcflag_t out = t.c_cflag & CBAUD, in = (t.c_cflag & CIBAUD) >> IBSHIFT;
    if (out != BOTHER) t.c_ospeed = baud_of(out);
    if (in != BOTHER) t.c_ispeed = in ? baud_of(in) : t.c_ospeed;
}

Result<long> set_termios(Tty* tty, unsigned long arg, bool with_speeds, bool flush) {
    TRY(tty_check_change(tty, SIGTTOU));
    ktermios t = tty_get_termios(tty);
    if (with_speeds) {
        termios2 user;
        TRY(copy_from_user(&user, UserPtr<const void>(arg), sizeof(user)));
        t = user;
        speeds_from_cflag(t);
    } else {
        termios user;
        TRY(copy_from_user(&user, UserPtr<const void>(arg), sizeof(user)));
        t.c_iflag = user.c_iflag, t.c_oflag = user.c_oflag, t.c_cflag = user.c_cflag, t.c_lflag = user.c_lflag;
        t.c_line = user.c_line;
        for (unsigned i = 0; i < NCCS; i++) t.c_cc[i] = user.c_cc[i];
        speeds_from_cflag(t);
    }
    TRY(tty_set_termios(tty, t, flush));
    return 0L;
}

Result<long> get_termios(Tty* tty, unsigned long arg, bool with_speeds) {
    ktermios t = tty_get_termios(tty);
    if (with_speeds) {
        TRY(copy_to_user(UserPtr<void>(arg), &t, sizeof(termios2)));
    } else {
        termios user;
        user.c_iflag = t.c_iflag, user.c_oflag = t.c_oflag, user.c_cflag = t.c_cflag, user.c_lflag = t.c_lflag;
        user.c_line = t.c_line;
        for (unsigned i = 0; i < NCCS; i++) user.c_cc[i] = t.c_cc[i];
        TRY(copy_to_user(UserPtr<void>(arg), &user, sizeof(user)));
    }
    return 0L;
}

Result<long> put_int(unsigned long arg, int value) {
    TRY(put_user(value, UserPtr<int>(arg)));
    return 0L;
}

// TCXONC: output stopped or restarted; TCIOFF/TCION send the stop/start character to the other end.
Result<long> flow_control(Tty* tty, unsigned long arg) {
    TRY(tty_check_change(tty, SIGTTOU));
    SpinLockIrqSaveGuard guard(tty->lock);
    switch (arg) {
    case TCOOFF:
        tty->stopped = true;
        return 0L;
    case TCOON:
        tty->stopped = false;
        wake_up_interruptible_all(tty->write_wait);
        return 0L;
    case TCIOFF:
    case TCION: {
        char c = char(tty->termios.c_cc[arg == TCIOFF ? VSTOP : VSTART]);
        if (c && tty->ops && tty->ops->write) tty->ops->write(tty, &c, 1);
        return 0L;
    }
    default:
        return Errno::EINVAL;
    }
}

Result<long> flush(Tty* tty, unsigned long arg) {
    TRY(tty_check_change(tty, SIGTTOU));
    switch (arg) {
    case TCIFLUSH:
    case TCIOFLUSH:
        tty_flush_input(tty);
        return 0L;
    case TCOFLUSH:
        return 0L;  // nothing is queued: output goes out as it is written
    default:
        return Errno::EINVAL;
    }
}

}  // namespace

Result<long> tty_ioctl(Tty* tty, File* file, unsigned cmd, unsigned long arg) {
    switch (cmd) {
    case TCGETS:
        return get_termios(tty, arg, false);
    case TCGETS2:
        return get_termios(tty, arg, true);
    case TCSETS:
    case TCSETSW:
        return set_termios(tty, arg, false, false);
    case TCSETSF:
        return set_termios(tty, arg, false, true);
    case TCSETS2:
    case TCSETSW2:
        return set_termios(tty, arg, true, false);
    case TCSETSF2:
        return set_termios(tty, arg, true, true);
    case TIOCGWINSZ: {
        winsize ws = tty_get_winsize(tty);
        TRY(copy_to_user(UserPtr<void>(arg), &ws, sizeof(ws)));
        return 0L;
    }
    case TIOCSWINSZ: {
        winsize ws;
        TRY(copy_from_user(&ws, UserPtr<const void>(arg), sizeof(ws)));
        tty_set_winsize(tty, ws);
        return 0L;
    }
    case TIOCGPGRP:
        return put_int(arg, TRY(tiocgpgrp(tty)));
    case TIOCSPGRP: {
        int pgrp;
        TRY(get_user(pgrp, UserPtr<int>(arg)));
        TRY(tiocspgrp(tty, pgrp));
        return 0L;
    }
    case TIOCGSID:
        return put_int(arg, TRY(tiocgsid(tty)));
    case TIOCSCTTY:
        TRY(tiocsctty(tty, file, int(arg)));
        return 0L;
    case TIOCNOTTY:
        TRY(tiocnotty(tty));
        return 0L;
    case FIONREAD: {
        size_t n;
        {
            SpinLockIrqSaveGuard guard(tty->lock);
            n = n_tty_inq(tty);
        }
        return put_int(arg, int(n));
    }
    case TIOCOUTQ:
        return put_int(arg, 0);  // output is written synchronously
    case TIOCGETD:
        return put_int(arg, N_TTY);
    case TCSBRK:
    case TCSBRKP:
        // tcdrain()/tcsendbreak(): output is already drained; no break is sent.
        TRY(tty_check_change(tty, SIGTTOU));
        return 0L;
    case TCXONC:
        return flow_control(tty, arg);
    case TCFLSH:
        return flush(tty, arg);
    default:
        if (tty->ops && tty->ops->ioctl) return tty->ops->ioctl(tty, cmd, arg);
        return Errno::ENOTTY;
    }
}
