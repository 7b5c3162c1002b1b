/* signal: delivery of caught signals (siginfo, sigqueue values, masks during handlers, SA_RESETHAND,
 * SA_RESTART, the alternate stack), pending and blocked signals (standard ones merge, real-time ones
 * queue in order), registers and FPU state restored by sigreturn, default actions, and the signals that
 * cannot be caught. */
#include "utest.h"

#include <setjmp.h>
#include <sys/time.h>

static volatile sig_atomic_t hits;
static volatile int last_signo, last_code, last_pid, last_value;
static int order[16];
static volatile int order_len;

static void on_signal(int sig) {
    (void)sig;
    hits++;
}

static void on_siginfo(int sig, siginfo_t* si, void* uctx) {
    (void)uctx;
    hits++;
    last_signo = sig;
    last_code = si->si_code;
    last_pid = si->si_pid;
    last_value = si->si_value.sival_int;
    if (order_len < 16)
        order[order_len++] = sig * 100 + si->si_value.sival_int;
}

static void catch_with(int sig, void (*handler)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    UT_OK(sigaction(sig, &sa, NULL));
}

static void catch_info(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_siginfo;
    sa.sa_flags = SA_SIGINFO;
    UT_OK(sigaction(sig, &sa, NULL));
}

static void block(int sig, int how) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    UT_OK(sigprocmask(how, &set, NULL));
}

UTEST_CASE(handler_runs_before_kill_returns) {
    catch_with(SIGUSR1, on_signal, 0);
    UT_OK(kill(getpid(), SIGUSR1));
    UT_EQ(hits, 1);
    UT_OK(raise(SIGUSR1));
    UT_EQ(hits, 2);
}

UTEST_CASE(siginfo_says_who_sent_it) {
    catch_info(SIGUSR2);
    UT_OK(kill(getpid(), SIGUSR2));
    UT_EQ(last_signo, SIGUSR2);
    UT_EQ(last_code, SI_USER);
    UT_EQ(last_pid, getpid());
    union sigval v = {.sival_int = 4242};
    UT_OK(sigqueue(getpid(), SIGUSR2, v));
    UT_EQ(last_code, SI_QUEUE);
    UT_EQ(last_value, 4242);
}

UTEST_CASE(blocked_signal_stays_pending) {
    catch_with(SIGUSR1, on_signal, 0);
    block(SIGUSR1, SIG_BLOCK);
    UT_OK(kill(getpid(), SIGUSR1));
    UT_OK(kill(getpid(), SIGUSR1)); /* a standard signal is pending once, however often sent */
    UT_EQ(hits, 0);
    sigset_t pending;
    UT_OK(sigpending(&pending));
    UT_ASSERT(sigismember(&pending, SIGUSR1), "SIGUSR1 not pending");
    block(SIGUSR1, SIG_UNBLOCK);
    UT_EQ(hits, 1);
    UT_OK(sigpending(&pending));
    UT_ASSERT(!sigismember(&pending, SIGUSR1), "SIGUSR1 still pending");
}

UTEST_CASE(realtime_signals_queue_in_order) {
    int lo = SIGRTMIN, hi = SIGRTMIN + 1;
    catch_info(lo);
    catch_info(hi);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, lo);
    sigaddset(&set, hi);
    UT_OK(sigprocmask(SIG_BLOCK, &set, &old));
    for (int i = 1; i <= 3; i++) {
        union sigval v = {.sival_int = i};
        UT_OK(sigqueue(getpid(), hi, v));
        UT_OK(sigqueue(getpid(), lo, v));
    }
    UT_OK(sigprocmask(SIG_SETMASK, &old, NULL));
    UT_EQ(order_len, 6); /* all queued, none merged */
    /* Each signal's instances arrive in the order they were sent. (Across the two signals the order
     * is not simple: handlers of later deliveries nest inside earlier ones.) */
    int next[2] = {1, 1};
    for (int i = 0; i < 6; i++) {
        int sig = order[i] / 100, value = order[i] % 100;
        UT_ASSERT(sig == lo || sig == hi, "delivery %d was signal %d", i, sig);
        int k = sig == hi;
        UT_ASSERT(value == next[k], "delivery %d: signal %d value %d, expected value %d", i, sig, value, next[k]);
        next[k]++;
    }
}

static volatile int usr1_blocked_inside, usr2_blocked_inside;
static void report_mask(int sig) {
    (void)sig;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    usr1_blocked_inside = sigismember(&now, SIGUSR1);
    usr2_blocked_inside = sigismember(&now, SIGUSR2);
}

