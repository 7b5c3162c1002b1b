// Self-tests of the tty layer on the real ttyS0, through device nodes and the VFS: canonical reads,
// echo, output processing, O_NONBLOCK, blocking reads woken by input, VMIN/VTIME, the controlling
// terminal, ^C to the foreground group and the background-job checks. Input is injected with
// tty_receive() as the UART interrupt would; the driver's output is captured instead of being sent.
#include <drivers/tty/tty.hpp>
#include <fs/devtmpfs.hpp>
#include <fs/ktest_tmpfs.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/uapi_stat.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <process/process.hpp>
#include <process/process_internal.hpp>
#include <sched/completion.hpp>
#include <sched/timeout.hpp>
#include <signal/signal_struct.hpp>
#include <time/jiffies.hpp>

namespace {

char captured[1024];
size_t captured_len;

void capture_write(Tty*, const char* buf, size_t len) {
    for (size_t i = 0; i < len && captured_len < sizeof(captured); i++) captured[captured_len++] = buf[i];
}
const TtyOperations capture_ops = {.write = capture_write};

bool captured_is(const char* s) { return captured_len == strlen(s) && !memcmp(captured, s, captured_len); }

// ttyS0 with its output captured and its settings restored afterwards; /dev populated in a private
// tmpfs.
class TtyUnderTest {
public:
    TtyUnderTest() : tty(tty_console()) {
        if (!tty) return;
        SpinLockIrqSaveGuard guard(tty->lock);
        saved_ops_ = tty->ops;
        saved_termios_ = tty->termios;
        tty->ops = &capture_ops;
        n_tty_flush_input(tty);
        captured_len = 0;
    }
    ~TtyUnderTest() {
        if (!tty) return;
        SpinLockIrqSaveGuard guard(tty->lock);
        tty->ops = saved_ops_;
        tty->termios = saved_termios_;
        tty->stopped = false;
        n_tty_flush_input(tty);
    }
    bool ok() { return tty && fs.ok() && !devtmpfs_setup(fs.caller(), "/dev").is_error(); }
    void type(const char* s) { tty_receive(tty, reinterpret_cast<const uint8_t*>(s), strlen(s)); }
    RefPtr<File> open(const char* path, int flags) {
        Result<RefPtr<File>> f = vfs_open(fs.caller(), path, flags, 0);
        return f.is_error() ? RefPtr<File>() : f.release_value();
    }
    void set_raw(uint8_t vmin, uint8_t vtime) {
        ktermios t = tty_get_termios(tty);
        t.c_lflag &= ~(ICANON | ECHO);
        t.c_cc[VMIN] = vmin;
        t.c_cc[VTIME] = vtime;
        (void)tty_set_termios(tty, t, false);
    }

    Tty* tty;
    KtestTmpfs fs;

private:
    const TtyOperations* saved_ops_ = nullptr;
    ktermios saved_termios_{};
};

// A process running `body` in the kernel (user_mode_thread), for what needs a session or a process
// group of its own.
struct Job {
    void (*body)(Job&);
    TtyUnderTest* t;
    Completion started, done;
    long values[8] = {};
    RefPtr<File> file;
};

int run_job(void* arg) {
    auto* job = static_cast<Job*>(arg);
    complete(job->started);
    job->body(*job);
    job->file = RefPtr<File>();
    complete(job->done);
    return 0;
}

bool start_job(Job& job) { return !user_mode_thread(run_job, &job, SIGCHLD).is_error(); }

long result_of(const Result<size_t>& r) { return r.is_error() ? -long(r.error()) : long(r.value()); }
// read(2)/write(2) at the file position (kernel_read/kernel_write are pread/pwrite: ESPIPE on a tty).
Result<size_t> kread(File& f, void* buf, size_t len) {
    IoIter to = IoIter::kernel(buf, len);
    return vfs_read(f, to);
}
Result<size_t> kwrite(File& f, const void* buf, size_t len) {
    IoIter from = IoIter::kernel(buf, len);
    return vfs_write(f, from);
}
int int_or(const Result<int>& r, int fallback) { return r.is_error() ? fallback : r.value(); }

bool signal_pending_in_group(int sig) { return current()->signal->shared_pending.signal.has(sig); }

void block_signal(int sig) {
    SpinLockIrqSaveGuard guard(current()->sighand->siglock);
    current()->signals.blocked.add(sig);
}

}  // namespace

KTEST(tty, devices_have_linux_numbers) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    struct {
        const char* path;
        kdev_t dev;
    } nodes[] = {{"/dev/ttyS0", MKDEV(4, 64)}, {"/dev/tty", MKDEV(5, 0)}, {"/dev/console", MKDEV(5, 1)}};
    for (auto& node : nodes) {
        Result<Kstat> st = vfs_stat(t.fs.caller(), node.path, 0);
        KASSERT_TRUE(!st.is_error());
        KEXPECT_TRUE(S_ISCHR(st.value().mode));
        KEXPECT_EQ(st.value().rdev, node.dev);
    }
}

