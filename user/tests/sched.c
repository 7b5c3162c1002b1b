/* sched: the scheduling system calls follow Linux's rules: nice values through getpriority/setpriority
 * (raising priority needs privilege or RLIMIT_NICE), policies and real-time priorities through
 * sched_setscheduler and friends, SCHED_RESET_ON_FORK, the round-robin interval and the affinity mask.
 * Every case runs in its own child, so changes to its priority do not leak into other cases. */
#include "utest.h"

#include <sched.h>
#include <sys/resource.h>

UTEST_CASE(nice_roundtrip) {
    errno = 0;
    UT_EQ(getpriority(PRIO_PROCESS, 0), 0);
    UT_EQ(errno, 0);
    UT_OK(setpriority(PRIO_PROCESS, 0, 7));
    UT_EQ(getpriority(PRIO_PROCESS, 0), 7);
    UT_EQ(getpriority(PRIO_PROCESS, getpid()), 7);
    UT_OK(setpriority(PRIO_PROCESS, 0, 100)); /* clamped to 19 */
    UT_EQ(getpriority(PRIO_PROCESS, 0), 19);
    UT_EQ(nice(0), 19);
}

UTEST_CASE(nice_is_inherited) {
    UT_OK(setpriority(PRIO_PROCESS, 0, 5));
    pid_t pid = fork();
    UT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) _exit(getpriority(PRIO_PROCESS, 0) == 5 ? 0 : 1);
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child saw another nice: %s", ut_status_str(status));
}

UTEST_CASE(unprivileged_cannot_lower_nice) {
    UT_OK(setpriority(PRIO_PROCESS, 0, 5));
    struct rlimit rl = {0, 0};
    UT_OK(setrlimit(RLIMIT_NICE, &rl));
    UT_OK(setuid(1000));
    UT_ERRNO(setpriority(PRIO_PROCESS, 0, 4), EACCES);
    UT_OK(setpriority(PRIO_PROCESS, 0, 10)); /* raising it is always allowed */
    UT_EQ(getpriority(PRIO_PROCESS, 0), 10);
    UT_ERRNO(setpriority(PRIO_PROCESS, 1, 10), EPERM); /* init belongs to root */
}

UTEST_CASE(bad_arguments) {
    UT_ERRNO(setpriority(7, 0, 0), EINVAL);
    UT_ERRNO(getpriority(7, 0), EINVAL);
    UT_ERRNO(getpriority(PRIO_PROCESS, 0x3fffffff), ESRCH);
    struct sched_param sp = {.sched_priority = 0};
    UT_ERRNO(sched_setscheduler(-1, SCHED_OTHER, &sp), EINVAL);
    UT_ERRNO(sched_setscheduler(0, 12345, &sp), EINVAL);
    UT_ERRNO(sched_getscheduler(-1), EINVAL);
    UT_ERRNO(sched_getscheduler(0x3fffffff), ESRCH);
    sp.sched_priority = 5;
    UT_ERRNO(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL); /* normal tasks have priority 0 */
    sp.sched_priority = 0;
    UT_ERRNO(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL); /* real-time ones 1..99 */
    sp.sched_priority = 100;
    UT_ERRNO(sched_setscheduler(0, SCHED_RR, &sp), EINVAL);
    UT_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, (void*)16), EFAULT);
    UT_ERRNO(syscall(SYS_sched_getparam, 0, (void*)16), EFAULT);
}

UTEST_CASE(priority_ranges) {
    UT_EQ(sched_get_priority_max(SCHED_FIFO), 99);
    UT_EQ(sched_get_priority_min(SCHED_FIFO), 1);
    UT_EQ(sched_get_priority_max(SCHED_RR), 99);
    UT_EQ(sched_get_priority_min(SCHED_RR), 1);
    UT_EQ(sched_get_priority_max(SCHED_OTHER), 0);
    UT_EQ(sched_get_priority_min(SCHED_BATCH), 0);
    UT_EQ(sched_get_priority_max(SCHED_IDLE), 0);
    UT_ERRNO(sched_get_priority_max(42), EINVAL);
}

