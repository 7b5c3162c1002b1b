/* clock: the clocks move forward at the right rate: CLOCK_MONOTONIC never goes back (through the
 * system call and through libc, which may use a vDSO), sleeps last at least as long as asked, the
 * realtime clock is a plausible date, and resolutions are reported. */
#include "utest.h"

#include <sys/time.h>

static long long ts_ns(struct timespec ts) { return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec; }

static long long raw_clock(clockid_t id) {
    struct timespec ts;
    if (syscall(SYS_clock_gettime, id, &ts) != 0)
        UT_FAIL("clock_gettime(%d) failed: %s", (int)id, ut_errno_name(errno));
    UT_ASSERT(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L, "tv_nsec %ld out of range", ts.tv_nsec);
    return ts_ns(ts);
}

UTEST_CASE(monotonic_never_goes_back_syscall) {
    long long prev = raw_clock(CLOCK_MONOTONIC);
    for (int i = 0; i < 20000; i++) {
        long long now = raw_clock(CLOCK_MONOTONIC);
        UT_ASSERT(now >= prev, "went back by %lld ns at reading %d", prev - now, i);
        prev = now;
    }
}

UTEST_CASE(monotonic_never_goes_back_libc) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long prev = ts_ns(ts);
    for (int i = 0; i < 20000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        long long now = ts_ns(ts);
        UT_ASSERT(now >= prev, "went back by %lld ns at reading %d", prev - now, i);
        prev = now;
    }
}

UTEST_CASE(monotonic_across_processes) {
    /* A reading taken after a child's reading (ordered by wait) is not earlier than it. */
    for (int i = 0; i < 5; i++) {
        int p[2];
        UT_OK(pipe(p));
        pid_t pid = ut_fork();
        if (pid == 0) {
            long long t = raw_clock(CLOCK_MONOTONIC);
            write(p[1], &t, sizeof t);
            _exit(0);
        }
        UT_WAIT_OK(pid);
        long long child_t = 0;
        UT_EQ(read(p[0], &child_t, sizeof child_t), (long)sizeof child_t);
        long long now = raw_clock(CLOCK_MONOTONIC);
        UT_ASSERT(now >= child_t, "parent reading %lld before the child's %lld", now, child_t);
        close(p[0]);
        close(p[1]);
    }
}

UTEST_CASE(nanosleep_lasts_at_least_the_request) {
    for (long ms = 1; ms <= 64; ms *= 4) {
        long long start = raw_clock(CLOCK_MONOTONIC);
        struct timespec req = {0, ms * 1000000L};
        UT_OK(nanosleep(&req, NULL));
        long long slept = raw_clock(CLOCK_MONOTONIC) - start;
        UT_ASSERT(slept >= ms * 1000000LL, "slept %lld ns for %ld ms", slept, ms);
        UT_ASSERT(slept < ms * 1000000LL + 2000000000LL, "slept %lld ns for %ld ms", slept, ms);
    }
    struct timespec bad = {0, 1000000000L};
    UT_ERRNO(nanosleep(&bad, NULL), EINVAL);
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    UT_ERRNO(nanosleep(&bad, NULL), EINVAL);
}

UTEST_CASE(clock_nanosleep_absolute) {
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += 20000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    UT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL), 0);
    UT_ASSERT(raw_clock(CLOCK_MONOTONIC) >= ts_ns(deadline), "woke before the deadline");
}

static void on_alarm(int sig) { (void)sig; }

UTEST_CASE(interrupted_sleep_reports_remaining) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}}; /* 50 ms */
    UT_OK(setitimer(ITIMER_REAL, &it, NULL));
    struct timespec req = {5, 0}, rem = {0, 0};
    UT_ERRNO(nanosleep(&req, &rem), EINTR);
    long long left = ts_ns(rem);
    UT_ASSERT(left > 3000000000LL && left < 5000000000LL, "remaining %lld ns", left);
}

UTEST_CASE(realtime_is_a_plausible_date) {
    long long now = raw_clock(CLOCK_REALTIME);
    UT_ASSERT(now > 1577836800LL * 1000000000LL, "CLOCK_REALTIME %lld is before 2020", now / 1000000000LL);
    struct timeval tv;
    UT_OK(gettimeofday(&tv, NULL));
    UT_ASSERT(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec %ld", (long)tv.tv_usec);
    long long diff = (long long)tv.tv_sec - now / 1000000000LL;
    UT_ASSERT(diff >= 0 && diff <= 2, "gettimeofday and CLOCK_REALTIME differ by %lld s", diff);
    time_t t = time(NULL);
    UT_ASSERT(t >= now / 1000000000LL, "time() %ld", (long)t);
}

UTEST_CASE(other_clocks) {
    long long mono = raw_clock(CLOCK_MONOTONIC);
    long long boot = raw_clock(CLOCK_BOOTTIME);
    UT_ASSERT(boot >= mono, "CLOCK_BOOTTIME %lld below CLOCK_MONOTONIC %lld", boot, mono);
    long long raw = raw_clock(CLOCK_MONOTONIC_RAW);
    UT_ASSERT(raw > 0, "CLOCK_MONOTONIC_RAW %lld", raw);
    raw_clock(CLOCK_MONOTONIC_COARSE);
    raw_clock(CLOCK_REALTIME_COARSE);
    long long cpu0 = raw_clock(CLOCK_PROCESS_CPUTIME_ID);
    volatile unsigned long x = 0;
    long long end = mono + 20000000LL;
    while (raw_clock(CLOCK_MONOTONIC) < end)
        x++;
    long long cpu1 = raw_clock(CLOCK_THREAD_CPUTIME_ID);
    UT_ASSERT(cpu1 > cpu0, "thread CPU time %lld not above process CPU time %lld after spinning", cpu1, cpu0);
    struct timespec ts;
    UT_ERRNO(syscall(SYS_clock_gettime, 12345, &ts), EINVAL);
}

UTEST_CASE(resolution_reported) {
    struct timespec res;
    UT_OK(clock_getres(CLOCK_MONOTONIC, &res));
    UT_ASSERT(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000L, "monotonic resolution %ld ns", res.tv_nsec);
    UT_OK(clock_getres(CLOCK_REALTIME, &res));
    UT_ASSERT(res.tv_sec == 0 && res.tv_nsec > 0, "realtime resolution %ld ns", res.tv_nsec);
}

UTEST_CASE(monotonic_rate_matches_sleep) {
    /* Over 200 ms of sleep, the monotonic clock advances 200 ms (not, say, 2 ms or 2 s). */
    long long start = raw_clock(CLOCK_MONOTONIC);
    ut_sleep_ms(200);
    long long d = raw_clock(CLOCK_MONOTONIC) - start;
    UT_ASSERT(d >= 200000000LL && d < 1500000000LL, "200 ms sleep measured as %lld ns", d);
}
