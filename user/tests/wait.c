/* wait: the status word of wait4/waitpid and the siginfo of waitid for every way a child can end, stop
 * or continue; WNOHANG, pid selection, ECHILD, SIGCHLD, and SIGCHLD ignored (children reap themselves). */
#include "utest.h"

#include <sys/resource.h>

static pid_t child_exiting(int code) {
    pid_t pid = ut_fork();
    if (pid == 0)
        _exit(code);
    return pid;
}

static void expect_exit_code(int code) {
    int status = ut_wait(child_exiting(code));
    UT_ASSERT(WIFEXITED(status) && !WIFSIGNALED(status) && !WIFSTOPPED(status), "status %#x: %s", status,
              ut_status_str(status));
    UT_EQ(WEXITSTATUS(status), code);
    UT_EQ(status, code << 8); /* the exact Linux encoding */
}

UTEST_CASE(exit_code_0) { expect_exit_code(0); }
UTEST_CASE(exit_code_1) { expect_exit_code(1); }
UTEST_CASE(exit_code_255) { expect_exit_code(255); }

UTEST_CASE(exit_code_is_truncated_to_8_bits) {
    int status = ut_wait(child_exiting(256 + 7));
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 7, "%s", ut_status_str(status));
}

static pid_t child_sleeping(void) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static void expect_killed_by(int sig) {
    pid_t pid = child_sleeping();
    UT_OK(kill(pid, sig));
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && !WIFEXITED(status), "%s", ut_status_str(status));
    UT_EQ(WTERMSIG(status), sig);
    UT_EQ(status & 0x7f, sig);
}

UTEST_CASE(killed_by_sigkill) { expect_killed_by(SIGKILL); }
UTEST_CASE(killed_by_sigterm) { expect_killed_by(SIGTERM); }

UTEST_CASE(killed_by_sigsegv) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        volatile int* volatile bad = (volatile int*)8;
        *bad = 1;
        _exit(0);
    }
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "%s", ut_status_str(status));
}

UTEST_CASE(stopped_with_wuntraced_then_continued) {
    int go[2];
    UT_OK(pipe(go));
    pid_t pid = ut_fork();
    if (pid == 0) {
        raise(SIGSTOP);
        char c;
        read(go[0], &c, 1); /* stay alive until the parent has seen "continued": an exit would hide it */
        _exit(3);
    }
    int status = 0;
    UT_EQ(waitpid(pid, &status, WUNTRACED), pid);
    UT_ASSERT(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "%s", ut_status_str(status));
    UT_EQ(status, (SIGSTOP << 8) | 0x7f);
    UT_OK(kill(pid, SIGCONT));
    UT_EQ(waitpid(pid, &status, WCONTINUED), pid);
    UT_ASSERT(WIFCONTINUED(status), "status %#x is not 'continued'", status);
    UT_EQ(status, 0xffff);
    UT_EQ(write(go[1], "g", 1), 1);
    status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 3, "%s", ut_status_str(status));
}

UTEST_CASE(stop_not_reported_without_wuntraced) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        raise(SIGSTOP);
        _exit(4);
    }
    /* Give the child time to stop; a plain wait must not return for a stop. */
    ut_sleep_ms(200);
    int status = 0;
    UT_EQ(waitpid(pid, &status, WNOHANG), 0);
    UT_OK(kill(pid, SIGCONT));
    status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 4, "%s", ut_status_str(status));
}

/* A child in a process group of its own, which is not orphaned (its parent, in the same session, is in
 * another group): job-control stop signals from the terminal family (SIGTSTP) are not discarded. */
static pid_t child_sleeping_in_own_group(void) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        setpgid(0, 0);
        for (;;)
            pause();
    }
    setpgid(pid, pid);
    return pid;
}

UTEST_CASE(stopped_by_sigtstp_sent_by_parent) {
    pid_t pid = child_sleeping_in_own_group();
    UT_OK(kill(pid, SIGTSTP));
    int status = 0;
    UT_EQ(waitpid(pid, &status, WUNTRACED), pid);
    UT_ASSERT(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP, "%s", ut_status_str(status));
    UT_OK(kill(pid, SIGKILL)); /* SIGKILL ends a stopped process */
    status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "%s", ut_status_str(status));
}

UTEST_CASE(sigtstp_discarded_in_orphaned_group) {
    /* POSIX: SIGTSTP, SIGTTIN and SIGTTOU to a process in an orphaned process group do not stop it.
     * A new session's only process is such a group. */
    int ready[2];
    UT_OK(pipe(ready));
    pid_t pid = ut_fork();
    if (pid == 0) {
        setsid();
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    UT_OK(kill(pid, SIGTSTP));
    ut_sleep_ms(200);
    int status = 0;
    UT_EQ(waitpid(pid, &status, WUNTRACED | WNOHANG), 0);
    UT_OK(kill(pid, SIGSTOP)); /* SIGSTOP always stops */
    UT_EQ(waitpid(pid, &status, WUNTRACED), pid);
    UT_ASSERT(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "%s", ut_status_str(status));
    kill(pid, SIGKILL);
    ut_wait(pid);
}

UTEST_CASE(wnohang_returns_zero_while_running) {
    pid_t pid = child_sleeping();
    int status = 0;
    UT_EQ(waitpid(pid, &status, WNOHANG), 0);
    kill(pid, SIGKILL);
    ut_wait(pid);
}

UTEST_CASE(no_children_echild) {
    int status;
    UT_ERRNO(waitpid(-1, &status, 0), ECHILD);
    UT_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD);
}