KTEST(tty, dev_tty_without_controlling_tty_is_enxio) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    KEXPECT_TRUE(get_current_tty() == nullptr);
    Result<RefPtr<File>> f = vfs_open(t.fs.caller(), "/dev/tty", O_RDWR, 0);
    KASSERT_TRUE(f.is_error());
    KEXPECT_EQ(f.error(), Errno::ENXIO);
    // The console opens, and does not become a controlling tty.
    KEXPECT_TRUE(t.open("/dev/console", O_RDWR));
    KEXPECT_TRUE(get_current_tty() == nullptr);
}

KTEST(tty, canonical_line_read_with_echo) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    RefPtr<File> f = t.open("/dev/ttyS0", O_RDWR | O_NOCTTY);
    KASSERT_TRUE(f);
    t.type("helo\x7fl\x7flo\r");
    char buf[32];
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), 6);
    KEXPECT_TRUE(!memcmp(buf, "hello\n", 6));
    KEXPECT_TRUE(captured_is("helo\b \bl\b \blo\r\n"));
}

KTEST(tty, write_translates_newlines) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    RefPtr<File> f = t.open("/dev/console", O_WRONLY);
    KASSERT_TRUE(f);
    KEXPECT_EQ(result_of(kwrite(*f, "a\nb\n", 4)), 4);
    KEXPECT_TRUE(captured_is("a\r\nb\r\n"));
}

KTEST(tty, nonblocking_read_waits_for_a_whole_line) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    RefPtr<File> f = t.open("/dev/ttyS0", O_RDONLY | O_NONBLOCK | O_NOCTTY);
    KASSERT_TRUE(f);
    char buf[8];
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), -long(Errno::EAGAIN));
    t.type("x");
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), -long(Errno::EAGAIN));
    t.type("\n");
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), 2);
    // ^D on an empty line: end of file.
    t.type("\x04");
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), 0);
}

namespace {
void blocking_reader(Job& job) {
    char buf[16];
    job.values[0] = result_of(kread(*job.file, buf, sizeof(buf)));
    job.values[1] = buf[0];
}
}  // namespace

KTEST(tty, blocking_read_is_woken_by_input) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    Job job{blocking_reader, &t};
    job.file = t.open("/dev/ttyS0", O_RDONLY | O_NOCTTY);
    KASSERT_TRUE(job.file);
    KASSERT_TRUE(start_job(job));
    wait_for_completion(job.started);
    msleep(30);
    KEXPECT_TRUE(!completion_done(job.done));
    t.type("q\n");
    wait_for_completion(job.done);
    KEXPECT_EQ(job.values[0], 2);
    KEXPECT_EQ(job.values[1], 'q');
}

KTEST(tty, raw_mode_vmin_and_vtime) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    RefPtr<File> f = t.open("/dev/ttyS0", O_RDONLY | O_NOCTTY);
    KASSERT_TRUE(f);
    char buf[16];
    // VMIN 0, VTIME 0: what is there, at once.
    t.set_raw(0, 0);
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), 0);
    t.type("ab");
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), 2);
    // VMIN 0, VTIME 1: 0 after a tenth of a second without input.
    t.set_raw(0, 1);
    uint64_t before = jiffies;
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), 0);
    KEXPECT_TRUE(jiffies - before >= HZ / 10 - 1);
    // VMIN 3: waits for the third byte.
    t.set_raw(3, 0);
    t.type("xy");
    Job job{blocking_reader, &t};
    job.file = f;
    KASSERT_TRUE(start_job(job));
    wait_for_completion(job.started);
    msleep(30);
    KEXPECT_TRUE(!completion_done(job.done));
    t.type("z");
    wait_for_completion(job.done);
    KEXPECT_EQ(job.values[0], 3);
    KEXPECT_EQ(job.values[1], 'x');
}

KTEST(tty, ioctls_without_pointers) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    RefPtr<File> f = t.open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
    KASSERT_TRUE(f);
    t.type("gone\n");
    KEXPECT_EQ(vfs_ioctl(*f, TCFLSH, TCIFLUSH).value(), 0);
    char buf[8];
    KEXPECT_EQ(result_of(kread(*f, buf, sizeof(buf))), -long(Errno::EAGAIN));
    KEXPECT_EQ(vfs_ioctl(*f, TCFLSH, 7).error(), Errno::EINVAL);
    KEXPECT_EQ(vfs_ioctl(*f, TCXONC, TCOOFF).value(), 0);
    KEXPECT_EQ(result_of(kwrite(*f, "x", 1)), -long(Errno::EAGAIN));  // stopped
    KEXPECT_EQ(vfs_ioctl(*f, TCXONC, TCOON).value(), 0);
    KEXPECT_EQ(result_of(kwrite(*f, "x", 1)), 1);
    KEXPECT_EQ(vfs_ioctl(*f, 0x80045430 /* TIOCGPTN */, 0).error(), Errno::ENOTTY);
    // Not our controlling tty.
    KEXPECT_EQ(vfs_ioctl(*f, TIOCNOTTY, 0).error(), Errno::ENOTTY);
}

