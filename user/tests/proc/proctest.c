/* proctest: the process life cycle seen from user space. The integration tests boot it as PID 1
 * (rdinit=/proctest -- MODE), one mode per boot.
 *
 * Until the file system calls land there is no console output from user space, so the verdict is the
 * exit status of init, which the kernel prints when init exits ("Attempted to kill init!
 * exitcode=0x0000NN00"): 0 when every check passed, else the source line of the first check that failed
 * (modulo 256; 255 for a multiple of 256). Checks in a child end the child the same way, and the parent
 * passes the child's code on. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

static void fail(int line) { _exit(line % 256 ? line % 256 : 255); }
#define CHECK(cond)                  \
    do {                             \
        if (!(cond)) fail(__LINE__); \
    } while (0)

static char* const kEnv[] = {"PROCTEST=1", "HOME=/", NULL};

/* A page shared by parent and children (MAP_SHARED survives fork). */
static volatile int* shared_page(void) {
    void* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    return (volatile int*)p;
}

/* Waits for `pid`, which must exit normally; its non-zero code (a failed check) becomes ours. */
static void expect_child_ok(pid_t pid) {
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    if (WEXITSTATUS(status)) _exit(WEXITSTATUS(status));
}

static void itoa10(long v, char* out) {
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    while (n) *out++ = tmp[--n];
    *out = 0;
}

/* --- fork, exit, wait ------------------------------------------------------------------------------ */

static void mode_fork_wait(void) {
    int status;
    pid_t c = fork();
    if (c == 0) _exit(42);
    CHECK(c > 1);
    CHECK(waitpid(c, &status, 0) == c);
    CHECK(status == 42 << 8);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    CHECK(waitpid(-1, &status, 0) == -1 && errno == ECHILD);

    /* WNOHANG while the child still runs. */
    volatile int* flag = shared_page();
    c = fork();
    if (c == 0) {
        while (!*flag) sched_yield();
        _exit(7);
    }
    CHECK(waitpid(c, &status, WNOHANG) == 0);
    *flag = 1;
    CHECK(waitpid(c, &status, 0) == c && WEXITSTATUS(status) == 7);

    /* Killed by a signal. */
    c = fork();
    if (c == 0) {
        kill(getpid(), SIGKILL);
        for (;;) sched_yield();
    }
    CHECK(waitpid(c, &status, 0) == c);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && status == SIGKILL);

    /* waitid's siginfo. */
    c = fork();
    if (c == 0) _exit(3);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, (id_t)c, &si, WEXITED) == 0);
    CHECK(si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_pid == c && si.si_status == 3);

    /* The CPU time of a reaped child is reported (wait4's rusage and RUSAGE_CHILDREN). */
    c = fork();
    if (c == 0) {
        for (volatile long i = 0; i < 20000000; i++) {
        }
        _exit(0);
    }
    struct rusage ru;
    CHECK(wait4(c, &status, 0, &ru) == c && status == 0);
    CHECK(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
    struct rusage children;
    CHECK(getrusage(RUSAGE_CHILDREN, &children) == 0);
    CHECK(children.ru_utime.tv_sec * 1000000 + children.ru_utime.tv_usec >=
          ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec);
    struct tms t;
    CHECK(times(&t) != (clock_t)-1);
    CHECK(t.tms_cutime >= 0);

    /* vfork: the parent resumes only after the child has exited, and sees what it wrote. */
    static volatile int written;
    written = 0;
    c = vfork();
    if (c == 0) {
        written = 1;
        _exit(0);
    }
    CHECK(written == 1);
    expect_child_ok(c);
}

/* --- exec -------------------------------------------------------------------------------------------- */

