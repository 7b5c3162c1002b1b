/* sys: identity and information calls: uname, getpid/getppid/gettid, getrandom, sysinfo, umask,
 * getcwd at start, and an unknown system call number giving ENOSYS. */
#include "utest.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

UTEST_CASE(uname_fields) {
    struct utsname u;
    memset(&u, 0x7f, sizeof u);
    UT_OK(uname(&u));
    const char* fields[] = {u.sysname, u.nodename, u.release, u.version, u.machine};
    for (int i = 0; i < 5; i++)
        UT_ASSERT(memchr(fields[i], 0, sizeof u.sysname) != NULL, "field %d is not NUL-terminated", i);
    UT_ASSERT(strlen(u.sysname) > 0 && strlen(u.release) > 0 && strlen(u.version) > 0, "an empty field");
    UT_ASSERT(strcmp(u.machine, "x86_64") == 0, "machine \"%s\"", u.machine);
    int major = 0, minor = 0;
    UT_ASSERT(sscanf(u.release, "%d.%d", &major, &minor) == 2, "release \"%s\" is not N.M...", u.release);
}

UTEST_CASE(ids_consistent) {
    pid_t pid = getpid();
    UT_ASSERT(pid > 1, "getpid %d", (int)pid);
    UT_EQ(syscall(SYS_getpid), pid);
    UT_EQ(syscall(SYS_gettid), pid); /* single-threaded: the thread is the group leader */
    pid_t parent = getpid();
    pid_t child = ut_fork();
    if (child == 0)
        _exit(getppid() == parent && getpid() != parent ? 0 : 1);
    UT_ASSERT(child > 0 && child != pid, "fork returned %d", (int)child);
    UT_WAIT_OK(child);
}

UTEST_CASE(getrandom_fills_and_differs) {
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    UT_EQ(getrandom(a, sizeof a, 0), (long)sizeof a);
    UT_EQ(getrandom(b, sizeof b, GRND_NONBLOCK), (long)sizeof b);
    UT_ASSERT(memcmp(a, b, sizeof a) != 0, "two draws are equal");
    int zeros = 0;
    for (size_t i = 0; i < sizeof a; i++)
        zeros += a[i] == 0;
    UT_ASSERT(zeros < 16, "%d zero bytes of 64", zeros);
    UT_EQ(getrandom(a, 0, 0), 0);
    UT_ERRNO(getrandom(a, sizeof a, 0x40000000), EINVAL);
}

UTEST_CASE(getrandom_large_request) {
    static unsigned char big[1 << 16];
    long got = 0;
    while (got < (long)sizeof big) {
        long n = UT_OK(getrandom(big + got, sizeof big - (size_t)got, 0));
        UT_ASSERT(n > 0, "getrandom returned 0");
        got += n;
    }
    unsigned counts[256] = {0};
    for (size_t i = 0; i < sizeof big; i++)
        counts[big[i]]++;
    for (int v = 0; v < 256; v++) /* 256 expected per value: a loose sanity bound */
        UT_ASSERT(counts[v] > 100 && counts[v] < 500, "byte %d appears %u times in 64 KiB", v, counts[v]);
}

UTEST_CASE(sysinfo_sane) {
    struct sysinfo si;
    UT_OK(sysinfo(&si));
    UT_ASSERT(si.totalram > 0 && si.freeram <= si.totalram, "ram %lu free of %lu", si.freeram, si.totalram);
    UT_ASSERT(si.mem_unit >= 1, "mem_unit %u", si.mem_unit);
    UT_ASSERT(si.procs >= 2, "procs %u", si.procs);
    UT_ASSERT(si.uptime >= 0 && si.uptime < 100000, "uptime %ld", si.uptime);
}

UTEST_CASE(umask_applies_and_returns_old) {
    mode_t old = umask(027);
    UT_EQ(umask(022), 027);
    umask(077);
    char path[256];
    ut_scratch(path, sizeof path, "umask");
    int fd = UT_OK(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0666));
    struct stat st;
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_mode & 0777, 0600);
    close(fd);
    unlink(path);
    umask(old);
}

UTEST_CASE(unknown_syscall_enosys) {
    UT_ERRNO(syscall(100000), ENOSYS);
    UT_ERRNO(syscall(-1L), ENOSYS);
    UT_ERRNO(syscall(462 + 500), ENOSYS);
}

UTEST_CASE(sched_yield_and_getpriority) {
    UT_OK(sched_yield());
    errno = 0;
    int prio = getpriority(0, 0);
    UT_ASSERT(errno == 0 && prio == 0, "getpriority %d errno %s", prio, ut_errno_name(errno));
}
