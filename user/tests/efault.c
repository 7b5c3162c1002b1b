/* efault: a system call given a bad user pointer (NULL, unmapped, a kernel address, read-only memory
 * for an output) fails with EFAULT and the process goes on. Raw syscall(2) throughout: libc wrappers
 * (and the vDSO) would touch the pointer in user space first. */
#include "utest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define KERNEL_ADDR ((void*)0xffff888000000000UL)     /* the direct map */
#define NONCANONICAL ((void*)0x0000800000000000UL)    /* just past user space */

static void* unmapped_page(void) {
    void* p = UT_OK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    UT_OK(munmap(p, 4096));
    return p;
}

static void* bad_pointers[4];
static const char* bad_names[4] = {"NULL", "unmapped", "kernel", "non-canonical"};
static void init_bad(void) {
    bad_pointers[0] = NULL;
    bad_pointers[1] = unmapped_page();
    bad_pointers[2] = KERNEL_ADDR;
    bad_pointers[3] = NONCANONICAL;
}

#define EXPECT_EFAULT(call, i)                                                             \
    do {                                                                                   \
        errno = 0;                                                                         \
        long r_ = (call);                                                                  \
        if (r_ != -1 || errno != EFAULT)                                                   \
            UT_FAIL("%s with a %s pointer returned %ld errno %s", #call, bad_names[i], r_, \
                    ut_errno_name(errno));                                                 \
    } while (0)

UTEST_CASE(read_into_bad_buffer) {
    init_bad();
    int p[2];
    UT_OK(pipe2(p, O_NONBLOCK)); /* a read that consumed data anyway must not block the drain */
    for (int i = 0; i < 4; i++) {
        UT_EQ(write(p[1], "data", 4), 4);
        EXPECT_EFAULT(syscall(SYS_read, p[0], bad_pointers[i], 4), i);
        char buf[8];
        syscall(SYS_read, p[0], buf, sizeof buf); /* drain, whatever was consumed */
    }
}

UTEST_CASE(write_from_bad_buffer) {
    init_bad();
    int p[2];
    UT_OK(pipe(p));
    for (int i = 0; i < 4; i++)
        EXPECT_EFAULT(syscall(SYS_write, p[1], bad_pointers[i], 4), i);
    char path[256];
    int fd = UT_OK(open(ut_scratch(path, sizeof path, "f"), O_RDWR | O_CREAT | O_TRUNC, 0644));
    for (int i = 0; i < 4; i++)
        EXPECT_EFAULT(syscall(SYS_write, fd, bad_pointers[i], 4), i);
    struct stat st;
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_size, 0);
    close(fd);
    unlink(path);
}

UTEST_CASE(open_bad_path) {
    init_bad();
    for (int i = 0; i < 4; i++) {
        EXPECT_EFAULT(syscall(SYS_open, bad_pointers[i], O_RDONLY), i);
        EXPECT_EFAULT(syscall(SYS_openat, AT_FDCWD, bad_pointers[i], O_RDONLY), i);
    }
}

UTEST_CASE(stat_bad_path_and_buffer) {
    init_bad();
    struct stat st;
    for (int i = 0; i < 4; i++) {
        EXPECT_EFAULT(syscall(SYS_stat, bad_pointers[i], &st), i);
        EXPECT_EFAULT(syscall(SYS_stat, "/", bad_pointers[i]), i);
        EXPECT_EFAULT(syscall(SYS_fstat, 1, bad_pointers[i]), i);
    }
}

UTEST_CASE(output_into_read_only_memory) {
    void* ro = UT_OK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    bad_names[0] = "read-only";
    int p[2];
    UT_OK(pipe(p));
    UT_EQ(write(p[1], "data", 4), 4);
    errno = 0;
    long r = syscall(SYS_read, p[0], ro, 4);
    UT_ASSERT(r == -1 && errno == EFAULT, "read into read-only memory returned %ld errno %s", r, ut_errno_name(errno));
    errno = 0;
    r = syscall(SYS_fstat, 1, ro);
    UT_ASSERT(r == -1 && errno == EFAULT, "fstat into read-only memory returned %ld errno %s", r, ut_errno_name(errno));
    errno = 0;
    r = syscall(SYS_pipe, ro);
    UT_ASSERT(r == -1 && errno == EFAULT, "pipe into read-only memory returned %ld errno %s", r, ut_errno_name(errno));
}