static void mode_exec(void) {
    /* A child execs and keeps its PID; the new program checks its stack (exec_child). */
    pid_t c = fork();
    if (c == 0) {
        char pid[24];
        itoa10(getpid(), pid);
        char* argv[] = {"/proctest", "exec_child", pid, NULL};
        execve("/proctest", argv, kEnv);
        _exit(99);
    }
    expect_child_ok(c);

    /* Failures leave the caller as it was. */
    char* argv[] = {"x", NULL};
    CHECK(execve("/nonexistent", argv, kEnv) == -1 && errno == ENOENT);
    CHECK(execve("/etc/readme", argv, kEnv) == -1 && errno == EACCES);  /* no execute bit */
    CHECK(execve("/etc", argv, kEnv) == -1 && errno == EACCES);         /* a directory */
    CHECK(execve("/notaprogram", argv, kEnv) == -1 && errno == ENOEXEC);
    CHECK(execve("/etc/readme/x", argv, kEnv) == -1 && errno == ENOTDIR);
    CHECK(execve("/proctest/", argv, kEnv) == -1 && errno == ENOTDIR);
    CHECK(execve("/bin/../etc/./readme", argv, kEnv) == -1 && errno == EACCES); /* . and .. resolve */
    CHECK(execve("", argv, kEnv) == -1 && errno == ENOENT);
    CHECK(execve("/script3.sh", argv, kEnv) == -1 && errno == ELOOP); /* a script that runs itself */

    /* Argument limits: one string beyond 32 pages, or all of them beyond a quarter of RLIMIT_STACK. */
    char* big = malloc(140000);
    CHECK(big != NULL);
    memset(big, 'a', 139999);
    big[139999] = 0;
    char* too_long[] = {"x", big, NULL};
    CHECK(execve("/proctest", too_long, kEnv) == -1 && errno == E2BIG);
    big[120000] = 0;
    char* too_many[24];
    for (int i = 0; i < 23; i++) too_many[i] = big;  /* 23 x 120001 bytes > 2 MiB */
    too_many[23] = NULL;
    CHECK(execve("/proctest", too_many, kEnv) == -1 && errno == E2BIG);
    /* Large but allowed: the strings arrive intact. */
    c = fork();
    if (c == 0) {
        char* ok[] = {"/proctest", "args_child", big, big, NULL};
        execve("/proctest", ok, kEnv);
        _exit(95);
    }
    expect_child_ok(c);
    free(big);

    /* "#!" scripts: the interpreter, its one argument, the script's path, then the script's arguments. */
    c = fork();
    if (c == 0) {
        char* sargv[] = {"script.sh", "a1", NULL};
        execve("/script.sh", sargv, kEnv);
        _exit(98);
    }
    expect_child_ok(c);
    c = fork();
    if (c == 0) {
        char* sargv[] = {"script2.sh", NULL};
        execve("/script2.sh", sargv, kEnv);
        _exit(97);
    }
    expect_child_ok(c);

    /* PID 1 itself execs, and stays PID 1. */
    char* self[] = {"/proctest", "exec_child", "1", NULL};
    execve("/proctest", self, kEnv);
    fail(__LINE__);
}

static void mode_exec_child(int argc, char** argv) {
    CHECK(argc == 3);
    CHECK(getpid() == atoi(argv[2]));
    CHECK(syscall(SYS_gettid) == getpid());  /* the only thread: its own leader (also after a thread exec'd) */
    CHECK(getenv("PROCTEST") && strcmp(getenv("PROCTEST"), "1") == 0);
    CHECK(getauxval(AT_PAGESZ) == 4096);
    CHECK(getauxval(AT_CLKTCK) == 100);
    CHECK(strcmp((const char*)getauxval(AT_EXECFN), "/proctest") == 0);
    CHECK(strcmp((const char*)getauxval(AT_PLATFORM), "x86_64") == 0);
    CHECK(getauxval(AT_RANDOM) != 0);
    CHECK(getauxval(AT_PHNUM) > 0 && getauxval(AT_PHENT) == 56 && getauxval(AT_PHDR) != 0);
    CHECK(getauxval(AT_ENTRY) != 0 && getauxval(AT_BASE) == 0);
    CHECK(getauxval(AT_UID) == getuid() && getauxval(AT_EGID) == getegid() && getauxval(AT_SECURE) == 0);
    /* Linux's layout: argv strings, then envp strings, then the file name at the top. */
    CHECK(argv[1] == argv[0] + strlen(argv[0]) + 1);
    CHECK(environ[0] == argv[2] + strlen(argv[2]) + 1);
    CHECK((const char*)getauxval(AT_EXECFN) == environ[1] + strlen(environ[1]) + 1);
    _exit(0);
}

static void mode_args_child(int argc, char** argv) {
    CHECK(argc == 4);
    for (int i = 2; i < 4; i++) {
        CHECK(strlen(argv[i]) == 120000);
        for (size_t k = 0; k < 120000; k++)
            if (argv[i][k] != 'a') fail(__LINE__);
    }
    _exit(0);
}

static void mode_script_child(int argc, char** argv) {
    CHECK(argc == 4);
    CHECK(strcmp(argv[0], "/proctest") == 0);
    CHECK(strcmp(argv[1], "script_child") == 0);
    CHECK(strcmp(argv[2], "/script.sh") == 0);
    CHECK(strcmp(argv[3], "a1") == 0);
    CHECK(strcmp((const char*)getauxval(AT_EXECFN), "/script.sh") == 0);
    _exit(0);
}

