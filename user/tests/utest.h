/* utest.h: the user-space test framework of Tern's user test programs (header only, C and C++).
 *
 * A test program is a static binary made of cases:
 *
 *     UTEST_CASE(child_write_invisible) {
 *         ...
 *         UT_ASSERT(x == 1, "x is %d", x);
 *     }
 *
 * UTEST_CASE must start at column 0: CMake finds every case by grepping for it and makes one CTest test
 * per case (cmake/user_tests.cmake). Each case runs in a forked child of the program, so a case that
 * crashes, hangs, changes its credentials or limits or signal dispositions cannot disturb the others.
 * The program prints one line per case and a summary, which the harness (tests/harness/utests.py) reads:
 *
 *     utest: PASS <program>.<case>
 *     utest: FAIL <program>.<case>: <why>
 *     utest: SKIP <program>.<case>: <why>        (the feature cannot be checked here)
 *     utest: DONE <program> passed=N failed=M skipped=K
 *
 * `program [case...]` runs the named cases only. UTEST_TIMEOUT (seconds, environment) bounds each case
 * (default 30: QEMU without KVM is slow).
 *
 * Output is written with one write(2) per line, never through stdio buffers, so lines do not get
 * duplicated by fork or lost by _exit, and concurrent writers do not interleave within a line.
 */
#ifndef TERN_UTEST_H
#define TERN_UTEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*ut_case_fn)(void);

struct ut_case {
    const char* name;
    ut_case_fn fn;
};

enum { UT_MAX_CASES = 128, UT_EXIT_FAIL = 1, UT_EXIT_SKIP = 77 };

static struct ut_case ut_cases[UT_MAX_CASES];
static int ut_case_count;
static const char* ut_program = "?";   /* basename of argv[0] */
static const char* ut_self_path = "";  /* argv[0] as given: tests re-execute themselves through it */
static const char* ut_current_case = "?";
static pid_t ut_case_pid;              /* the process running the current case */

static inline void ut_register(const char* name, ut_case_fn fn) {
    if (ut_case_count < UT_MAX_CASES) {
        ut_cases[ut_case_count].name = name;
        ut_cases[ut_case_count].fn = fn;
        ut_case_count++;
    }
}

#define UTEST_CASE(name)                                                                   \
    static void ut_case_##name(void);                                                      \
    __attribute__((constructor)) static void ut_register_##name(void) {                    \
        ut_register(#name, ut_case_##name);                                                \
    }                                                                                      \
    static void ut_case_##name(void)

/* printf into one buffer, then one write(2) to stdout. */
__attribute__((format(printf, 1, 2))) static inline void ut_printf(const char* fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    const char* p = buf;
    while (n > 0) {
        ssize_t w = write(1, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (int)w;
    }
}

/* Ends the current case as failed (from the case's process only: a helper child must report through
 * its exit status instead, or the line would be printed twice). */
__attribute__((noreturn, format(printf, 3, 4))) static inline void ut_fail_at(const char* file, int line,
                                                                             const char* fmt, ...) {
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (getpid() != ut_case_pid) {
        /* A helper child of the case: say why on a diagnostic line and let the case notice the exit. */
        ut_printf("utest: # %s.%s: helper %d: %s:%d: %s\n", ut_program, ut_current_case, (int)getpid(),
                  file, line, why);
        _exit(UT_EXIT_FAIL);
    }
    ut_printf("utest: FAIL %s.%s: %s:%d: %s\n", ut_program, ut_current_case, file, line, why);
    _exit(UT_EXIT_FAIL);
}

__attribute__((noreturn, format(printf, 1, 2))) static inline void ut_skip(const char* fmt, ...) {
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    ut_printf("utest: SKIP %s.%s: %s\n", ut_program, ut_current_case, why);
    _exit(UT_EXIT_SKIP);
}

#define UT_FAIL(...) ut_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define UT_SKIP(...) ut_skip(__VA_ARGS__)
/* A diagnostic line: the harness shows it with a failing case's output. */
#define UT_LOG(fmt, ...) ut_printf("utest: # %s.%s: " fmt "\n", ut_program, ut_current_case, ##__VA_ARGS__)

/* UT_ASSERT(cond, "fmt", ...): the case fails, saying which condition and why. */
#define UT_ASSERT(cond, ...)                                                               \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            char ut_msg_[512];                                                             \
            snprintf(ut_msg_, sizeof ut_msg_, __VA_ARGS__);                                \
            UT_FAIL("%s: %s", #cond, ut_msg_);                                             \
        }                                                                                  \
    } while (0)

