// The tty core: default termios, the registry of ttys and their device numbers (/dev/ttyS0,
// /dev/tty, /dev/console), the file operations, and the driver's receive entry point.
#include <drivers/tty/tty.hpp>
#include <fs/chrdev.hpp>
#include <fs/devtmpfs.hpp>
#include <fs/inode.hpp>
#include <fs/poll.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/uapi_stat.hpp>
#include <init/initcall.hpp>
#include <printk/printk.hpp>
#include <signal/signal.hpp>

// Linux's numbers: /dev/tty is (5, 0), /dev/console (5, 1).
constexpr uint32_t TTYAUX_MAJOR = 5;
constexpr kdev_t kDevTty = MKDEV(TTYAUX_MAJOR, 0);
constexpr kdev_t kDevConsole = MKDEV(TTYAUX_MAJOR, 1);

const ktermios tty_std_termios = {
    .c_iflag = ICRNL | IXON,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_line = N_TTY,
    // INIT_C_CC: ^C ^\ DEL ^U ^D, TIME 0, MIN 1, SWTC 0, ^Q ^S ^Z, EOL 0, ^R ^O ^W ^V, EOL2 0.
    .c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0},
    .c_ispeed = 115200,
    .c_ospeed = 115200,
};

namespace {

constexpr unsigned kMaxTtys = 8;
Tty* tty_table[kMaxTtys];
SpinLock tty_table_lock;
Tty* console_tty = nullptr;

Tty* tty_lookup(kdev_t dev) {
    SpinLockIrqSaveGuard guard(tty_table_lock);
    for (Tty* tty : tty_table)
        if (tty && tty->dev == dev) return tty;
    return nullptr;
}

Tty* file_tty(File* file) { return static_cast<Tty*>(file->private_data); }

Result<void> tty_open(Inode* inode, File* file) {
    Tty* tty;
    bool noctty = file->flags & O_NOCTTY;
    if (inode->rdev == kDevTty) {
        // The caller's controlling terminal; opening it never changes which one that is.
        tty = get_current_tty();
        if (!tty) return Errno::ENXIO;
        noctty = true;
    } else if (inode->rdev == kDevConsole) {
        // /dev/console never becomes a controlling tty by open(); init uses TIOCSCTTY.
        tty = tty_console();
        if (!tty) return Errno::ENODEV;
        noctty = true;
    } else {
        tty = tty_lookup(inode->rdev);
        if (!tty) return Errno::ENXIO;
    }
    file->private_data = tty;
    tty_open_proc_set_tty(tty, noctty);
    return {};
}

Result<size_t> tty_read(File* file, IoIter& to, int64_t*) { return n_tty_read(file_tty(file), file, to); }
Result<size_t> tty_write(File* file, IoIter& from, int64_t*) { return n_tty_write(file_tty(file), file, from); }

unsigned tty_poll(File* file, PollTable* table) {
    Tty* tty = file_tty(file);
    poll_wait(file, tty->read_wait, table);
    poll_wait(file, tty->write_wait, table);
    unsigned mask = 0;
    SpinLockIrqSaveGuard guard(tty->lock);
    // Without ICANON and VTIME, a read waits for VMIN bytes: readable when they are there.
    size_t need = 1;
    const ktermios& t = tty->termios;
    if (!(t.c_lflag & ICANON) && !t.c_cc[VTIME] && t.c_cc[VMIN]) need = t.c_cc[VMIN];
    if (n_tty_chars_available(tty) >= need) mask |= POLLIN | POLLRDNORM;
    if (!tty->stopped) mask |= POLLOUT | POLLWRNORM;
    return mask;
}

Result<long> tty_file_ioctl(File* file, unsigned cmd, unsigned long arg) {
    return tty_ioctl(file_tty(file), file, cmd, arg);
}

const FileOperations tty_fops = {
    .open = tty_open,
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_file_ioctl,
    .poll = tty_poll,
};
}  // namespace

