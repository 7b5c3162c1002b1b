/* exec: execve replaces the whole image but keeps the process (PID, parent, open descriptors without
 * FD_CLOEXEC, ignored signals, the signal mask), passes argv and envp, runs #! scripts, and fails with
 * Linux's errno while leaving the caller intact. The program re-executes itself as the new image
 * (`exec --helper MODE ...`), which checks its side and exits 0 when all is as expected. */
#define UTEST_CUSTOM_MAIN
#include "utest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

static int marker = 1; /* set to something else before exec: the new image must show 1 again */
extern char** environ;

/* Runs `self --helper mode args...` in a child (after prepare() there, if any) and returns its status. */
static int run_helper(void (*prepare)(void), char* const* extra_env, const char* mode, const char* a1,
                      const char* a2) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        if (prepare)
            prepare();
        char pid_s[32], ppid_s[32];
        snprintf(pid_s, sizeof pid_s, "%d", (int)getpid());
        snprintf(ppid_s, sizeof ppid_s, "%d", (int)getppid());
        const char* argv[] = {ut_self_path, "--helper", mode, a1 ? a1 : pid_s, a2 ? a2 : ppid_s, NULL};
        char* const* envp = extra_env ? extra_env : environ;
        execve(ut_self_path, (char* const*)argv, envp);
        ut_printf("utest: # exec: execve(%s) failed: %s\n", ut_self_path, ut_errno_name(errno));
        _exit(120);
    }
    return ut_wait(pid);
}

#define EXPECT_HELPER_OK(status)                                                           \
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the new image %s", ut_status_str(status))

UTEST_CASE(keeps_pid_and_parent) {
    int status = run_helper(NULL, NULL, "ids", NULL, NULL);
    EXPECT_HELPER_OK(status);
}

static void* mapped_before_exec;
static void dirty_image(void) {
    marker = 99;
    mapped_before_exec = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped_before_exec == MAP_FAILED)
        _exit(121);
    strcpy(mapped_before_exec, "old image's page");
    char addr[32];
    snprintf(addr, sizeof addr, "%p", mapped_before_exec);
    setenv("UTEST_OLD_MAPPING", addr, 1);
}

UTEST_CASE(replaces_the_image) {
    int status = run_helper(dirty_image, NULL, "image", "-", "-");
    EXPECT_HELPER_OK(status);
}

UTEST_CASE(passes_argv_and_envp) {
    char* env[] = {"FOO=bar", "EMPTY=", "UTEST_TIMEOUT=30", NULL};
    int status = run_helper(NULL, env, "args", "b c", "");
    EXPECT_HELPER_OK(status);
}

static int keep_fd = -1, cloexec_fd = -1;
static void open_fds(void) {
    int p[2];
    if (pipe(p) < 0 || dup2(p[0], 40) < 0 || dup2(p[1], 41) < 0 || fcntl(41, F_SETFD, FD_CLOEXEC) < 0)
        _exit(122);
    keep_fd = 40;
    cloexec_fd = 41;
}

UTEST_CASE(keeps_fds_closes_cloexec) {
    int status = run_helper(open_fds, NULL, "fds", "40", "41");
    EXPECT_HELPER_OK(status);
}

static void on_usr1(int sig) { (void)sig; }
static void set_signals(void) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

UTEST_CASE(resets_handlers_keeps_ignored_and_mask) {
    int status = run_helper(set_signals, NULL, "signals", "-", "-");
    EXPECT_HELPER_OK(status);
}

UTEST_CASE(exit_status_of_new_image) {
    int status = run_helper(NULL, NULL, "exit", "57", "-");
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 57, "the new image %s, expected exit 57",
              ut_status_str(status));
}

static char script_path[256];
UTEST_CASE(runs_shebang_script) {
    ut_scratch(script_path, sizeof script_path, "script");
    int fd = UT_OK(open(script_path, O_WRONLY | O_CREAT | O_TRUNC, 0755));
    char text[512];
    int len = snprintf(text, sizeof text, "#!%s --shebang\nthis is not read by the interpreter\n", ut_self_path);
    UT_EQ(write(fd, text, (size_t)len), len);
    UT_OK(close(fd));
    pid_t pid = ut_fork();
    if (pid == 0) {
        char* argv[] = {script_path, "extra", NULL};
        execve(script_path, argv, environ);
        ut_printf("utest: # exec: execve(%s) failed: %s\n", script_path, ut_errno_name(errno));
        _exit(120);
    }
    int status = ut_wait(pid);
    unlink(script_path);
    EXPECT_HELPER_OK(status);
}

UTEST_CASE(missing_file_enoent) {
    char* argv[] = {"nothing", NULL};
    UT_ERRNO(execve("/nonexistent/program", argv, environ), ENOENT);
    marker = 5; /* still running the old image */
    UT_EQ(marker, 5);
}

static void write_file(const char* path, const void* data, size_t len, mode_t mode) {
    int fd = UT_OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
    UT_EQ(write(fd, data, len), (long)len);
    UT_OK(close(fd));
}

UTEST_CASE(not_an_executable_enoexec) {
    char path[256];
    ut_scratch(path, sizeof path, "garbage");
    static const unsigned char garbage[64] = {0x01, 0x02, 0x03, 0x04, 0x7f, 'E', 'L', 'X'};
    write_file(path, garbage, sizeof garbage, 0755);
    char* argv[] = {path, NULL};
    UT_ERRNO(execve(path, argv, environ), ENOEXEC);
    unlink(path);
}