UTEST_CASE(mask_during_handler_and_restored_after) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = report_mask;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    UT_OK(sigaction(SIGUSR1, &sa, NULL));
    raise(SIGUSR1);
    UT_EQ(usr1_blocked_inside, 1); /* the signal itself, without SA_NODEFER */
    UT_EQ(usr2_blocked_inside, 1); /* and sa_mask */
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    UT_ASSERT(!sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2), "the mask was not restored");
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    UT_OK(sigaction(SIGUSR1, &sa, NULL));
    raise(SIGUSR1);
    UT_EQ(usr1_blocked_inside, 0);
}

UTEST_CASE(resethand_restores_default) {
    catch_with(SIGUSR1, on_signal, SA_RESETHAND);
    raise(SIGUSR1);
    UT_EQ(hits, 1);
    struct sigaction sa;
    UT_OK(sigaction(SIGUSR1, NULL, &sa));
    UT_ASSERT(sa.sa_handler == SIG_DFL, "handler still installed");
}

static pid_t writer_after(int fd, long ms) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        ut_sleep_ms(ms);
        write(fd, "w", 1);
        _exit(0);
    }
    return pid;
}

UTEST_CASE(sa_restart_resumes_read) {
    catch_with(SIGALRM, on_signal, SA_RESTART);
    int p[2];
    UT_OK(pipe(p));
    pid_t w = writer_after(p[1], 1000);
    struct itimerval it = {{0, 0}, {0, 50000}};
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    char c;
    UT_EQ(read(p[0], &c, 1), 1); /* interrupted at 50 ms, restarted, data at 1 s */
    UT_EQ(hits, 1);
    UT_WAIT_OK(w);
}

UTEST_CASE(without_sa_restart_read_fails_eintr) {
    catch_with(SIGALRM, on_signal, 0);
    int p[2];
    UT_OK(pipe(p));
    struct itimerval it = {{0, 0}, {0, 50000}};
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    char c;
    UT_ERRNO(read(p[0], &c, 1), EINTR);
    UT_EQ(hits, 1);
}

UTEST_CASE(sigsuspend_waits_for_a_signal) {
    catch_with(SIGUSR1, on_signal, 0);
    block(SIGUSR1, SIG_BLOCK);
    pid_t parent = getpid();
    pid_t pid = ut_fork();
    if (pid == 0) {
        ut_sleep_ms(100);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    sigset_t none;
    sigemptyset(&none);
    UT_ERRNO(sigsuspend(&none), EINTR);
    UT_EQ(hits, 1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    UT_ASSERT(sigismember(&now, SIGUSR1), "sigsuspend did not restore the mask");
    UT_WAIT_OK(pid);
}

UTEST_CASE(sigwait_takes_pending_signal) {
    block(SIGUSR2, SIG_BLOCK);
    kill(getpid(), SIGUSR2);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    int sig = 0;
    UT_EQ(sigwait(&set, &sig), 0);
    UT_EQ(sig, SIGUSR2);
    struct timespec zero = {0, 0};
    siginfo_t si;
    UT_ERRNO(sigtimedwait(&set, &si, &zero), EAGAIN);
}

static char alt_stack[64 * 1024];
static volatile int on_alt_stack;
static sigjmp_buf overflow_jmp;
static void check_stack(int sig) {
    (void)sig;
    char local;
    on_alt_stack = &local >= alt_stack && &local < alt_stack + sizeof alt_stack;
}
static void overflow_handler(int sig) {
    (void)sig;
    siglongjmp(overflow_jmp, 1);
}
static volatile int recursion_limit = 1 << 30; /* never reached: the stack runs out first */
__attribute__((noinline)) static int recurse_forever(int depth) {
    volatile char pad[1024];
    pad[0] = (char)depth;
    if (depth >= recursion_limit)
        return 0;
    return recurse_forever(depth + 1) + pad[0];
}

UTEST_CASE(sigaltstack_runs_handler_there) {
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    UT_OK(sigaltstack(&ss, NULL));
    catch_with(SIGUSR1, check_stack, SA_ONSTACK);
    raise(SIGUSR1);
    UT_EQ(on_alt_stack, 1);
    catch_with(SIGUSR2, check_stack, 0);
    raise(SIGUSR2);
    UT_EQ(on_alt_stack, 0);
}

UTEST_CASE(stack_overflow_caught_on_alt_stack) {
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    UT_OK(sigaltstack(&ss, NULL));
    catch_with(SIGSEGV, overflow_handler, SA_ONSTACK | SA_NODEFER);
    if (sigsetjmp(overflow_jmp, 1) == 0) {
        recurse_forever(0);
        UT_FAIL("recursion returned");
    }
}

static volatile double handler_result;
static void fpu_handler(int sig) {
    (void)sig;
    volatile double x = 1.0;
    for (int i = 0; i < 100; i++)
        x = x * 1.0001 + 0.5; /* clobber the FPU/SSE registers */
    handler_result = x;
    hits++;
}

UTEST_CASE(registers_and_fpu_survive_handlers) {
    catch_with(SIGALRM, fpu_handler, SA_RESTART);
    struct itimerval it = {{0, 1000}, {0, 1000}}; /* every millisecond */
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    long long end = ut_now_ns() + 500000000LL;
    unsigned long a = 1, b = 2, c = 3, d = 4, iterations = 0;
    double fa = 1.5, fb = 2.25;
    while (ut_now_ns() < end || hits < 20) {
        for (int i = 0; i < 1000; i++) {
            a = a * 6364136223846793005UL + 1442695040888963407UL;
            b ^= a >> 3;
            c += b;
            d = (d << 1) | (d >> 63);
            fa = fa * 0.5 + 1.0; /* converges to 2.0 */
            fb = fb * 0.25 + 1.5; /* converges to 2.0 */
        }
        iterations++;
        UT_ASSERT(fa > 1.0 && fa <= 2.0 && fb > 1.0 && fb <= 2.25, "FPU state corrupted: %f %f", fa, fb);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    /* Recompute without signals: the integer state must be identical. */
    unsigned long a2 = 1, b2 = 2, c2 = 3, d2 = 4;
    for (unsigned long n = 0; n < iterations * 1000; n++) {
        a2 = a2 * 6364136223846793005UL + 1442695040888963407UL;
        b2 ^= a2 >> 3;
        c2 += b2;
        d2 = (d2 << 1) | (d2 >> 63);
    }
    UT_ASSERT(a == a2 && b == b2 && c == c2 && d == d2, "registers corrupted across %d signals", (int)hits);
    UT_ASSERT(hits >= 20, "only %d timer signals", (int)hits);
}

UTEST_CASE(kill_and_stop_cannot_be_caught_or_blocked) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    UT_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
    UT_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
    sa.sa_handler = SIG_IGN;
    UT_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
    sigset_t all, now;
    sigfillset(&all);
    UT_OK(sigprocmask(SIG_BLOCK, &all, NULL));
    UT_OK(sigprocmask(SIG_BLOCK, NULL, &now));
    UT_ASSERT(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP), "SIGKILL or SIGSTOP blocked");
    pid_t pid = ut_fork();
    if (pid == 0) { /* everything blocked, still killable */
        for (;;)
            pause();
    }
    kill(pid, SIGKILL);
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "%s", ut_status_str(status));
}