/* UT_OK(expr): a call that returns -1 with errno on failure must succeed; gives its value. */
#define UT_OK(expr)                                                                        \
    ({                                                                                     \
        errno = 0;                                                                         \
        __typeof__(expr) ut_r_ = (expr);                                                   \
        if (ut_r_ == (__typeof__(expr))-1)                                                 \
            UT_FAIL("%s failed: %s (%s)", #expr, ut_errno_name(errno), strerror(errno));   \
        ut_r_;                                                                             \
    })

/* UT_ERRNO(expr, E): a call must fail with -1 and errno E. */
#define UT_ERRNO(expr, err)                                                                \
    do {                                                                                   \
        errno = 0;                                                                         \
        long ut_r_ = (long)(expr);                                                         \
        int ut_e_ = errno;                                                                 \
        if (ut_r_ != -1 || ut_e_ != (err))                                                 \
            UT_FAIL("%s returned %ld errno %s, expected -1 errno %s", #expr, ut_r_,        \
                    ut_e_ ? ut_errno_name(ut_e_) : "0", ut_errno_name(err));               \
    } while (0)

#define UT_EQ(a, b)                                                                        \
    do {                                                                                   \
        long long ut_a_ = (long long)(a), ut_b_ = (long long)(b);                          \
        if (ut_a_ != ut_b_)                                                                \
            UT_FAIL("%s == %s: %lld != %lld", #a, #b, ut_a_, ut_b_);                       \
    } while (0)

static inline const char* ut_errno_name(int e) {
    switch (e) {
#define UT_E(x) case x: return #x;
        UT_E(EPERM) UT_E(ENOENT) UT_E(ESRCH) UT_E(EINTR) UT_E(EIO) UT_E(ENXIO) UT_E(E2BIG)
        UT_E(ENOEXEC) UT_E(EBADF) UT_E(ECHILD) UT_E(EAGAIN) UT_E(ENOMEM) UT_E(EACCES) UT_E(EFAULT)
        UT_E(EBUSY) UT_E(EEXIST) UT_E(EXDEV) UT_E(ENODEV) UT_E(ENOTDIR) UT_E(EISDIR) UT_E(EINVAL)
        UT_E(ENFILE) UT_E(EMFILE) UT_E(ENOTTY) UT_E(EFBIG) UT_E(ENOSPC) UT_E(ESPIPE) UT_E(EROFS)
        UT_E(EMLINK) UT_E(EPIPE) UT_E(ERANGE) UT_E(ENAMETOOLONG) UT_E(ENOSYS) UT_E(ENOTEMPTY)
        UT_E(ELOOP) UT_E(EOVERFLOW) UT_E(ENOTSUP) UT_E(ETIMEDOUT)
#undef UT_E
    default: return "E?";
    }
}

/* Describes a wait status word for failure messages. */
static inline const char* ut_status_str(int status) {
    static char buf[96];
    if (WIFEXITED(status))
        snprintf(buf, sizeof buf, "exited with %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, sizeof buf, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WIFSTOPPED(status))
        snprintf(buf, sizeof buf, "stopped by signal %d", WSTOPSIG(status));
    else
        snprintf(buf, sizeof buf, "status 0x%x", status);
    return buf;
}

/* fork(), failing the case if it fails. */
static inline pid_t ut_fork(void) {
    pid_t pid = fork();
    if (pid < 0)
        UT_FAIL("fork failed: %s", ut_errno_name(errno));
    return pid;
}

/* Waits for a child of the case and returns its status word, failing the case on error. */
static inline int ut_wait(pid_t pid) {
    int status = 0;
    pid_t r;
    do
        r = waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    if (r != pid)
        UT_FAIL("waitpid(%d) returned %d: %s", (int)pid, (int)r, ut_errno_name(errno));
    return status;
}

/* Waits for a helper child and requires it to have exited with 0 (the helper explains a failure on a
 * diagnostic line). */
#define UT_WAIT_OK(pid)                                                                    \
    do {                                                                                   \
        int ut_st_ = ut_wait(pid);                                                         \
        if (!WIFEXITED(ut_st_) || WEXITSTATUS(ut_st_) != 0)                                \
            UT_FAIL("helper %d %s", (int)(pid), ut_status_str(ut_st_));                    \
    } while (0)

/* CLOCK_MONOTONIC in nanoseconds, through the system call (not the vDSO). */
static inline long long ut_now_ns(void) {
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void ut_sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* A writable directory for scratch files: /tmp when it exists (testinit mounts a tmpfs there), else the
 * current directory. ut_scratch(buf, "name") gives a path unique to this process. */
static inline const char* ut_scratch(char* buf, size_t size, const char* name) {
    const char* dir = access("/tmp", W_OK) == 0 ? "/tmp" : ".";
    snprintf(buf, size, "%s/utest-%s-%d-%s", dir, ut_program, (int)getpid(), name);
    return buf;
}

/* Read all of fd into buf (up to size - 1 bytes, NUL-terminated); returns the length. */
static inline ssize_t ut_read_all(int fd, char* buf, size_t size) {
    size_t got = 0;
    while (got + 1 < size) {
        ssize_t n = read(fd, buf + got, size - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = 0;
    return (ssize_t)got;
}

static volatile sig_atomic_t ut_alarm_fired;
static void ut_on_alarm(int sig) {
    (void)sig;
    ut_alarm_fired = 1;
}

/* Runs one case in a child and prints its result; returns 0 pass, 1 fail, 2 skip. */
static inline int ut_run_case(const struct ut_case* c, unsigned timeout) {
    ut_current_case = c->name;
    pid_t pid = fork();
    if (pid < 0) {
        ut_printf("utest: FAIL %s.%s: fork for the case failed: %s\n", ut_program, c->name, ut_errno_name(errno));
        return 1;
    }
    if (pid == 0) {
        ut_case_pid = getpid();
        signal(SIGALRM, SIG_DFL);
        c->fn();
        if (getpid() != ut_case_pid) {
            /* A helper child returned from the case function instead of exiting: a test bug. */
            ut_printf("utest: # %s.%s: helper %d returned from the case\n", ut_program, c->name, (int)getpid());
            _exit(UT_EXIT_FAIL);
        }
        _exit(0);
    }
    ut_alarm_fired = 0;
    alarm(timeout);
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR && !ut_alarm_fired) {
    }
    alarm(0);
    if (r != pid) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        ut_printf("utest: FAIL %s.%s: timed out after %u s\n", ut_program, c->name, timeout);
        return 1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        ut_printf("utest: PASS %s.%s\n", ut_program, c->name);
        return 0;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == UT_EXIT_FAIL)
        return 1; /* the case printed its FAIL line */
    if (WIFEXITED(status) && WEXITSTATUS(status) == UT_EXIT_SKIP)
        return 2;
    ut_printf("utest: FAIL %s.%s: the case's process %s\n", ut_program, c->name, ut_status_str(status));
    return 1;
}

/* Programs with their own modes (re-executed helpers) call this from main after handling them. */
static inline int ut_main(int argc, char** argv) {
    ut_self_path = argv[0];
    const char* slash = strrchr(argv[0], '/');
    ut_program = slash ? slash + 1 : argv[0];
    unsigned timeout = 30;
    const char* t = getenv("UTEST_TIMEOUT");
    if (t && atoi(t) > 0)
        timeout = (unsigned)atoi(t);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ut_on_alarm; /* no SA_RESTART: the alarm interrupts waitpid */
    sigaction(SIGALRM, &sa, NULL);
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < ut_case_count; i++) {
        if (argc > 1) {
            int wanted = 0;
            for (int a = 1; a < argc; a++)
                wanted |= strcmp(argv[a], ut_cases[i].name) == 0;
            if (!wanted)
                continue;
        }
        int r = ut_run_case(&ut_cases[i], timeout);
        passed += r == 0;
        failed += r == 1;
        skipped += r == 2;
    }
    ut_printf("utest: DONE %s passed=%d failed=%d skipped=%d\n", ut_program, passed, failed, skipped);
    return failed ? 1 : 0;
}

#ifndef UTEST_CUSTOM_MAIN
int main(int argc, char** argv) { return ut_main(argc, argv); }
#endif

#ifdef __cplusplus
}
#endif

#endif
