/* cputime: the user/system split of a task's CPU time (getrusage, times): a busy loop in user mode is
 * user time, a loop of cheap system calls shows system time. */
#include "utest.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>

static long long usec(struct timeval tv) { return (long long)tv.tv_sec * 1000000 + tv.tv_usec; }

static void thread_times(long long* user, long long* sys) {
    struct rusage ru;
    if (getrusage(RUSAGE_THREAD, &ru) != 0)
        UT_FAIL("getrusage: %s", strerror(errno));
    *user = usec(ru.ru_utime);
    *sys = usec(ru.ru_stime);
}

/* Runs `step` until this thread has used `cpu_us` more CPU time; returns the user and system shares. */
static void burn(void (*step)(void), long long cpu_us, long long* du, long long* ds) {
    long long u0, s0, u, s;
    thread_times(&u0, &s0);
    do {
        for (int i = 0; i < 1000; i++)
            step();
        thread_times(&u, &s);
    } while ((u - u0) + (s - s0) < cpu_us);
    *du = u - u0;
    *ds = s - s0;
}

static volatile unsigned long sink;
static void user_step(void) {
    for (int i = 0; i < 100; i++)
        sink = sink * 31 + (unsigned long)i;
}
static void syscall_step(void) { sink += (unsigned long)syscall(SYS_getppid); }

UTEST_CASE(busy_loop_is_user_time) {
    long long du, ds;
    burn(user_step, 400000, &du, &ds);
    UT_LOG("user %lld us, system %lld us", du, ds);
    UT_ASSERT(du > 4 * ds, "user %lld us, system %lld us", du, ds);
}

UTEST_CASE(syscall_loop_has_system_time) {
    long long du, ds;
    burn(syscall_step, 400000, &du, &ds);
    UT_LOG("user %lld us, system %lld us", du, ds);
    UT_ASSERT(ds * 10 >= du + ds, "user %lld us, system %lld us: under 10%% system", du, ds);
}

UTEST_CASE(times_agrees_with_getrusage) {
    long long du, ds;
    burn(user_step, 200000, &du, &ds);
    struct tms t;
    UT_ASSERT(times(&t) != (clock_t)-1, "times: %s", strerror(errno));
    struct rusage ru;
    UT_OK(getrusage(RUSAGE_SELF, &ru));
    long hz = sysconf(_SC_CLK_TCK);
    long long ru_user_ticks = usec(ru.ru_utime) * hz / 1000000;
    UT_ASSERT(t.tms_utime >= ru_user_ticks - 2 && t.tms_utime <= ru_user_ticks + 2, "tms_utime %ld, rusage %lld",
              (long)t.tms_utime, ru_user_ticks);
}