void tty_init(Tty* tty, const char* name, kdev_t dev, const TtyOperations* ops) {
    tty->name = name;
    tty->dev = dev;
    tty->ops = ops;
    tty->termios = tty_std_termios;
    tty->ws = winsize{24, 80, 0, 0};
    tty->stopped = false;
    // (Field by field: an NTtyData is 8 KiB, too big for a temporary on a kernel stack.)
    NTtyData& ld = tty->ldata;
    ld.read_tail = ld.canon_head = ld.read_head = 0;
    ld.lnext = false;
    ld.column = ld.canon_column = 0;
    tty->session.store(0);
    tty->pgrp.store(0);
}

Result<void> tty_register_device(Tty* tty) {
    {
        SpinLockIrqSaveGuard guard(tty_table_lock);
        Tty** slot = nullptr;
        for (Tty*& t : tty_table) {
            if (t == tty || (t && t->dev == tty->dev)) return Errno::EEXIST;
            if (!t && !slot) slot = &t;
        }
        if (!slot) return Errno::ENOSPC;
        *slot = tty;
    }
    TRY(register_chrdev_region(MAJOR(tty->dev), MINOR(tty->dev), 1, tty->name, &tty_fops));
    // Linux's /dev/ttyS*: crw-rw---- (group dialout there; root here).
    return devtmpfs_register_node(tty->name, S_IFCHR | 0660, tty->dev);
}

void tty_set_console(Tty* tty) { console_tty = tty; }
Tty* tty_console() { return console_tty; }

void tty_receive(Tty* tty, const uint8_t* buf, size_t len) {
    uint64_t signals;
    {
        SpinLockIrqSaveGuard guard(tty->lock);
        signals = n_tty_receive(tty, buf, len);
    }
    // Sent once the tty lock is dropped: signalling takes tasklist_lock, which orders before it.
    for (int sig = 1; sig < 64; sig++)
        if (signals & (uint64_t(1) << sig)) tty_signal_fg(tty, sig);
}

ktermios tty_get_termios(Tty* tty) {
    SpinLockIrqSaveGuard guard(tty->lock);
    return tty->termios;
}

Result<void> tty_set_termios(Tty* tty, const ktermios& t, bool flush) {
    SpinLockIrqSaveGuard guard(tty->lock);
    // Output is written synchronously, so TCSETSW/TCSETSF find it drained already.
    ktermios old = tty->termios;
    tty->termios = t;
    tty->termios.c_line = N_TTY;  // the only line discipline
    if (flush) n_tty_flush_input(tty);
    n_tty_set_termios(tty, old);
    // Output restarted when IXON goes off.
    if ((old.c_iflag & IXON) && !(t.c_iflag & IXON) && tty->stopped) {
        tty->stopped = false;
        wake_up_interruptible_all(tty->write_wait);
    }
    return {};
}

winsize tty_get_winsize(Tty* tty) {
    SpinLockIrqSaveGuard guard(tty->lock);
    return tty->ws;
}

void tty_set_winsize(Tty* tty, const winsize& ws) {
    bool changed;
    {
        SpinLockIrqSaveGuard guard(tty->lock);
        changed = tty->ws.ws_row != ws.ws_row || tty->ws.ws_col != ws.ws_col ||
                  tty->ws.ws_xpixel != ws.ws_xpixel || tty->ws.ws_ypixel != ws.ws_ypixel;
        tty->ws = ws;
    }
    if (changed) tty_signal_fg(tty, SIGWINCH);
}

void tty_flush_input(Tty* tty) {
    SpinLockIrqSaveGuard guard(tty->lock);
    n_tty_flush_input(tty);
}

namespace {

// /dev/tty and /dev/console; /dev/ttyS0 comes with its driver.
int tty_class_init() {
    Result<uint32_t> r = register_chrdev_region(TTYAUX_MAJOR, 0, 2, "tty", &tty_fops);
    Result<void> n1 = r.is_error() ? Result<void>(r.error()) : devtmpfs_register_node("tty", S_IFCHR | 0666, kDevTty);
    Result<void> n2 = n1.is_error() ? n1 : devtmpfs_register_node("console", S_IFCHR | 0600, kDevConsole);
    if (n2.is_error()) {
        pr_err("tty: cannot register /dev/tty and /dev/console: %s", errno_name(n2.error()));
        return -int(n2.error());
    }
    return 0;
}

}  // namespace
fs_initcall(tty_class_init);