UTEST_CASE(default_ignored_signals_do_nothing) {
    int sigs[] = {SIGCHLD, SIGURG, SIGWINCH, SIGCONT};
    for (int i = 0; i < 4; i++)
        UT_OK(raise(sigs[i]));
}

UTEST_CASE(default_actions_terminate) {
    int sigs[] = {SIGHUP, SIGINT, SIGUSR1, SIGALRM, SIGABRT, SIGQUIT};
    for (int i = 0; i < 6; i++) {
        pid_t pid = ut_fork();
        if (pid == 0) {
            raise(sigs[i]);
            _exit(0);
        }
        int status = ut_wait(pid);
        UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i], "signal %d: %s", sigs[i], ut_status_str(status));
    }
}

UTEST_CASE(invalid_signals_einval) {
    UT_ERRNO(kill(getpid(), 65), EINVAL);
    UT_ERRNO(kill(getpid(), -1), EINVAL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    UT_ERRNO(sigaction(0, &sa, NULL), EINVAL);
    UT_ERRNO(sigaction(65, &sa, NULL), EINVAL);
    UT_OK(kill(getpid(), 0));
}

UTEST_CASE(fork_keeps_mask_and_handlers_clears_pending) {
    catch_with(SIGUSR2, on_signal, 0);
    block(SIGUSR1, SIG_BLOCK);
    raise(SIGUSR1); /* pending in the parent only */
    pid_t pid = ut_fork();
    if (pid == 0) {
        sigset_t now, pending;
        sigprocmask(SIG_BLOCK, NULL, &now);
        sigpending(&pending);
        struct sigaction sa;
        sigaction(SIGUSR2, NULL, &sa);
        _exit(sigismember(&now, SIGUSR1) && !sigismember(&pending, SIGUSR1) && sa.sa_handler == on_signal ? 0 : 1);
    }
    UT_WAIT_OK(pid);
}

UTEST_CASE(alarm_delivers_sigalrm) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        alarm(1);
        for (;;)
            pause();
    }
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM, "%s", ut_status_str(status));
    UT_EQ(alarm(5), 0);
    UT_ASSERT(alarm(0) >= 4, "alarm did not report the time left");
}