UTEST_CASE(fifo_and_rr_as_root) {
    struct sched_param sp = {.sched_priority = 10};
    if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0 && errno == EPERM) UT_SKIP("no real-time rights here");
    UT_EQ(sched_getscheduler(0), SCHED_FIFO);
    struct sched_param got = {.sched_priority = -1};
    UT_OK(sched_getparam(0, &got));
    UT_EQ(got.sched_priority, 10);
    struct timespec ts;
    UT_OK(sched_rr_get_interval(0, &ts));
    UT_ASSERT(ts.tv_sec == 0 && ts.tv_nsec == 0, "FIFO interval %ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);

    sp.sched_priority = 20;
    UT_OK(sched_setscheduler(0, SCHED_RR, &sp));
    UT_EQ(sched_getscheduler(0), SCHED_RR);
    UT_OK(sched_rr_get_interval(0, &ts));
    UT_ASSERT(ts.tv_sec == 0 && ts.tv_nsec == 100000000, "RR interval %ld.%09ld", (long)ts.tv_sec, ts.tv_nsec);

    sp.sched_priority = 30;
    UT_OK(sched_setparam(0, &sp)); /* keeps the policy */
    UT_EQ(sched_getscheduler(0), SCHED_RR);
    UT_OK(sched_getparam(0, &got));
    UT_EQ(got.sched_priority, 30);

    sp.sched_priority = 0;
    UT_OK(sched_setscheduler(0, SCHED_OTHER, &sp));
    UT_EQ(sched_getscheduler(0), SCHED_OTHER);
    UT_OK(sched_getparam(0, &got));
    UT_EQ(got.sched_priority, 0);
}

UTEST_CASE(unprivileged_cannot_go_realtime) {
    struct rlimit rl = {0, 0};
    UT_OK(setrlimit(RLIMIT_RTPRIO, &rl));
    UT_OK(setuid(1000));
    struct sched_param sp = {.sched_priority = 1};
    UT_ERRNO(sched_setscheduler(0, SCHED_FIFO, &sp), EPERM);
    sp.sched_priority = 0;
    UT_OK(sched_setscheduler(0, SCHED_BATCH, &sp));
    UT_EQ(sched_getscheduler(0), SCHED_BATCH);
    UT_ERRNO(sched_setscheduler(1, SCHED_BATCH, &sp), EPERM);
}

UTEST_CASE(reset_on_fork) {
    struct sched_param sp = {.sched_priority = 5};
    if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) != 0 && errno == EPERM)
        UT_SKIP("no real-time rights here");
    UT_EQ(sched_getscheduler(0), SCHED_FIFO | SCHED_RESET_ON_FORK);
    pid_t pid = fork();
    UT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct sched_param c;
        int ok = sched_getscheduler(0) == SCHED_OTHER && sched_getparam(0, &c) == 0 && c.sched_priority == 0;
        _exit(ok ? 0 : 1);
    }
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child kept real time: %s", ut_status_str(status));
}

UTEST_CASE(affinity_lists_online_cpus) {
    cpu_set_t set;
    CPU_ZERO(&set);
    UT_OK(sched_getaffinity(0, sizeof(set), &set));
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    UT_ASSERT(online >= 1, "sysconf says %ld CPUs", online);
    UT_EQ(CPU_COUNT(&set), online);
    UT_ASSERT(CPU_ISSET(0, &set), "CPU 0 not in the mask");
    long n = syscall(SYS_sched_getaffinity, 0, 4, &set); /* not a whole long */
    UT_ASSERT(n == -1 && errno == EINVAL, "len 4 gave %ld (%s)", n, strerror(errno));
    UT_ERRNO(syscall(SYS_sched_getaffinity, 0, sizeof(set), (void*)16), EFAULT);
}
