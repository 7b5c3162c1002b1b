/* signals: Linux signal semantics through glibc, on a real static program (Debian's gcc -static).
 *
 * Runs as /init (tests/integration: boot.user_signals) or as an ordinary program. Each check has a number;
 * the program exits with the number of the first check that failed (0: all passed), which a PID 1
 * reports in Tern's "Attempted to kill init! exitcode=0x0000NN00" line (NN = the check, hex) even
 * before there is a console to write to. With a working write(2) it also prints one line per check.
 * Everything here must also pass on Linux: `gcc -static -O2 signals.c && ./a.out; echo $?`.
 *
 * Default actions are checked in forked children: init gets no signal it has no handler for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static int first_failure;

static void report(int n, const char* what, int ok) {
    char line[160];
    int len = snprintf(line, sizeof line, "signals: %s %d %s\n", ok ? "PASS" : "FAIL", n, what);
    if (write(1, line, (size_t)len) < 0) { /* no console yet: the exit code says it */ }
    if (!ok && !first_failure) first_failure = n;
}
#define CHECK(n, what, cond) report(n, what, (cond))

static volatile sig_atomic_t hits, last_sig, last_code, last_value;
static volatile uintptr_t handler_stack;

static void on_signal(int sig, siginfo_t* info, void* uc) {
    (void)uc;
    hits++;
    last_sig = sig;
    last_code = info->si_code;
    last_value = info->si_value.sival_int;
    int local;
    handler_stack = (uintptr_t)&local;
}

