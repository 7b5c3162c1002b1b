/* ubench: the process-management micro-benchmarks, the /init of build/ubench-initramfs.cpio.gz.
 *
 * Each benchmark runs ROUNDS times and reports the median, as
 *     bench: <name> <ns per operation> ns/op (<operations per round> ops x <rounds> rounds)
 * tools/bench/run_bench.py boots this on Tern and on Linux in the same QEMU and compares the lines.
 * Operations:
 *   null_syscall      getppid() through syscall(2)
 *   fork_exit_wait    fork, the child _exits, the parent waits
 *   fork_exec_wait    the same with the child exec'ing /bench/nullprog (no libc, exits at once)
 *   page_fault        first write to a fresh anonymous page (mmap'ed, not populated)
 *   cow_fault         first write, in a forked child, to a page the parent had written
 *   pipe_round_trip   one byte to another process and back through two pipes
 * As PID 1 it powers off at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { ROUNDS = 5, PAGE = 4096 };

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char* what) {
    printf("bench: error: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    if (getpid() == 1)
        reboot(RB_POWER_OFF);
    exit(1);
}

static double bench_null_syscall(long n) {
    long long t = now_ns();
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    return (double)(now_ns() - t) / n;
}

static double bench_fork_exit_wait(long n) {
    long long t = now_ns();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0)
            _exit(0);
        if (waitpid(pid, NULL, 0) != pid)
            die("waitpid");
    }
    return (double)(now_ns() - t) / n;
}

static double bench_fork_exec_wait(long n) {
    long long t = now_ns();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            char* argv[] = {"/bench/nullprog", NULL};
            char* envp[] = {NULL};
            execve(argv[0], argv, envp);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            die("exec of /bench/nullprog");
    }
    return (double)(now_ns() - t) / n;
}

static double bench_page_fault(long n) {
    char* p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    madvise(p, (size_t)n * PAGE, MADV_NOHUGEPAGE); /* one fault per 4 KiB page on both kernels */
    long long t = now_ns();
    for (long i = 0; i < n; i++)
        p[i * PAGE] = 1;
    double ns = (double)(now_ns() - t) / n;
    munmap(p, (size_t)n * PAGE);
    return ns;
}

static double bench_cow_fault(long n) {
    char* p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    madvise(p, (size_t)n * PAGE, MADV_NOHUGEPAGE);
    for (long i = 0; i < n; i++)
        p[i * PAGE] = 1;
    int fds[2];
    if (pipe(fds) < 0)
        die("pipe");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        long long t = now_ns();
        for (long i = 0; i < n; i++)
            p[i * PAGE] = 2;
        double ns = (double)(now_ns() - t) / n;
        write(fds[1], &ns, sizeof ns);
        _exit(0);
    }
    double ns = -1;
    if (read(fds[0], &ns, sizeof ns) != sizeof ns)
        die("cow child");
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    munmap(p, (size_t)n * PAGE);
    return ns;
}

static double bench_pipe_round_trip(long n) {
    int there[2], back[2];
    if (pipe(there) < 0 || pipe(back) < 0)
        die("pipe");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        close(there[1]);
        close(back[0]);
        char c;
        while (read(there[0], &c, 1) == 1)
            if (write(back[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(there[0]);
    close(back[1]);
    char c = 'x';
    long long t = now_ns();
    for (long i = 0; i < n; i++)
        if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
            die("pipe round trip");
    double ns = (double)(now_ns() - t) / n;
    close(there[1]);
    close(back[0]);
    waitpid(pid, NULL, 0);
    return ns;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

struct bench {
    const char* name;
    double (*run)(long n);
    long ops;
};

int main(int argc, char** argv) {
    static const struct bench benches[] = {
        {"null_syscall", bench_null_syscall, 100000},
        {"fork_exit_wait", bench_fork_exit_wait, 200},
        {"fork_exec_wait", bench_fork_exec_wait, 200},
        {"page_fault", bench_page_fault, 4096},
        {"cow_fault", bench_cow_fault, 2048},
        {"pipe_round_trip", bench_pipe_round_trip, 5000},
    };
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("bench: start\n");
    for (size_t b = 0; b < sizeof benches / sizeof benches[0]; b++) {
        if (argc > 1 && strstr(argv[1], benches[b].name) == NULL)
            continue;
        double r[ROUNDS];
        benches[b].run(benches[b].ops / 10 + 1); /* warm up */
        for (int i = 0; i < ROUNDS; i++)
            r[i] = benches[b].run(benches[b].ops);
        qsort(r, ROUNDS, sizeof r[0], cmp_double);
        printf("bench: %s %.0f ns/op (%ld ops x %d rounds, min %.0f max %.0f)\n", benches[b].name, r[ROUNDS / 2],
               benches[b].ops, ROUNDS, r[0], r[ROUNDS - 1]);
    }
    printf("bench: done\n");
    fflush(stdout);
    if (getpid() == 1) {
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
