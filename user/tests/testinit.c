/* testinit: the /init of the user-test initramfs.
 *
 * As PID 1 it mounts what it can (proc on /proc, devtmpfs on /dev, tmpfs on /tmp; errors are ignored:
 * the tests skip what is missing), then runs each test program in turn (fork, exec, wait), relaying its
 * output to the console and counting its "utest:" lines, with a time limit per program. A program that
 * crashes, times out or ends without its DONE line is reported as "utest: FAIL <program>._run: ...".
 * At the end it prints "utest: ALL passed=N failed=M skipped=K" and powers the machine off.
 *
 * Which programs: the arguments (kernel command line after "--"), else the names in /etc/utests, one a
 * line; a name without '/' is /utests/<name>. The environment variable `utests=a,b` (kernel command line
 * `utests=a,b`) keeps only those; `utest_timeout=S` sets the per-program limit (default 600 s).
 *
 * It needs only fork, execve, wait4, pipe, read, write and alarm; without pipe it lets programs write
 * to the console directly and counts programs instead of cases.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAX_PROGRAMS = 64 };

static void say(const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    if (n > 0)
        write(1, buf, (size_t)n);
}

static void mount_if_possible(const char* source, const char* target, const char* type) {
    mkdir(target, 0755);
    if (mount(source, target, type, 0, NULL) < 0 && errno != EBUSY)
        say("testinit: mount %s on %s: %s (continuing)\n", type, target, strerror(errno));
}

/* Makes sure descriptors 0, 1 and 2 exist (a kernel may start init without them). */
static void ensure_console(void) {
    if (fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0)
        return;
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0)
        return; /* nowhere to report: carry on, the harness will see nothing and fail the run */
    for (int i = 0; i < 3; i++)
        if (fcntl(i, F_GETFD) < 0)
            dup2(fd, i);
    if (fd > 2)
        close(fd);
}

struct counts {
    int passed, failed, skipped;
};

/* Counts the "utest:" lines in the stream it is fed, line by line across reads. */
struct line_parser {
    char line[1024];
    size_t len;
    int done_seen;
};

static void parse_line(struct line_parser* lp, struct counts* c) {
    lp->line[lp->len] = 0;
    const char* p = strstr(lp->line, "utest: ");
    if (!p)
        return;
    p += 7;
    if (strncmp(p, "PASS ", 5) == 0)
        c->passed++;
    else if (strncmp(p, "FAIL ", 5) == 0)
        c->failed++;
    else if (strncmp(p, "SKIP ", 5) == 0)
        c->skipped++;
    else if (strncmp(p, "DONE ", 5) == 0)
        lp->done_seen = 1;
}

static void feed(struct line_parser* lp, struct counts* c, const char* data, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (data[i] == '\n') {
            parse_line(lp, c);
            lp->len = 0;
        } else if (lp->len < sizeof lp->line - 1) {
            lp->line[lp->len++] = data[i];
        }
    }
}

static volatile sig_atomic_t ticks;
static void on_alarm(int sig) {
    (void)sig;
    ticks++;
}

static long long now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Reaps every exited child (orphans of the tests included); returns 1 and sets *status if `pid` was. */
static int reap(pid_t pid, int* status) {
    int found = 0, st;
    pid_t r;
    while ((r = waitpid(-1, &st, WNOHANG)) > 0) {
        if (r == pid) {
            *status = st;
            found = 1;
        }
    }
    return found;
}

/* Reports how a program ended when that was not by finishing its cases. `piped`: its output was counted
 * (so a FAIL line it printed itself, like the exec failure below, is already in the totals). */
static void describe_end(const char* name, int status, int timed_out, int done_seen, int piped,
                         struct counts* total) {
    if (timed_out) {
        say("utest: FAIL %s._run: timed out\n", name);
        total->failed++;
    } else if (WIFSIGNALED(status)) {
        say("utest: FAIL %s._run: killed by signal %d (%s)\n", name, WTERMSIG(status), strsignal(WTERMSIG(status)));
        total->failed++;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !done_seen) {
        total->failed += !piped; /* exec failed: the child said so */
    } else if (!done_seen) {
        say("utest: FAIL %s._run: %s without its DONE line\n", name, WIFEXITED(status) ? "exited" : "ended");
        total->failed++;
    }
}

