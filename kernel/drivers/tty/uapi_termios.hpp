#pragma once
// The terminal ABI user space sees: struct termios / termios2 / winsize, the flag bits of their four
// mode words, the c_cc indices and the tty ioctl numbers. Values and layouts are Linux's x86-64 ones
// (asm-generic/termbits.h, termbits-common.h, ioctls.h).
#include <stdint.h>

using cc_t = uint8_t;
using speed_t = uint32_t;
using tcflag_t = uint32_t;

constexpr unsigned NCCS = 19;

// TCGETS/TCSETS: without the speeds (they live in c_cflag's CBAUD bits).
struct termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_line;
    cc_t c_cc[NCCS];
};
static_assert(sizeof(termios) == 36);

// TCGETS2/TCSETS2, and the kernel's own copy (Linux's ktermios has the same layout).
struct termios2 {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_line;
    cc_t c_cc[NCCS];
    speed_t c_ispeed;
    speed_t c_ospeed;
};
static_assert(sizeof(termios2) == 44);
using ktermios = termios2;

struct winsize {
    uint16_t ws_row;
    uint16_t ws_col;
    uint16_t ws_xpixel;
    uint16_t ws_ypixel;
};

// c_cc indices.
constexpr unsigned VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7,
                   VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14,
                   VLNEXT = 15, VEOL2 = 16;

// c_iflag
constexpr tcflag_t IGNBRK = 0x001, BRKINT = 0x002, IGNPAR = 0x004, PARMRK = 0x008, INPCK = 0x010,
                   ISTRIP = 0x020, INLCR = 0x040, IGNCR = 0x080, ICRNL = 0x100, IUCLC = 0x0200, IXON = 0x0400,
                   IXANY = 0x800, IXOFF = 0x1000, IMAXBEL = 0x2000, IUTF8 = 0x4000;
// c_oflag
constexpr tcflag_t OPOST = 0x01, OLCUC = 0x02, ONLCR = 0x04, OCRNL = 0x08, ONOCR = 0x10, ONLRET = 0x20,
                   OFILL = 0x40, OFDEL = 0x80, TABDLY = 0x01800, XTABS = 0x01800;
// c_cflag
constexpr tcflag_t CBAUD = 0x0000100f, B0 = 0, B9600 = 0x0000000d, B38400 = 0x0000000f, B115200 = 0x00001002,
                   BOTHER = 0x00001000, CSIZE = 0x30, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80,
                   PARENB = 0x100, PARODD = 0x200, HUPCL = 0x400, CLOCAL = 0x800, CIBAUD = 0x100f0000;
constexpr unsigned IBSHIFT = 16;
// c_lflag
constexpr tcflag_t ISIG = 0x00001, ICANON = 0x00002, XCASE = 0x00004, ECHO = 0x00008, ECHOE = 0x00010,
                   ECHOK = 0x00020, ECHONL = 0x00040, NOFLSH = 0x00080, TOSTOP = 0x00100, ECHOCTL = 0x00200,
                   ECHOPRT = 0x00400, ECHOKE = 0x00800, FLUSHO = 0x01000, PENDIN = 0x04000, IEXTEN = 0x08000,
                   EXTPROC = 0x10000;

// TCFLSH and TCXONC arguments.
constexpr unsigned long TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;
constexpr unsigned long TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3;

// ioctl numbers (the _IOR/_IOW ones spelled out: direction << 30 | size << 16 | 'T' << 8 | nr).
constexpr unsigned TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
                   TCXONC = 0x540A, TCFLSH = 0x540B, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
                   TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B,
                   TIOCINQ = FIONREAD, TIOCNOTTY = 0x5422, TIOCGETD = 0x5424, TCSBRKP = 0x5425,
                   TIOCGSID = 0x5429;
constexpr unsigned TCGETS2 = 0x802C542A, TCSETS2 = 0x402C542B, TCSETSW2 = 0x402C542C, TCSETSF2 = 0x402C542D;

// The line discipline number of n_tty (c_line, TIOCGETD).
constexpr int N_TTY = 0;