UTEST_CASE(truncated_elf_fails_cleanly) {
    /* A valid ELF magic with nothing behind it: ENOEXEC (or EIO), never a crash of the caller. */
    char path[256];
    ut_scratch(path, sizeof path, "elfstub");
    static const unsigned char stub[20] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    write_file(path, stub, sizeof stub, 0755);
    char* argv[] = {path, NULL};
    errno = 0;
    int r = execve(path, argv, environ);
    UT_ASSERT(r == -1 && (errno == ENOEXEC || errno == EIO), "execve returned %d errno %s", r, ut_errno_name(errno));
    unlink(path);
}

UTEST_CASE(no_execute_permission_eacces) {
    char path[256];
    ut_scratch(path, sizeof path, "noexec");
    write_file(path, "#!/bin/sh\n", 10, 0644);
    char* argv[] = {path, NULL};
    UT_ERRNO(execve(path, argv, environ), EACCES);
    unlink(path);
}

UTEST_CASE(directory_eacces) {
    char* argv[] = {"/", NULL};
    UT_ERRNO(execve("/", argv, environ), EACCES);
}

/* ---- the re-executed side ---- */

static int helper_main(int argc, char** argv) {
    const char* mode = argv[2];
    if (strcmp(mode, "ids") == 0) {
        int pid = atoi(argv[3]), ppid = atoi(argv[4]);
        if (getpid() != pid || getppid() != ppid) {
            ut_printf("utest: # exec: after exec pid %d ppid %d, before %d %d\n", (int)getpid(), (int)getppid(), pid, ppid);
            return 1;
        }
        return 0;
    }
    if (strcmp(mode, "image") == 0) {
        if (marker != 1) {
            ut_printf("utest: # exec: .data kept the old image's value %d\n", marker);
            return 1;
        }
        const char* old = getenv("UTEST_OLD_MAPPING");
        void* addr = NULL;
        if (!old || sscanf(old, "%p", &addr) != 1)
            return 2;
        /* Unmapped, write(2) from the old address gives EFAULT; if the new image happens to have
         * mapped something there, it must not be the old page. */
        int p[2];
        if (pipe(p) < 0)
            return 2;
        if (write(p[1], addr, 1) == 1 && strcmp(addr, "old image's page") == 0) {
            ut_printf("utest: # exec: the old mapping %p is still there\n", addr);
            return 1;
        }
        return 0;
    }
    if (strcmp(mode, "args") == 0) {
        const char* foo = getenv("FOO");
        const char* empty = getenv("EMPTY");
        int ok = argc == 5 && strcmp(argv[3], "b c") == 0 && strcmp(argv[4], "") == 0 && foo &&
                 strcmp(foo, "bar") == 0 && empty && *empty == 0 && getenv("PATH") == NULL;
        if (!ok)
            ut_printf("utest: # exec: argc %d argv[3] \"%s\" FOO %s\n", argc, argc > 3 ? argv[3] : "", foo ? foo : "(unset)");
        return ok ? 0 : 1;
    }
    if (strcmp(mode, "fds") == 0) {
        int keep = atoi(argv[3]), closed = atoi(argv[4]);
        if (fcntl(keep, F_GETFD) < 0) {
            ut_printf("utest: # exec: fd %d without FD_CLOEXEC was closed\n", keep);
            return 1;
        }
        if (fcntl(closed, F_GETFD) >= 0 || errno != EBADF) {
            ut_printf("utest: # exec: fd %d with FD_CLOEXEC is still open\n", closed);
            return 1;
        }
        return 0;
    }
    if (strcmp(mode, "signals") == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        if (sa.sa_handler != SIG_DFL) {
            ut_printf("utest: # exec: SIGUSR1's handler survived exec\n");
            return 1;
        }
        sigaction(SIGUSR2, NULL, &sa);
        if (sa.sa_handler != SIG_IGN) {
            ut_printf("utest: # exec: ignored SIGUSR2 is no longer ignored\n");
            return 1;
        }
        sigset_t mask;
        sigprocmask(SIG_BLOCK, NULL, &mask);
        if (!sigismember(&mask, SIGHUP)) {
            ut_printf("utest: # exec: the signal mask was not kept\n");
            return 1;
        }
        return 0;
    }
    if (strcmp(mode, "exit") == 0)
        return atoi(argv[3]);
    return 3;
}

static int shebang_main(int argc, char** argv) {
    /* The kernel ran "#!self --shebang" as: self --shebang SCRIPT extra. */
    if (argc != 4 || strcmp(argv[1], "--shebang") != 0 || strcmp(argv[3], "extra") != 0 ||
        strstr(argv[2], "script") == NULL) {
        ut_printf("utest: # exec: #! gave argc %d: %s %s %s\n", argc, argv[1], argc > 2 ? argv[2] : "",
                  argc > 3 ? argv[3] : "");
        return 1;
    }
    return 0;
}

int main(int argc, char** argv) {
    if (argc >= 3 && strcmp(argv[1], "--helper") == 0)
        return helper_main(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "--shebang") == 0)
        return shebang_main(argc, argv);
    return ut_main(argc, argv);
}