namespace {
// A session leader opening ttyS0 gets it as controlling terminal, in the foreground; ^C then reaches it.
void session_leader(Job& job) {
    job.values[0] = !do_setsid().is_error();
    job.file = job.t->open("/dev/ttyS0", O_RDWR);
    job.values[1] = get_current_tty() == job.t->tty;
    job.values[2] = task_tty_nr(current());
    job.values[3] = int_or(tiocgpgrp(job.t->tty), -1) == task_pgrp(current());
    job.values[4] = int_or(tiocgsid(job.t->tty), -1) == task_session(current());
    // /dev/tty is now this terminal.
    job.values[5] = bool(job.t->open("/dev/tty", O_RDWR));
    char buf[8];
    job.values[6] = result_of(kread(*job.file, buf, sizeof(buf)));  // interrupted by ^C
    job.values[7] = signal_pending_in_group(SIGINT);
}
}  // namespace

KTEST(tty, session_leader_gets_ctty_and_ctrl_c) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    KASSERT_TRUE(t.tty->session.load() == 0);
    Job job{session_leader, &t};
    KASSERT_TRUE(start_job(job));
    wait_for_completion(job.started);
    // Wait for the read to start (the foreground group is set before it).
    for (int i = 0; i < 2000 && t.tty->pgrp.load() == 0; i++) msleep(5);
    msleep(30);
    t.type("abc\x03");
    wait_for_completion(job.done);
    KEXPECT_EQ(job.values[0], 1);
    KEXPECT_EQ(job.values[1], 1);
    KEXPECT_EQ(job.values[2], 0x440);  // (4 << 8) | 64, as /proc/<pid>/stat's tty_nr
    KEXPECT_EQ(job.values[3], 1);
    KEXPECT_EQ(job.values[4], 1);
    KEXPECT_EQ(job.values[5], 1);
    KEXPECT_EQ(job.values[6], -long(ERESTARTSYS));
    KEXPECT_EQ(job.values[7], 1);
    KEXPECT_TRUE(captured_is("abc^C"));
    // The leader's exit released the terminal.
    for (int i = 0; i < 2000 && t.tty->session.load(); i++) msleep(5);
    KEXPECT_EQ(t.tty->session.load(), 0);
}

namespace {
// In a background group of the terminal's session (child of the session leader, parent in the
// foreground group: not orphaned).
void background_member(Job& job) {
    Tty* tty = job.t->tty;
    job.values[0] = !do_setpgid(0, 0).is_error();
    RefPtr<File> f = job.t->open("/dev/tty", O_RDWR | O_NONBLOCK);
    char buf[8];
    job.values[1] = result_of(kread(*f, buf, sizeof(buf)));  // SIGTTIN to us
    job.values[2] = signal_pending_in_group(SIGTTIN);
    block_signal(SIGTTIN);
    job.values[3] = result_of(kread(*f, buf, sizeof(buf)));  // EIO
    // tcsetpgrp from the background: SIGTTOU unless blocked.
    job.values[4] = tiocspgrp(tty, task_pgrp(current())).is_error();
    block_signal(SIGTTOU);
    job.values[5] = !tiocspgrp(tty, task_pgrp(current())).is_error();
    job.values[6] = tty->pgrp.load() == task_pgrp(current());
    job.values[7] = result_of(kread(*f, buf, sizeof(buf)));  // foreground now: EAGAIN
}

void leader_of_background_job(Job& job) {
    (void)do_setsid();
    job.file = job.t->open("/dev/ttyS0", O_RDWR);
    Job child{background_member, job.t};
    if (!start_job(child)) return;
    wait_for_completion(child.done);
    for (int i = 0; i < 8; i++) job.values[i] = child.values[i];
}
}  // namespace

KTEST(tty, background_group_gets_sigttin_and_sigttou) {
    TtyUnderTest t;
    KASSERT_TRUE(t.ok());
    Job job{leader_of_background_job, &t};
    KASSERT_TRUE(start_job(job));
    wait_for_completion(job.done);
    KEXPECT_EQ(job.values[0], 1);
    KEXPECT_EQ(job.values[1], -long(ERESTARTSYS));
    KEXPECT_EQ(job.values[2], 1);
    KEXPECT_EQ(job.values[3], -long(Errno::EIO));
    KEXPECT_EQ(job.values[4], 1);
    KEXPECT_EQ(job.values[5], 1);
    KEXPECT_EQ(job.values[6], 1);
    KEXPECT_EQ(job.values[7], -long(Errno::EAGAIN));
    for (int i = 0; i < 2000 && t.tty->session.load(); i++) msleep(5);
    KEXPECT_EQ(t.tty->session.load(), 0);
}
