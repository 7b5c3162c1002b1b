/* rlimit: the resource limits Linux enforces, with Linux's defaults for init's children, its errnos,
 * and its permission rules. */
#include "utest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>

static void set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {soft, hard};
    UT_OK(setrlimit(resource, &rl));
}

UTEST_CASE(defaults_are_linux_defaults) {
    struct rlimit rl;
    UT_OK(getrlimit(RLIMIT_STACK, &rl));
    UT_EQ(rl.rlim_cur, 8 * 1024 * 1024);
    UT_ASSERT(rl.rlim_max == RLIM_INFINITY, "stack hard limit %llu", (unsigned long long)rl.rlim_max);
    UT_OK(getrlimit(RLIMIT_NOFILE, &rl));
    UT_EQ(rl.rlim_cur, 1024);
    UT_EQ(rl.rlim_max, 4096);
    UT_OK(getrlimit(RLIMIT_AS, &rl));
    UT_ASSERT(rl.rlim_cur == RLIM_INFINITY && rl.rlim_max == RLIM_INFINITY, "RLIMIT_AS is limited");
    UT_OK(getrlimit(RLIMIT_CORE, &rl));
    UT_EQ(rl.rlim_cur, 0);
    UT_OK(getrlimit(RLIMIT_NPROC, &rl));
    UT_ASSERT(rl.rlim_cur > 0 && rl.rlim_cur == rl.rlim_max, "RLIMIT_NPROC %llu/%llu",
              (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
}

UTEST_CASE(nofile_gives_emfile) {
    set_limit(RLIMIT_NOFILE, 16, 16);
    int highest = -1;
    for (int i = 0; i < 32; i++) {
        int fd = dup(1);
        if (fd < 0) {
            UT_ASSERT(errno == EMFILE, "dup failed with %s, expected EMFILE", ut_errno_name(errno));
            break;
        }
        highest = fd;
    }
    UT_EQ(highest, 15);
    int p[2];
    UT_ERRNO(pipe(p), EMFILE);
    UT_ERRNO(open("/", O_RDONLY), EMFILE);
    UT_ERRNO(fcntl(1, F_DUPFD, 0), EMFILE);
    UT_OK(close(highest));
    UT_EQ(dup(1), highest); /* the lowest free descriptor */
}

UTEST_CASE(nofile_bounds_dup2_target) {
    set_limit(RLIMIT_NOFILE, 16, 16);
    UT_ERRNO(dup2(1, 16), EBADF);
    UT_EQ(dup2(1, 15), 15);
    UT_ERRNO(fcntl(1, F_DUPFD, 16), EINVAL);
}

UTEST_CASE(nproc_gives_eagain_after_setuid) {
    set_limit(RLIMIT_NPROC, 1, 1);
    UT_OK(setgid(65534));
    UT_OK(setuid(65534)); /* the only process of uid 65534: it is at its limit */
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    UT_ASSERT(pid == -1 && errno == EAGAIN, "fork returned %d errno %s, expected EAGAIN", (int)pid, ut_errno_name(errno));
}

UTEST_CASE(nproc_does_not_bind_root) {
    set_limit(RLIMIT_NPROC, 1, 1);
    pid_t pid = ut_fork();
    if (pid == 0)
        _exit(0);
    UT_WAIT_OK(pid);
}

UTEST_CASE(as_gives_enomem) {
    set_limit(RLIMIT_AS, 64UL << 20, 64UL << 20);
    errno = 0;
    void* p = mmap(NULL, 128UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    UT_ASSERT(p == MAP_FAILED && errno == ENOMEM, "128 MiB mmap under a 64 MiB limit: %p errno %s", p, ut_errno_name(errno));
    void* small = UT_OK(mmap(NULL, 1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    UT_OK(munmap(small, 1UL << 20));
    errno = 0;
    void* heap = sbrk(128L << 20);
    UT_ASSERT(heap == (void*)-1 && errno == ENOMEM, "128 MiB sbrk under a 64 MiB limit: %p", heap);
    UT_ASSERT(malloc(128UL << 20) == NULL, "malloc of 128 MiB succeeded under a 64 MiB limit");
}

/* Uses about `bytes` of stack, touching every page. */
__attribute__((noinline)) static int use_stack(long bytes) {
    volatile char frame[2048];
    frame[0] = (char)bytes;
    frame[sizeof frame - 1] = 1;
    if (bytes <= (long)sizeof frame)
        return frame[0];
    return use_stack(bytes - (long)sizeof frame) + frame[sizeof frame - 1];
}

UTEST_CASE(stack_grows_within_limit) {
    use_stack(4L << 20); /* 4 MiB of the default 8 MiB */
}

UTEST_CASE(stack_limit_gives_sigsegv) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        struct rlimit rl = {256 * 1024, RLIM_INFINITY};
        setrlimit(RLIMIT_STACK, &rl);
        use_stack(2L << 20);
        _exit(0);
    }
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "the child %s, expected SIGSEGV",
              ut_status_str(status));
}

UTEST_CASE(fsize_gives_efbig) {
    char path[256];
    ut_scratch(path, sizeof path, "fsize");
    int fd = UT_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    signal(SIGXFSZ, SIG_IGN);
    set_limit(RLIMIT_FSIZE, 1000, RLIM_INFINITY);
    static char buf[2000];
    UT_EQ(write(fd, buf, sizeof buf), 1000); /* a short write up to the limit */
    UT_ERRNO(write(fd, buf, 1), EFBIG);
    close(fd);
    unlink(path);
}

UTEST_CASE(fsize_sends_sigxfsz) {
    char path[256];
    ut_scratch(path, sizeof path, "fsize");
    pid_t pid = ut_fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        struct rlimit rl = {0, RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &rl);
        write(fd, "x", 1);
        _exit(0);
    }
    int status = ut_wait(pid);
    unlink(path);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ, "the child %s, expected SIGXFSZ",
              ut_status_str(status));
}