static void mode_script2_child(int argc, char** argv) {
    /* "#! /bin/interp-link  -x  ": blanks around the name and the argument are trimmed. */
    CHECK(argc == 3);
    CHECK(strcmp(argv[0], "/bin/interp-link") == 0);
    CHECK(strcmp(argv[2], "/script2.sh") == 0);
    _exit(0);
}

/* --- orphans and zombies -------------------------------------------------------------------------------- */

static void mode_orphan(void) {
    volatile int* seen = shared_page();
    pid_t c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) {
            while (getppid() != 1) sched_yield();  /* adopted by init (us) once its parent is gone */
            *seen = 1;
            _exit(0);
        }
        _exit(0);
    }
    expect_child_ok(c);
    int status;
    pid_t g = waitpid(-1, &status, 0);  /* init reaps the orphan */
    CHECK(g > 0 && g != c && status == 0);
    CHECK(*seen == 1);
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);
}

static void mode_zombie(void) {
    pid_t c = fork();
    if (c == 0) _exit(5);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, (id_t)c, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == c);
    CHECK(kill(c, 0) == 0);  /* a zombie still has its PID */
    int status;
    CHECK(waitpid(c, &status, 0) == c && WEXITSTATUS(status) == 5);
    CHECK(kill(c, 0) == -1 && errno == ESRCH);  /* reaped: gone */
}

/* --- limits, credentials, process groups ---------------------------------------------------------------- */

static void mode_rlimit(void) {
    struct rlimit r;
    CHECK(getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur == 8 << 20 && r.rlim_max == RLIM_INFINITY);
    CHECK(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == 1024 && r.rlim_max == 4096);
    struct rlimit bad = {5000, 4096};
    CHECK(setrlimit(RLIMIT_NOFILE, &bad) == -1 && errno == EINVAL);
    CHECK(getrlimit(99, &r) == -1 && errno == EINVAL);
    pid_t c = fork();
    if (c == 0) {
        struct rlimit lower = {512, 2048};
        CHECK(setrlimit(RLIMIT_NOFILE, &lower) == 0);
        CHECK(setuid(1000) == 0);
        struct rlimit raise = {512, 4096};
        CHECK(setrlimit(RLIMIT_NOFILE, &raise) == -1 && errno == EPERM);  /* only root raises hard limits */
        struct rlimit one = {1, 1};
        CHECK(setrlimit(RLIMIT_NPROC, &one) == 0);
        CHECK(fork() == -1 && errno == EAGAIN);  /* uid 1000 already has its one process: us */
        _exit(0);
    }
    expect_child_ok(c);
    /* Limits are inherited, and prlimit reads another process's. */
    volatile int* flag = shared_page();
    struct rlimit mine = {256, 4096};
    CHECK(setrlimit(RLIMIT_NOFILE, &mine) == 0);
    c = fork();
    if (c == 0) {
        while (!*flag) sched_yield();
        _exit(0);
    }
    struct rlimit theirs;
    CHECK(prlimit(c, RLIMIT_NOFILE, NULL, &theirs) == 0 && theirs.rlim_cur == 256);
    *flag = 1;
    expect_child_ok(c);
}

static void mode_cred(void) {
    pid_t c = fork();
    if (c == 0) {
        uid_t r, e, s;
        CHECK(getuid() == 0 && geteuid() == 0);
        CHECK(setresuid(1000, 1001, 1002) == 0);
        CHECK(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1001 && s == 1002);
        CHECK(geteuid() == 1001);
        CHECK(setuid(0) == -1 && errno == EPERM);
        CHECK(seteuid(1002) == 0 && geteuid() == 1002);  /* the saved id */
        gid_t g = 5;
        CHECK(setgroups(1, &g) == -1 && errno == EPERM);
        CHECK(setfsuid(4242) == 1002);  /* not allowed: returns the current fsuid, unchanged */
        CHECK(setfsuid(1000) == 1002 && setfsuid(-1) == 1000);
        _exit(0);
    }
    expect_child_ok(c);
    gid_t groups[2] = {7, 3};
    CHECK(setgroups(2, groups) == 0);
    gid_t got[4];
    CHECK(getgroups(0, NULL) == 2);
    CHECK(getgroups(4, got) == 2 && got[0] == 3 && got[1] == 7);
    CHECK(getgroups(1, got) == -1 && errno == EINVAL);
}

static volatile sig_atomic_t child_execd;
static void on_usr1(int sig) {
    (void)sig;
    child_execd = 1;
}

