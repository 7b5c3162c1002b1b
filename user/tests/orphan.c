/* orphan: when a parent exits, its children are re-parented to init (PID 1), which reaps them, and they
 * keep running undisturbed. */
#include "utest.h"

/* Forks a child that forks a grandchild and exits; returns the grandchild's pid, read from `report`. */
static pid_t make_orphan(int report[2], void (*grandchild)(int fd)) {
    UT_OK(pipe(report));
    pid_t child = ut_fork();
    if (child == 0) {
        pid_t g = fork();
        if (g < 0)
            _exit(2);
        if (g == 0) {
            close(report[0]);
            grandchild(report[1]);
            _exit(0);
        }
        _exit(0); /* orphan the grandchild */
    }
    close(report[1]);
    UT_WAIT_OK(child);
    pid_t g = 0;
    UT_EQ(read(report[0], &g, sizeof g), (long)sizeof g);
    return g;
}

static void wait_for_init_and_report(int fd) {
    pid_t me = getpid();
    write(fd, &me, sizeof me);
    long long end = ut_now_ns() + 10000000000LL;
    while (getppid() != 1 && ut_now_ns() < end)
        ut_sleep_ms(5);
    pid_t ppid = getppid();
    write(fd, &ppid, sizeof ppid);
}

UTEST_CASE(getppid_becomes_1) {
    int report[2];
    make_orphan(report, wait_for_init_and_report);
    pid_t ppid = -1;
    UT_EQ(read(report[0], &ppid, sizeof ppid), (long)sizeof ppid);
    UT_EQ(ppid, 1);
}

static void exit_at_once(int fd) {
    pid_t me = getpid();
    write(fd, &me, sizeof me);
    ut_sleep_ms(100); /* exit after the parent, as an orphan */
}

UTEST_CASE(init_reaps_orphans) {
    int report[2];
    pid_t g = make_orphan(report, exit_at_once);
    /* A zombie still answers kill(pid, 0); once init has reaped it the pid is gone. */
    long long end = ut_now_ns() + 10000000000LL;
    while (kill(g, 0) == 0 && ut_now_ns() < end)
        ut_sleep_ms(10);
    UT_ERRNO(kill(g, 0), ESRCH);
}

static void keep_talking(int fd) {
    pid_t me = getpid();
    write(fd, &me, sizeof me);
    for (int i = 0; i < 20; i++) {
        ut_sleep_ms(10);
        char c = (char)('a' + i);
        if (write(fd, &c, 1) != 1)
            _exit(1);
    }
}

UTEST_CASE(orphan_keeps_running) {
    int report[2];
    make_orphan(report, keep_talking);
    char buf[32];
    ssize_t n = ut_read_all(report[0], buf, sizeof buf);
    UT_EQ(n, 20);
    UT_ASSERT(buf[0] == 'a' && buf[19] == 't', "got \"%s\"", buf);
}

UTEST_CASE(orphans_not_my_children) {
    int report[2];
    pid_t g = make_orphan(report, wait_for_init_and_report);
    int status;
    UT_ERRNO(waitpid(g, &status, WNOHANG), ECHILD);
    pid_t ppid;
    read(report[0], &ppid, sizeof ppid);
}

/* POSIX 3.2.2.2: a process group that an exit leaves orphaned, with a stopped member, gets SIGHUP and then
 * SIGCONT. Here a middle process makes its own group, forks a member that stops itself, and exits: the
 * member, now in an orphaned group, is woken by SIGCONT and reports the SIGHUP it caught. */
static int hup_report_fd;
static void on_hup(int sig) {
    (void)sig;
    char c = 'H';
    write(hup_report_fd, &c, 1);
    _exit(0);
}

UTEST_CASE(stopped_orphaned_group_gets_hup_and_cont) {
    int report[2];
    UT_OK(pipe(report));
    pid_t middle = ut_fork();
    if (middle == 0) {
        close(report[0]);
        if (setpgid(0, 0) != 0) _exit(2);
        pid_t member = fork();
        if (member < 0) _exit(3);
        if (member == 0) {
            hup_report_fd = report[1];
            signal(SIGHUP, on_hup);
            raise(SIGSTOP);
            char c = 'C'; /* continued without a SIGHUP */
            write(report[1], &c, 1);
            _exit(0);
        }
        int status;
        if (waitpid(member, &status, WUNTRACED) != member || !WIFSTOPPED(status)) _exit(4);
        _exit(0); /* the group loses its only link outside */
    }
    close(report[1]);
    UT_WAIT_OK(middle);
    char c = 0;
    UT_EQ(read(report[0], &c, 1), 1);
    UT_ASSERT(c == 'H', "the stopped member reported '%c', expected the SIGHUP ('H')", c);
}
