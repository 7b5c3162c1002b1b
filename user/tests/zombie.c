/* zombie: a child that has exited stays a zombie (state Z in /proc/<pid>/stat, still answering kill 0,
 * still reported by waitid with WNOWAIT) until its parent waits for it; then it is gone. */
#include "utest.h"

#include <fcntl.h>

/* The state letter of /proc/<pid>/stat, 0 when the file cannot be read, '?' when malformed. */
static char proc_state(pid_t pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = ut_read_all(fd, buf, sizeof buf);
    close(fd);
    char* paren = n > 0 ? strrchr(buf, ')') : NULL; /* comm may contain spaces and parentheses */
    return paren && paren[1] == ' ' ? paren[2] : '?';
}

static int have_procfs(void) { return access("/proc/self/stat", R_OK) == 0; }

static pid_t exited_child(int code) {
    pid_t pid = ut_fork();
    if (pid == 0)
        _exit(code);
    /* Wait until it has exited without reaping it. */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    UT_OK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT));
    return pid;
}

UTEST_CASE(zombie_shows_z_until_waited) {
    if (!have_procfs())
        UT_SKIP("no /proc/self/stat (the waitid cases cover zombies without procfs)");
    pid_t pid = exited_child(0);
    char state = proc_state(pid);
    UT_ASSERT(state == 'Z', "/proc/%d/stat state is '%c', expected 'Z'", (int)pid, state ? state : '0');
    ut_wait(pid);
    state = proc_state(pid);
    UT_ASSERT(state == 0, "/proc/%d/stat still there (state '%c') after wait", (int)pid, state);
}

UTEST_CASE(running_child_not_a_zombie) {
    if (!have_procfs())
        UT_SKIP("no /proc/self/stat");
    pid_t pid = ut_fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    ut_sleep_ms(50);
    char state = proc_state(pid);
    UT_ASSERT(state == 'S' || state == 'R', "/proc/%d/stat state '%c', expected S or R", (int)pid, state ? state : '0');
    kill(pid, SIGKILL);
    ut_wait(pid);
}

UTEST_CASE(waitid_wnowait_leaves_the_zombie) {
    pid_t pid = exited_child(6);
    siginfo_t si;
    for (int i = 0; i < 2; i++) { /* reported again and again */
        memset(&si, 0, sizeof si);
        UT_OK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT));
        UT_EQ(si.si_pid, pid);
        UT_EQ(si.si_status, 6);
    }
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid);
    UT_EQ(WEXITSTATUS(status), 6);
    UT_ERRNO(waitpid(pid, &status, WNOHANG), ECHILD);
}

UTEST_CASE(zombie_answers_kill_until_reaped) {
    pid_t pid = exited_child(0);
    UT_OK(kill(pid, 0));
    UT_OK(kill(pid, SIGKILL)); /* signals to a zombie are accepted and ignored */
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", ut_status_str(status));
    UT_ERRNO(kill(pid, 0), ESRCH);
}

UTEST_CASE(many_zombies_all_reaped) {
    enum { N = 32 };
    pid_t kids[N];
    for (int i = 0; i < N; i++)
        kids[i] = exited_child(i);
    for (int i = N - 1; i >= 0; i--) {
        int status;
        UT_EQ(waitpid(kids[i], &status, 0), kids[i]);
        UT_EQ(WEXITSTATUS(status), i);
    }
    UT_ERRNO(wait(NULL), ECHILD);
}