static void install(int sig, int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* A child running `body`; its wait status. */
static int child_status(void (*body)(void)) {
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static void raise_twice_with_resethand(void) {
    install(SIGUSR1, SA_RESETHAND);
    raise(SIGUSR1);
    raise(SIGUSR1); /* now the default action: terminate */
}

static void null_write(void) { *(volatile int*)0 = 1; }

/* SIGILL handler that steps over the 2-byte ud2 by editing the saved context. */
static void skip_ud2(int sig, siginfo_t* info, void* ucv) {
    (void)sig;
    (void)info;
    ucontext_t* uc = ucv;
    uc->uc_mcontext.gregs[REG_RIP] += 2;
    hits++;
}

static volatile double fpu_value = 1.5;
static void clobber_fpu(int sig) {
    (void)sig;
    volatile double x = 3.25;
    fpu_value = x * 2;
}

static volatile sig_atomic_t depth, max_depth;
static void nested(int sig) {
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (hits++ == 0) raise(sig); /* with SA_NODEFER: runs nested right here; without: after we return */
    depth--;
}

static volatile sig_atomic_t got_chld;
static void on_chld(int sig) {
    (void)sig;
    got_chld = 1;
}

int main(void) {
    /* 1: a handler runs for raise() (tgkill: SI_TKILL) and returns through glibc's restorer. */
    install(SIGUSR1, 0);
    hits = 0;
    raise(SIGUSR1);
    CHECK(1, "handler for raise", hits == 1 && last_sig == SIGUSR1 && last_code == SI_TKILL);

    /* 2: sigqueue carries a value to an SA_SIGINFO handler. */
    install(SIGRTMIN, 0);
    union sigval v = {.sival_int = 42};
    sigqueue(getpid(), SIGRTMIN, v);
    CHECK(2, "sigqueue value", last_sig == SIGRTMIN && last_value == 42 && last_code == SI_QUEUE);

    /* 3: blocked signals wait in sigpending and arrive when unblocked. */
    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    hits = 0;
    raise(SIGUSR1);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGUSR1) && hits == 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(3, "blocked then delivered", was_pending && hits == 1);

    /* 4: SA_RESETHAND: the second one kills. */
    int st = child_status(raise_twice_with_resethand);
    CHECK(4, "SA_RESETHAND", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);

    /* 5: a user fault kills the child with SIGSEGV. Tern sets the core bit for core-dumping signals
     * (it writes no core file); Linux sets it only when a core file was written (RLIMIT_CORE). */
    st = child_status(null_write);
    struct utsname un;
    int on_tern = uname(&un) == 0 && strstr(un.release, "tern") != NULL;
    CHECK(5, "SIGSEGV kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && (!on_tern || WCOREDUMP(st)));

    /* 6: a handler may change the interrupted context (skip the faulting instruction). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = skip_ud2;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    hits = 0;
    __asm__ volatile("ud2");
    CHECK(6, "sigreturn with edited RIP", hits == 1);

    /* 7: job control: stop, continue, terminate, each seen by waitpid. */
    pid_t child = fork();
    if (child == 0) {
        for (;;) pause();
    }
    kill(child, SIGSTOP);
    int stopped = waitpid(child, &st, WUNTRACED) == child && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP;
    kill(child, SIGCONT);
    int continued = waitpid(child, &st, WCONTINUED) == child && WIFCONTINUED(st);
    kill(child, SIGTERM);
    int terminated = waitpid(child, &st, 0) == child && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
    CHECK(7, "stop/continue/terminate", stopped && continued && terminated);

    /* 8: SIGCHLD reaches a handler; sigsuspend waits for it. */
    signal(SIGCHLD, on_chld);
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    got_chld = 0;
    child = fork();
    if (child == 0) _exit(7);
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGCHLD);
    while (!got_chld) sigsuspend(&wait_mask);
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(8, "SIGCHLD and sigsuspend", waitpid(child, &st, 0) == child && WIFEXITED(st) && WEXITSTATUS(st) == 7);
    signal(SIGCHLD, SIG_DFL);

    /* 9: SA_ONSTACK runs the handler on the alternate stack. */
    static char alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    install(SIGUSR2, SA_ONSTACK);
    raise(SIGUSR2);
    CHECK(9, "SA_ONSTACK", handler_stack >= (uintptr_t)alt && handler_stack < (uintptr_t)alt + sizeof alt);

    /* 10: the FPU state of the interrupted code survives a handler that uses the FPU. */
    signal(SIGUSR2, clobber_fpu);
    volatile double a = 0.1, b = 0.2;
    double before = a + b;
    raise(SIGUSR2);
    double after = a + b;
    CHECK(10, "FPU across a handler", before == after && fpu_value == 6.5);

    /* 11: nanosleep sleeps at least as long as asked (CLOCK_MONOTONIC). */
    struct timespec t0, t1, req = {0, 30 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long slept = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    CHECK(11, "nanosleep", slept >= 30 * 1000 * 1000);

    /* 12: uname says Linux on x86_64; getrandom fills a buffer. */
    struct utsname u;
    unsigned char rnd[64] = {0};
    int nonzero = 0;
    if (getrandom(rnd, sizeof rnd, 0) == (ssize_t)sizeof rnd)
        for (size_t i = 0; i < sizeof rnd; i++) nonzero |= rnd[i];
    CHECK(12, "uname and getrandom",
          uname(&u) == 0 && !strcmp(u.sysname, "Linux") && !strcmp(u.machine, "x86_64") && nonzero);

    /* 13: kill() of a process we may not signal and of a missing one. */
    CHECK(13, "kill errors", kill(999999, 0) == -1 && errno == ESRCH && kill(getpid(), 65) == -1 && errno == EINVAL);

    /* 14, 15: a handled signal interrupts waitpid: SA_RESTART resumes the wait, without it EINTR. */
    for (int restart = 1; restart >= 0; restart--) {
        install(SIGUSR1, restart ? SA_RESTART : 0);
        hits = 0;
        child = fork();
        if (child == 0) {
            struct timespec pause_ms = {0, 50 * 1000 * 1000};
            nanosleep(&pause_ms, NULL);
            kill(getppid(), SIGUSR1);
            nanosleep(&pause_ms, NULL);
            _exit(3);
        }
        pid_t got = waitpid(child, &st, 0);
        int err = errno;
        if (restart) {
            CHECK(14, "SA_RESTART resumes waitpid", got == child && WIFEXITED(st) && WEXITSTATUS(st) == 3 && hits == 1);
        } else {
            CHECK(15, "waitpid EINTR without SA_RESTART", got == -1 && err == EINTR && hits == 1);
            waitpid(child, &st, 0);
        }
    }

    /* 16: sigtimedwait times out (EAGAIN, after the time asked), then takes a signal a child sends,
     * with the sender in si_pid, without running the handler. */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    struct timespec timeout = {0, 40 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = sigtimedwait(&set, NULL, &timeout);
    int timed_out = r == -1 && errno == EAGAIN;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    slept = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    hits = 0;
    child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    siginfo_t si;
    timeout.tv_sec = 5;
    r = sigtimedwait(&set, &si, &timeout);
    waitpid(child, &st, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(16, "sigtimedwait", timed_out && slept >= 40 * 1000 * 1000 && r == SIGUSR1 && si.si_pid == child &&
                                  si.si_code == SI_USER && hits == 0);

    /* 17: abort() dies of SIGABRT. */
    st = child_status(abort);
    CHECK(17, "abort", WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);

    /* 18: with SIGCHLD ignored, children are reaped at once: waitpid finds none. */
    signal(SIGCHLD, SIG_IGN);
    child = fork();
    if (child == 0) _exit(0);
    r = waitpid(child, &st, 0);
    CHECK(18, "SIGCHLD ignored: no zombies", r == -1 && errno == ECHILD);
    signal(SIGCHLD, SIG_DFL);

    /* 19: kill(-pgid) reaches every process of a group. */
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            for (;;) pause();
        }
        setpgid(kids[i], kids[0]);
    }
    int group_ok = kill(-kids[0], SIGTERM) == 0;
    for (int i = 0; i < 2; i++)
        group_ok &= waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
    CHECK(19, "kill of a process group", group_ok);

    /* 20: prctl names the thread (cut at 15 characters). */
    char name[16] = {0};
    int named = prctl(PR_SET_NAME, "a-rather-long-thread-name", 0, 0, 0) == 0 &&
                prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && !strcmp(name, "a-rather-long-t");
    CHECK(20, "prctl names", named && prctl(12345, 0, 0, 0, 0) == -1 && errno == EINVAL);

    /* 21: SA_NOCLDSTOP: no SIGCHLD when a child stops, but one when it dies. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    got_chld = 0;
    child = fork();
    if (child == 0) {
        for (;;) pause();
    }
    kill(child, SIGSTOP);
    int saw_stop = waitpid(child, &st, WUNTRACED) == child && WIFSTOPPED(st);
    int chld_on_stop = got_chld;
    kill(child, SIGKILL);
    waitpid(child, &st, 0);
    CHECK(21, "SA_NOCLDSTOP", saw_stop && !chld_on_stop && got_chld);
    signal(SIGCHLD, SIG_DFL);

    /* 22: SA_NODEFER lets the handler interrupt itself; by default the signal waits for it to return. */
    int depths[2];
    for (int nodefer = 0; nodefer < 2; nodefer++) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = nested;
        sa.sa_flags = nodefer ? SA_NODEFER : 0;
        sigaction(SIGUSR2, &sa, NULL);
        hits = depth = max_depth = 0;
        raise(SIGUSR2);
        depths[nodefer] = hits == 2 ? max_depth : -1;
    }
    CHECK(22, "SA_NODEFER", depths[0] == 1 && depths[1] == 2);

    char line[64];
    int len = snprintf(line, sizeof line, "signals: DONE first_failure=%d\n", first_failure);
    if (write(1, line, (size_t)len) < 0) { /* see report() */ }
    return first_failure;
}
