/* itimer: interval timers and alarm(2): ITIMER_REAL sends SIGALRM after the time set and reloads with
 * its interval, getitimer reports what is left, alarm returns the seconds that were left, children
 * start without timers, ITIMER_VIRTUAL and ITIMER_PROF count CPU time, bad arguments get Linux's errnos. */
#include "utest.h"

#include <sys/time.h>

static volatile sig_atomic_t alarms, vtalarms, profs;
static void on_alarm(int sig) {
    if (sig == SIGALRM) alarms++;
    if (sig == SIGVTALRM) vtalarms++;
    if (sig == SIGPROF) profs++;
}

static void catch_signal(int sig) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
}

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

UTEST_CASE(real_timer_fires_once) {
    catch_signal(SIGALRM);
    struct itimerval it = {.it_value = {0, 50000}};
    long long start = now_us();
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    while (!alarms && now_us() - start < 5000000) pause();
    long long took = now_us() - start;
    UT_EQ(alarms, 1);
    UT_ASSERT(took >= 50000, "SIGALRM after %lld us, set for 50000", took);
    struct itimerval cur;
    UT_OK(getitimer(ITIMER_REAL, &cur));
    UT_ASSERT(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "one-shot still armed");
    usleep(100000);
    UT_EQ(alarms, 1);
}

UTEST_CASE(real_timer_reloads) {
    catch_signal(SIGALRM);
    struct itimerval it = {.it_value = {0, 20000}, .it_interval = {0, 20000}};
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    long long start = now_us();
    while (alarms < 3 && now_us() - start < 5000000) pause();
    UT_ASSERT(alarms >= 3, "%d alarms", (int)alarms);
    struct itimerval cur;
    UT_OK(getitimer(ITIMER_REAL, &cur));
    UT_ASSERT(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 20000, "interval %ld.%06ld",
              (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);
    struct itimerval off = {0}, old;
    UT_OK(setitimer(ITIMER_REAL, &off, &old));
    UT_ASSERT(old.it_interval.tv_usec == 20000, "old interval %ld", (long)old.it_interval.tv_usec);
    int seen = alarms;
    usleep(100000);
    UT_ASSERT(alarms <= seen + 1, "still firing after disarm: %d -> %d", seen, (int)alarms);
}

UTEST_CASE(getitimer_counts_down) {
    struct itimerval it = {.it_value = {10, 0}};
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    usleep(200000);
    struct itimerval cur;
    UT_OK(getitimer(ITIMER_REAL, &cur));
    long long left = cur.it_value.tv_sec * 1000000LL + cur.it_value.tv_usec;
    UT_ASSERT(left > 8000000 && left <= 9900000, "%lld us left of 10 s after 0.2 s", left);
    struct itimerval old;
    struct itimerval off = {0};
    UT_OK(setitimer(ITIMER_REAL, &off, &old));
    long long old_left = old.it_value.tv_sec * 1000000LL + old.it_value.tv_usec;
    UT_ASSERT(old_left > 0 && old_left <= left, "old value %lld, left %lld", old_left, left);
}

UTEST_CASE(alarm_returns_seconds_left) {
    UT_EQ(alarm(100), 0);
    unsigned left = alarm(5);
    UT_ASSERT(left == 100 || left == 99, "alarm left %u", left);
    left = alarm(0);
    UT_ASSERT(left == 5 || left == 4, "alarm left %u", left);
    UT_EQ(alarm(0), 0);
}

UTEST_CASE(child_starts_without_timer) {
    UT_EQ(alarm(100), 0);
    pid_t pid = fork();
    UT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct itimerval cur;
        getitimer(ITIMER_REAL, &cur);
        _exit(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 ? 0 : 1);
    }
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child inherited the timer: %s", ut_status_str(status));
    UT_ASSERT(alarm(0) > 90, "the parent's timer is gone");
}

UTEST_CASE(default_action_kills) {
    pid_t pid = fork();
    UT_ASSERT(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct itimerval it = {.it_value = {0, 10000}};
        setitimer(ITIMER_REAL, &it, NULL);
        for (;;) pause();
    }
    int status;
    UT_EQ(waitpid(pid, &status, 0), pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM, "child: %s", ut_status_str(status));
}

UTEST_CASE(cpu_timers_count_cpu_time) {
    catch_signal(SIGVTALRM);
    catch_signal(SIGPROF);
    struct itimerval it = {.it_value = {0, 30000}};
    UT_OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
    UT_OK(setitimer(ITIMER_PROF, &it, NULL));
    struct itimerval cur;
    UT_OK(getitimer(ITIMER_VIRTUAL, &cur));
    UT_ASSERT(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 50000, /* a tick of rounding */
              "VIRTUAL value %ld.%06ld", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);
    long long start = now_us();
    volatile unsigned long spin = 0;
    while ((!vtalarms || !profs) && now_us() - start < 20000000) spin++;
    UT_EQ(vtalarms, 1);
    UT_EQ(profs, 1);
    /* Sleeping uses no CPU time: a virtual timer does not advance. */
    UT_OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
    usleep(200000);
    UT_OK(getitimer(ITIMER_VIRTUAL, &cur));
    UT_ASSERT(cur.it_value.tv_usec > 0, "VIRTUAL expired while sleeping");
    UT_EQ(vtalarms, 1);
}

UTEST_CASE(bad_arguments) {
    struct itimerval it = {.it_value = {0, 1000000}};
    UT_ERRNO(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
    it.it_value.tv_usec = -1;
    UT_ERRNO(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
    it.it_value.tv_usec = 0;
    it.it_interval.tv_usec = 1000000;
    UT_ERRNO(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
    struct itimerval cur;
    UT_ERRNO(syscall(SYS_getitimer, 3, &cur), EINVAL);
    UT_ERRNO(syscall(SYS_setitimer, 3, &cur, NULL), EINVAL);
    UT_ERRNO(syscall(SYS_getitimer, ITIMER_REAL, (void*)16), EFAULT);
    UT_ERRNO(syscall(SYS_setitimer, ITIMER_REAL, (void*)16, NULL), EFAULT);
}
