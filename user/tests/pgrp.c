/* pgrp: process groups and sessions follow POSIX and Linux's rules for setpgid, setsid, getpgid and
 * getsid, and a signal sent to a group reaches every member and no one else. */
#define UTEST_CUSTOM_MAIN
#include "utest.h"

#include <fcntl.h>

extern char** environ;

/* A child that waits (in pause) until killed; `ready` gets EOF once it has called prepare(). */
static pid_t waiting_child(void (*prepare)(void)) {
    int ready[2];
    UT_OK(pipe(ready));
    pid_t pid = ut_fork();
    if (pid == 0) {
        close(ready[0]);
        if (prepare)
            prepare();
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    close(ready[0]);
    return pid;
}

static void end_child(pid_t pid) {
    kill(pid, SIGKILL);
    ut_wait(pid);
}

UTEST_CASE(child_inherits_group_and_session) {
    pid_t pid = waiting_child(NULL);
    UT_EQ(getpgid(pid), getpgrp());
    UT_EQ(getsid(pid), getsid(0));
    end_child(pid);
}

UTEST_CASE(setpgid_self_makes_a_group) {
    UT_OK(setpgid(0, 0));
    UT_EQ(getpgrp(), getpid());
    UT_EQ(getpgid(0), getpid());
}

UTEST_CASE(parent_moves_child_between_groups) {
    pid_t pid = waiting_child(NULL);
    UT_OK(setpgid(pid, pid));
    UT_EQ(getpgid(pid), pid);
    UT_OK(setpgid(pid, getpgrp())); /* back into our group: it exists in our session */
    UT_EQ(getpgid(pid), getpgrp());
    end_child(pid);
}

UTEST_CASE(setpgid_errors) {
    UT_ERRNO(setpgid(0, -1), EINVAL);
    UT_ERRNO(setpgid(1, 1), ESRCH); /* not us and not our child */
    pid_t gone = ut_fork();
    if (gone == 0)
        _exit(0);
    ut_wait(gone);
    UT_ERRNO(setpgid(0, gone), EPERM); /* no such group in our session */
    UT_ERRNO(getpgid(gone), ESRCH);
    UT_ERRNO(getsid(gone), ESRCH);
}

static void become_session_leader(void) { setsid(); }

UTEST_CASE(child_in_other_session_eperm) {
    pid_t pid = waiting_child(become_session_leader);
    UT_EQ(getsid(pid), pid);
    UT_ERRNO(setpgid(pid, pid), EPERM);
    UT_ERRNO(setpgid(pid, getpgrp()), EPERM);
    end_child(pid);
}

UTEST_CASE(child_after_exec_eacces) {
    int exec_done[2];
    UT_OK(pipe2(exec_done, O_CLOEXEC));
    pid_t pid = ut_fork();
    if (pid == 0) {
        char* argv[] = {(char*)ut_self_path, "--pause", NULL};
        execve(ut_self_path, argv, environ);
        _exit(120);
    }
    close(exec_done[1]);
    char c;
    UT_EQ(read(exec_done[0], &c, 1), 0); /* EOF: the child's copy closed on exec */
    UT_ERRNO(setpgid(pid, pid), EACCES);
    end_child(pid);
}

UTEST_CASE(setsid_starts_session_and_group) {
    pid_t sid = UT_OK(setsid());
    UT_EQ(sid, getpid());
    UT_EQ(getsid(0), getpid());
    UT_EQ(getpgrp(), getpid());
    UT_ERRNO(setsid(), EPERM); /* now a group (and session) leader */
    UT_ERRNO(setpgid(0, getppid()), EPERM);
}

UTEST_CASE(group_leader_cannot_setsid) {
    UT_OK(setpgid(0, 0));
    UT_ERRNO(setsid(), EPERM);
}

UTEST_CASE(session_leader_cannot_change_group) {
    UT_OK(setsid());
    pid_t pid = waiting_child(NULL); /* in our session and group */
    UT_OK(setpgid(pid, pid));
    UT_ERRNO(setpgid(0, pid), EPERM); /* a session leader stays in its group */
    end_child(pid);
}

UTEST_CASE(kill_process_group_reaches_all_members) {
    pid_t a = waiting_child(NULL);
    UT_OK(setpgid(a, a));
    pid_t b = waiting_child(NULL);
    UT_OK(setpgid(b, a));
    pid_t outsider = waiting_child(NULL);
    UT_OK(kill(-a, SIGTERM));
    int status = ut_wait(a);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "a %s", ut_status_str(status));
    status = ut_wait(b);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "b %s", ut_status_str(status));
    UT_EQ(waitpid(outsider, &status, WNOHANG), 0);
    UT_ERRNO(kill(-a, 0), ESRCH); /* the group is empty now */
    end_child(outsider);
}

UTEST_CASE(killpg_zero_is_own_group) {
    UT_OK(setpgid(0, 0));
    pid_t a = waiting_child(NULL);
    signal(SIGUSR1, SIG_IGN); /* we are in the group too */
    UT_OK(kill(0, SIGUSR1));
    int status = ut_wait(a);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1, "a %s", ut_status_str(status));
}

int main(int argc, char** argv) {
    if (argc == 2 && strcmp(argv[1], "--pause") == 0) {
        for (;;)
            pause();
    }
    return ut_main(argc, argv);
}