UTEST_CASE(not_my_child_echild) {
    int status;
    UT_ERRNO(waitpid(1, &status, 0), ECHILD);
}

UTEST_CASE(waitpid_picks_the_named_child) {
    pid_t a = child_sleeping();
    pid_t b = child_exiting(9);
    int status = ut_wait(b);
    UT_EQ(WEXITSTATUS(status), 9);
    UT_EQ(waitpid(a, &status, WNOHANG), 0);
    kill(a, SIGKILL);
    ut_wait(a);
}

UTEST_CASE(wait_any_reaps_all) {
    pid_t kids[4];
    for (int i = 0; i < 4; i++)
        kids[i] = child_exiting(10 + i);
    int seen = 0;
    for (int n = 0; n < 4; n++) {
        int status;
        pid_t r = UT_OK(wait(&status));
        for (int i = 0; i < 4; i++)
            if (kids[i] == r) {
                UT_EQ(WEXITSTATUS(status), 10 + i);
                seen |= 1 << i;
            }
    }
    UT_EQ(seen, 0xf);
    UT_ERRNO(wait(NULL), ECHILD);
}

UTEST_CASE(wait_by_process_group) {
    pid_t a = ut_fork();
    if (a == 0) {
        setpgid(0, 0);
        _exit(21);
    }
    setpgid(a, a); /* either side may win the race; both calls set the same group */
    pid_t other = child_exiting(22);
    int status;
    UT_EQ(waitpid(-a, &status, 0), a);
    UT_EQ(WEXITSTATUS(status), 21);
    UT_EQ(waitpid(0, &status, 0), other); /* our own group */
    UT_EQ(WEXITSTATUS(status), 22);
}

UTEST_CASE(waitid_exited_and_killed) {
    pid_t a = child_exiting(5);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    UT_OK(waitid(P_PID, (id_t)a, &si, WEXITED));
    UT_EQ(si.si_signo, SIGCHLD);
    UT_EQ(si.si_code, CLD_EXITED);
    UT_EQ(si.si_pid, a);
    UT_EQ(si.si_status, 5);
    UT_EQ(si.si_uid, getuid());
    pid_t b = child_sleeping();
    kill(b, SIGTERM);
    memset(&si, 0, sizeof si);
    UT_OK(waitid(P_PID, (id_t)b, &si, WEXITED));
    UT_EQ(si.si_code, CLD_KILLED);
    UT_EQ(si.si_status, SIGTERM);
}

UTEST_CASE(waitid_wnohang_no_event_zeroes_pid) {
    pid_t a = child_sleeping();
    siginfo_t si;
    memset(&si, 0xff, sizeof si);
    UT_OK(waitid(P_PID, (id_t)a, &si, WEXITED | WNOHANG));
    UT_EQ(si.si_pid, 0);
    kill(a, SIGKILL);
    ut_wait(a);
}

UTEST_CASE(wait4_reports_rusage) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        volatile unsigned long x = 0;
        long long end = ut_now_ns() + 50000000LL; /* burn 50 ms of CPU */
        while (ut_now_ns() < end)
            x++;
        _exit(0);
    }
    int status;
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    UT_EQ(wait4(pid, &status, 0, &ru), pid);
    long us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
    UT_ASSERT(us >= 10000 && us < 60000000, "child used %ld us of CPU, expected about 50000", us);
    UT_ASSERT(ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000, "tv_usec out of range");
}

static volatile sig_atomic_t sigchld_count;
static void on_sigchld(int sig) {
    (void)sig;
    sigchld_count++;
}

UTEST_CASE(sigchld_sent_on_exit) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    UT_OK(sigaction(SIGCHLD, &sa, NULL));
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = child_exiting(0);
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid); /* the signal is pending while blocked */
    sigset_t pending;
    sigpending(&pending);
    UT_ASSERT(sigismember(&pending, SIGCHLD), "SIGCHLD not pending after the child exited");
    sigprocmask(SIG_SETMASK, &old, NULL);
    UT_EQ(sigchld_count, 1);
}

UTEST_CASE(sigchld_ignored_children_reap_themselves) {
    signal(SIGCHLD, SIG_IGN);
    pid_t pid = child_exiting(0);
    int status;
    /* Linux: wait blocks until the child is gone, then fails with ECHILD. */
    UT_ERRNO(waitpid(pid, &status, 0), ECHILD);
    /* Gone without anyone reaping it (on SMP, the last step of its exit may still be under way). */
    long long end = ut_now_ns() + 5000000000LL;
    while (kill(pid, 0) == 0 && ut_now_ns() < end)
        ut_sleep_ms(1);
    UT_ERRNO(kill(pid, 0), ESRCH);
}