UTEST_CASE(other_calls_with_bad_pointers) {
    init_bad();
    for (int i = 0; i < 4; i++) {
        EXPECT_EFAULT(syscall(SYS_uname, bad_pointers[i]), i);
        EXPECT_EFAULT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad_pointers[i]), i);
        EXPECT_EFAULT(syscall(SYS_pipe, bad_pointers[i]), i);
        EXPECT_EFAULT(syscall(SYS_getcwd, bad_pointers[i], 64), i);
        EXPECT_EFAULT(syscall(SYS_nanosleep, bad_pointers[i], NULL), i);
        EXPECT_EFAULT(syscall(SYS_execve, bad_pointers[i], NULL, NULL), i);
        EXPECT_EFAULT(syscall(SYS_chdir, bad_pointers[i]), i);
        EXPECT_EFAULT(syscall(SYS_getrandom, bad_pointers[i], 16, 0), i);
        if (i > 0) { /* a NULL new action or mask only asks for the old one */
            EXPECT_EFAULT(syscall(SYS_rt_sigaction, SIGUSR1, bad_pointers[i], NULL, 8), i);
            EXPECT_EFAULT(syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad_pointers[i], NULL, 8), i);
        }
    }
}

UTEST_CASE(wait_status_to_bad_pointer) {
    init_bad();
    for (int i = 1; i < 4; i++) { /* NULL means "no status wanted" */
        pid_t pid = ut_fork();
        if (pid == 0)
            _exit(0);
        EXPECT_EFAULT(syscall(SYS_wait4, pid, bad_pointers[i], 0, NULL), i);
        /* Linux reaps the child before the status copy fails; a kernel that checks first leaves it. */
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        UT_ASSERT(r == pid || (r == -1 && errno == ECHILD), "after the EFAULT waitpid returned %d", (int)r);
    }
}

UTEST_CASE(writev_with_bad_iovec) {
    init_bad();
    int p[2];
    UT_OK(pipe(p));
    for (int i = 0; i < 4; i++) {
        EXPECT_EFAULT(syscall(SYS_writev, p[1], bad_pointers[i], 1), i);
        struct iovec iov = {bad_pointers[i], 4};
        EXPECT_EFAULT(syscall(SYS_writev, p[1], &iov, 1), i);
    }
}

UTEST_CASE(buffer_crossing_into_unmapped_page) {
    /* The first page is fine, the second is not: write copies what it can or fails with EFAULT. */
    char* two = UT_OK(mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    UT_OK(munmap(two + 4096, 4096));
    memset(two, 'z', 4096);
    int p[2];
    UT_OK(pipe(p));
    errno = 0;
    long r = syscall(SYS_write, p[1], two + 4000, 200);
    UT_ASSERT((r == -1 && errno == EFAULT) || (r > 0 && r <= 96), "write across the hole returned %ld errno %s", r,
              ut_errno_name(errno));
}

UTEST_CASE(process_survives_and_works_after_efaults) {
    init_bad();
    int p[2];
    UT_OK(pipe2(p, O_NONBLOCK));
    UT_EQ(write(p[1], "xyz", 3), 3);
    for (int n = 0; n < 100; n++)
        syscall(SYS_read, p[0], bad_pointers[n % 4], 1 + n % 3);
    char buf[4] = {0};
    while (read(p[0], buf, sizeof buf) > 0) {
    }
    memset(buf, 0, sizeof buf);
    UT_EQ(write(p[1], "ok", 2), 2);
    UT_EQ(read(p[0], buf, 2), 2);
    UT_ASSERT(strcmp(buf, "ok") == 0, "got \"%s\"", buf);
}