UTEST_CASE(soft_above_hard_einval) {
    struct rlimit rl = {200, 100};
    UT_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
    UT_ERRNO(setrlimit(1000, &rl), EINVAL);
}

UTEST_CASE(nonroot_cannot_raise_hard_limit) {
    set_limit(RLIMIT_NOFILE, 64, 128);
    UT_OK(setuid(65534));
    struct rlimit rl = {64, 256};
    UT_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
    rl.rlim_cur = 100;
    rl.rlim_max = 100;
    UT_OK(setrlimit(RLIMIT_NOFILE, &rl)); /* lowering is always allowed */
    rl.rlim_max = 128;
    UT_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EPERM); /* and cannot be undone */
}

UTEST_CASE(root_can_raise_hard_limit) {
    set_limit(RLIMIT_NOFILE, 64, 128);
    set_limit(RLIMIT_NOFILE, 64, 2048);
}

UTEST_CASE(limits_inherited_by_children) {
    set_limit(RLIMIT_NOFILE, 77, 99);
    pid_t pid = ut_fork();
    if (pid == 0) {
        struct rlimit rl;
        getrlimit(RLIMIT_NOFILE, &rl);
        _exit(rl.rlim_cur == 77 && rl.rlim_max == 99 ? 0 : 1);
    }
    UT_WAIT_OK(pid);
}

UTEST_CASE(prlimit_reads_and_sets_another_process) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    struct rlimit want = {33, 44}, old, now;
    UT_OK(prlimit(pid, RLIMIT_NOFILE, &want, &old));
    UT_EQ(old.rlim_cur, 1024);
    UT_OK(prlimit(pid, RLIMIT_NOFILE, NULL, &now));
    UT_EQ(now.rlim_cur, 33);
    UT_EQ(now.rlim_max, 44);
    kill(pid, SIGKILL);
    ut_wait(pid);
}