static void run_program(const char* path, const char* name, unsigned timeout, struct counts* total) {
    int out[2];
    int piped = pipe(out) == 0;
    pid_t pid = fork();
    if (pid < 0) {
        say("utest: FAIL %s._run: fork: %s\n", name, strerror(errno));
        total->failed++;
        return;
    }
    if (pid == 0) {
        if (piped) {
            dup2(out[1], 1);
            dup2(out[1], 2);
            close(out[0]);
            close(out[1]);
        }
        signal(SIGALRM, SIG_DFL);
        char* argv[] = {(char*)path, NULL};
        execv(path, argv);
        say("utest: FAIL %s._run: execv %s: %s\n", name, path, strerror(errno));
        _exit(127);
    }
    long long deadline = now_s() + timeout;
    int status = 0, exited = 0, timed_out = 0;
    struct line_parser lp = {.len = 0, .done_seen = 0};
    if (!piped) {
        /* No pipe: wait, and count the program as one case. */
        while (!exited && !timed_out) {
            alarm(1);
            pause();
            exited = reap(pid, &status);
            timed_out = !exited && now_s() > deadline;
        }
        alarm(0);
        if (timed_out) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            total->passed++;
        else
            describe_end(name, status, timed_out, 0, 0, total);
        return;
    }
    close(out[1]);
    char buf[4096];
    for (;;) {
        alarm(1); /* wake up at least once a second to reap and to check the time */
        ssize_t n = read(out[0], buf, sizeof buf);
        alarm(0);
        if (n > 0) {
            write(1, buf, (size_t)n);
            feed(&lp, total, buf, (size_t)n);
            continue;
        }
        if (n == 0)
            break; /* every writer has gone */
        if (errno != EINTR)
            break;
        if (!exited)
            exited = reap(pid, &status);
        if (exited) {
            /* The program has ended but something it left behind holds the pipe: take what is
             * buffered and stop. */
            fcntl(out[0], F_SETFL, O_NONBLOCK);
            while ((n = read(out[0], buf, sizeof buf)) > 0) {
                write(1, buf, (size_t)n);
                feed(&lp, total, buf, (size_t)n);
            }
            break;
        }
        if (now_s() > deadline) {
            timed_out = 1;
            kill(pid, SIGKILL);
            break;
        }
    }
    close(out[0]);
    if (lp.len > 0) { /* a last line without its newline */
        write(1, "\n", 1);
        parse_line(&lp, total);
    }
    while (!exited) {
        pid_t r = waitpid(pid, &status, 0);
        if (r == pid || (r < 0 && errno != EINTR))
            exited = 1;
    }
    reap(-2, &status); /* and any orphans that ended meanwhile */
    describe_end(name, status, timed_out, lp.done_seen, 1, total);
}

/* Is `name` in the comma-separated list `only` (NULL: everything is)? */
static int selected(const char* only, const char* name) {
    if (!only || !*only)
        return 1;
    size_t len = strlen(name);
    for (const char* p = only; *p;) {
        const char* end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        p += n + (end ? 1 : 0);
    }
    return 0;
}

static int load_list(char** names, int max) {
    int fd = open("/etc/utests", O_RDONLY);
    if (fd < 0)
        return 0;
    static char text[8192];
    ssize_t len = 0, n;
    while (len < (ssize_t)sizeof text - 1 && (n = read(fd, text + len, sizeof text - 1 - (size_t)len)) > 0)
        len += n;
    close(fd);
    text[len] = 0;
    int count = 0;
    for (char* line = strtok(text, "\n"); line && count < max; line = strtok(NULL, "\n"))
        if (line[0] && line[0] != '#')
            names[count++] = line;
    return count;
}

int main(int argc, char** argv) {
    int is_init = getpid() == 1;
    if (is_init) {
        mount_if_possible("devtmpfs", "/dev", "devtmpfs");
        ensure_console();
        mount_if_possible("proc", "/proc", "proc");
        mount_if_possible("tmpfs", "/tmp", "tmpfs");
        setsid();
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the alarm interrupts read and pause */
    sigaction(SIGALRM, &sa, NULL);

    char* names[MAX_PROGRAMS];
    int count = 0;
    for (int i = 1; i < argc && count < MAX_PROGRAMS; i++)
        names[count++] = argv[i];
    if (count == 0)
        count = load_list(names, MAX_PROGRAMS);
    const char* only = getenv("utests");
    unsigned timeout = 600;
    if (getenv("utest_timeout") && atoi(getenv("utest_timeout")) > 0)
        timeout = (unsigned)atoi(getenv("utest_timeout"));

    say("utest: START programs=%d\n", count);
    struct counts total = {0, 0, 0};
    int programs = 0;
    for (int i = 0; i < count; i++) {
        const char* slash = strrchr(names[i], '/');
        const char* name = slash ? slash + 1 : names[i];
        if (!selected(only, name))
            continue;
        char path[256];
        if (slash)
            snprintf(path, sizeof path, "%s", names[i]);
        else
            snprintf(path, sizeof path, "/utests/%s", names[i]);
        run_program(path, name, timeout, &total);
        programs++;
    }
    say("utest: ALL passed=%d failed=%d skipped=%d programs=%d\n", total.passed, total.failed, total.skipped,
        programs);
    if (!is_init)
        return total.failed ? 1 : 0;
    sync();
    reboot(RB_POWER_OFF);
    say("testinit: reboot(RB_POWER_OFF) failed: %s; exiting\n", strerror(errno));
    return total.failed ? 1 : 0;
}
