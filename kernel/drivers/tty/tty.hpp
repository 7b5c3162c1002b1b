#pragma once
// The tty core (Linux's tty_struct and tty_io): one Tty per terminal device, its termios and window
// size, its line discipline state (n_tty), and its job-control state: the session it is the
// controlling terminal of and that session's foreground process group.
//
// How bytes flow:
//   in:  the driver's interrupt handler -> tty_receive() -> n_tty (edit, echo, signals) -> read buffer
//        -> n_tty_read() in the reader's task
//   out: write() -> n_tty_output() (OPOST) -> TtyOperations::write (the hardware)
//
// Locking (outermost first): tasklist_lock, ctty_lock (tty_jobctrl.cpp: every SignalStruct::tty and
// every Tty::session/pgrp), Tty::lock (interrupts off: termios, winsize, the n_tty state, stopped), the
// driver's output lock. Tty::session and Tty::pgrp are atomics so that readers that only need a
// snapshot (the interrupt handler sending ^C's SIGINT) do not take ctty_lock.
#include <drivers/tty/n_tty.hpp>
#include <drivers/tty/uapi_termios.hpp>
#include <fs/file.hpp>
#include <fs/kdev.hpp>
#include <lib/atomic.hpp>
#include <lib/result.hpp>
#include <locking/mutex.hpp>
#include <locking/spinlock.hpp>
#include <sched/wait.hpp>
#include <stddef.h>
#include <stdint.h>

struct Task;
struct Tty;

// What a tty driver provides.
struct TtyOperations {
    // Sends bytes to the hardware. Called with Tty::lock held, interrupts off: must not sleep.
    void (*write)(Tty* tty, const char* buf, size_t len);
    // The driver's own ioctls (TIOCGSERIAL...); `arg` is a user address. Null, or ENOTTY: not a
    // command of this driver either.
    Result<long> (*ioctl)(Tty* tty, unsigned cmd, unsigned long arg);
};

struct Tty {
    const char* name = nullptr;  // "ttyS0"
    kdev_t dev = 0;
    const TtyOperations* ops = nullptr;
    void* driver_data = nullptr;

    SpinLock lock;  // irqsave
    ktermios termios{};
    winsize ws{};
    bool stopped = false;  // output stopped by VSTOP (IXON) or TCXONC/TCOOFF
    NTtyData ldata;

    WaitQueueHead read_wait;   // readers waiting for input
    WaitQueueHead write_wait;  // writers waiting for output to be restarted
    Mutex read_mutex;          // one reader at a time: a canonical line goes to one reader whole
    Mutex write_mutex;         // one writer at a time: writes do not interleave

    Atomic<int> session{0};  // the session this is the controlling tty of (0: none)
    Atomic<int> pgrp{0};     // its foreground process group

    // Self-tests: when set, receives the signals the input raises instead of the foreground group.
    void (*isig_hook)(Tty* tty, int sig) = nullptr;

    Tty() = default;
    Tty(const Tty&) = delete;
    Tty& operator=(const Tty&) = delete;
};

// Linux's tty_std_termios as a serial console sets it up: ICRNL IXON / OPOST ONLCR /
// B115200 CS8 CREAD HUPCL CLOCAL / ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN, and INIT_C_CC.
extern const ktermios tty_std_termios;
// Resets termios, window size (24x80) and the line discipline. Before the tty is registered or used.
void tty_init(Tty* tty, const char* name, kdev_t dev, const TtyOperations* ops);

// --- for drivers -------------------------------------------------------------------------------------
// Registers the device node (/dev/<name>, its major/minor) of an initialized tty.
Result<void> tty_register_device(Tty* tty);
// The tty behind /dev/console (the driver that prints the kernel's messages sets it).
void tty_set_console(Tty* tty);
Tty* tty_console();
// Received bytes, from the driver's interrupt handler (any context).
void tty_receive(Tty* tty, const uint8_t* buf, size_t len);

// --- for the file layer and tests --------------------------------------------------------------------
// read()/write() of the tty through `file` (whose f_flags give O_NONBLOCK). Kernel-side entry points
// of the file operations.
Result<size_t> n_tty_read(Tty* tty, File* file, IoIter& to);
Result<size_t> n_tty_write(Tty* tty, File* file, IoIter& from);
// ioctl(2) on a tty (tty_ioctl.cpp); `arg` is a user address for the commands that take a pointer.
Result<long> tty_ioctl(Tty* tty, File* file, unsigned cmd, unsigned long arg);
// Termios changes, as TCSETS/TCSETSW/TCSETSF do them (flush: drop pending input first).
Result<void> tty_set_termios(Tty* tty, const ktermios& t, bool flush);
ktermios tty_get_termios(Tty* tty);
// TIOCSWINSZ: SIGWINCH to the foreground group when the size changed.
void tty_set_winsize(Tty* tty, const winsize& ws);
winsize tty_get_winsize(Tty* tty);
// TCFLSH's input part.
void tty_flush_input(Tty* tty);

// --- job control (tty_jobctrl.cpp) -------------------------------------------------------------------
// The calling process's controlling terminal, or nullptr.
Tty* get_current_tty();
// open(): a session leader without a controlling tty opening a tty that belongs to no session takes
// it as its controlling tty (unless O_NOCTTY, or the device is /dev/tty or /dev/console).
void tty_open_proc_set_tty(Tty* tty, bool noctty);
// The checks before changing the tty (TCSETS*, TIOCSPGRP, TCFLSH, TCXONC, write with TOSTOP) from a
// process of the tty's session that is not in the foreground: SIGTTOU to its group and ERESTARTSYS,
// unless SIGTTOU is ignored or blocked (allowed then); EIO for an orphaned group.
Result<void> tty_check_change(Tty* tty, int sig);
// Before reading: background readers get SIGTTIN (EIO if ignored, blocked or orphaned).
Result<void> tty_job_control_read(Tty* tty);
Result<void> tiocsctty(Tty* tty, File* file, int arg);
Result<void> tiocnotty(Tty* tty);
Result<int> tiocgpgrp(Tty* tty);
Result<void> tiocspgrp(Tty* tty, int pgrp);
Result<int> tiocgsid(Tty* tty);
// Sends `sig` to the tty's foreground process group (n_tty's ISIG, SIGWINCH).
void tty_signal_fg(Tty* tty, int sig);

// setsid() and TIOCNOTTY: the process loses its controlling terminal. (Called from process/.)
void proc_clear_tty(Task* p);
// A session leader's exit: its terminal hangs up for the session (SIGHUP and SIGCONT to the
// foreground group) and no longer belongs to it. (Called from process/ exit.)
void tty_session_leader_exit(Task* p);

// procfs: /proc/<pid>/stat's tty_nr (new_encode_dev of the controlling tty, 0 without one) and tpgid
// (its foreground process group; -1 without a controlling tty).
uint32_t task_tty_nr(Task* p);
int task_tty_pgrp(Task* p);