static void mode_pgrp(void) {
    /* As in Linux, init starts in process group 0 and session 0, until it calls setsid(). */
    CHECK(getpgrp() == 0 && getsid(0) == 0);
    CHECK(setsid() == 1 && getpgrp() == 1 && getsid(0) == 1);
    CHECK(setsid() == -1 && errno == EPERM);
    pid_t c = fork();
    if (c == 0) {
        CHECK(getpgrp() == 1 && getsid(0) == 1);
        CHECK(setpgid(0, 0) == 0 && getpgrp() == getpid());
        CHECK(setsid() == -1 && errno == EPERM);  /* a group leader */
        CHECK(setpgid(0, 1) == 0 && getpgrp() == 1);  /* back into init's group */
        _exit(0);
    }
    expect_child_ok(c);
    CHECK(getpgid(c) == -1 && errno == ESRCH);

    /* After the child has exec'd, its parent may no longer move it (EACCES). */
    signal(SIGUSR1, on_usr1);
    c = fork();
    if (c == 0) {
        char* argv[] = {"/proctest", "signal_parent", NULL};
        execve("/proctest", argv, kEnv);
        _exit(99);
    }
    int before = setpgid(c, c);  /* the child may or may not have exec'd yet ... */
    CHECK(before == 0 || errno == EACCES);
    while (!child_execd) sched_yield();
    CHECK(setpgid(c, 1) == -1 && errno == EACCES);  /* ... but now it has */
    CHECK(getpgid(c) == (before == 0 ? c : 1));
    kill(c, SIGKILL);
    int status;
    CHECK(waitpid(c, &status, 0) == c && WIFSIGNALED(status));
}

/* --- threads (raw clone: no pthreads, which need futexes) --------------------------------------------- */

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)
static char thread_stack[2][65536] __attribute__((aligned(16)));

static int thread_exit_alone(void* arg) {
    (void)arg;
    syscall(SYS_exit, 0);  /* this thread only */
    return 0;
}

static int thread_spin(void* arg) {
    (void)arg;
    for (;;) sched_yield();
    return 0;
}

static int thread_exec(void* arg) {
    char* argv[] = {"/proctest", "exec_child", (char*)arg, NULL};
    execve("/proctest", argv, kEnv);
    syscall(SYS_exit_group, 96);
    return 0;
}

static void mode_threads(void) {
    /* A thread shares the tgid, is nobody's child, and its exit zeroes its CLONE_CHILD_CLEARTID word. */
    static volatile pid_t tid_word = -1;
    pid_t ptid = 0;
    pid_t t = clone(thread_exit_alone, thread_stack[0] + sizeof thread_stack[0],
                    THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, NULL, &ptid, NULL, &tid_word);
    CHECK(t > 1 && ptid == t);
    while (tid_word != 0) sched_yield();
    CHECK(waitpid(-1, NULL, WNOHANG | __WALL) == -1 && errno == ECHILD);

    /* exit_group ends every thread of the process: its parent sees one exit, with that status. */
    pid_t c = fork();
    if (c == 0) {
        CHECK(clone(thread_spin, thread_stack[0] + sizeof thread_stack[0], THREAD_FLAGS, NULL) > 0);
        CHECK(clone(thread_spin, thread_stack[1] + sizeof thread_stack[1], THREAD_FLAGS, NULL) > 0);
        _exit(5);
    }
    int status;
    CHECK(waitpid(c, &status, 0) == c && status == 5 << 8);

    /* exec from a thread that is not the leader: the others die, and it takes over the process's PID. */
    c = fork();
    if (c == 0) {
        static char pid[24];
        itoa10(getpid(), pid);
        CHECK(clone(thread_exec, thread_stack[0] + sizeof thread_stack[0], THREAD_FLAGS, pid) > 0);
        for (;;) sched_yield();
    }
    expect_child_ok(c);
}

static void mode_signal_parent(void) {
    kill(getppid(), SIGUSR1);
    for (;;) sched_yield();
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "exec_child")) mode_exec_child(argc, argv);
    if (!strcmp(mode, "script_child")) mode_script_child(argc, argv);
    if (!strcmp(mode, "args_child")) mode_args_child(argc, argv);
    if (!strcmp(mode, "-x")) mode_script2_child(argc, argv);
    if (!strcmp(mode, "signal_parent")) mode_signal_parent();
    CHECK(getpid() == 1);  /* the remaining modes run as init */
    if (!strcmp(mode, "fork_wait")) mode_fork_wait();
    else if (!strcmp(mode, "exec")) mode_exec();
    else if (!strcmp(mode, "orphan")) mode_orphan();
    else if (!strcmp(mode, "zombie")) mode_zombie();
    else if (!strcmp(mode, "rlimit")) mode_rlimit();
    else if (!strcmp(mode, "cred")) mode_cred();
    else if (!strcmp(mode, "pgrp")) mode_pgrp();
    else if (!strcmp(mode, "threads")) mode_threads();
    else fail(__LINE__);
    return 0;
}
