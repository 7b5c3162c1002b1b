/* procfs: /proc as ps, top, free and glibc read it: the calling process's stat/status/cmdline/maps
 * against its own ids and memory, a child's directory while it lives and after, the system files'
 * formats, and /sys's CPU list against sysconf. */
#include "utest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

/* The whole of a small file into buf (NUL-terminated); returns its length. Reads in small pieces, as a
 * careless reader would: the text must continue consistently. */
static long read_file(const char* path, char* buf, size_t size) {
    int fd = UT_OK(open(path, O_RDONLY));
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, size - 1 - len < 97 ? size - 1 - len : 97);
        if (n < 0)
            UT_FAIL("read %s: %s", path, strerror(errno));
        if (n == 0 || len + (size_t)n >= size - 1) {
            len += (size_t)n;
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return (long)len;
}

/* The line of `text` starting with `prefix`, or NULL. */
static const char* find_line(const char* text, const char* prefix) {
    size_t n = strlen(prefix);
    for (const char* p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, prefix, n) == 0)
            return p;
    return NULL;
}

struct proc_stat {
    int pid, ppid, pgrp, session;
    char comm[64];
    char state;
    int fields; /* after comm, counting state */
    unsigned long long vsize, startstack;
};

static void parse_stat(const char* text, struct proc_stat* s) {
    memset(s, 0, sizeof *s);
    UT_ASSERT(sscanf(text, "%d (", &s->pid) == 1, "stat \"%.60s\"", text);
    const char* open_paren = strchr(text, '(');
    const char* close_paren = strrchr(text, ')');
    UT_ASSERT(open_paren && close_paren && close_paren > open_paren, "no (comm) in \"%.60s\"", text);
    size_t len = (size_t)(close_paren - open_paren - 1);
    UT_ASSERT(len < sizeof s->comm, "comm of %zu bytes", len);
    memcpy(s->comm, open_paren + 1, len);
    UT_ASSERT(sscanf(close_paren + 2, "%c %d %d %d", &s->state, &s->ppid, &s->pgrp, &s->session) == 4,
              "fields after comm \"%.40s\"", close_paren + 2);
    int fields = 0;
    const char* p = close_paren + 1;
    unsigned long long value = 0;
    while (*p && *p != '\n') {
        while (*p == ' ')
            p++;
        if (!*p || *p == '\n')
            break;
        fields++;
        if (fields == 21 || fields == 26)
            value = strtoull(p, NULL, 10);
        if (fields == 21)
            s->vsize = value;
        if (fields == 26)
            s->startstack = value;
        while (*p && *p != ' ' && *p != '\n')
            p++;
    }
    s->fields = fields;
}

UTEST_CASE(self_stat_matches_ids) {
    static char buf[4096];
    read_file("/proc/self/stat", buf, sizeof buf);
    struct proc_stat s;
    parse_stat(buf, &s);
    UT_EQ(s.pid, getpid());
    UT_EQ(s.ppid, getppid());
    UT_EQ(s.pgrp, getpgrp());
    UT_EQ(s.session, getsid(0));
    UT_ASSERT(s.state == 'R', "state %c of the reader", s.state);
    UT_EQ(s.fields, 50); /* 52 fields: pid and comm, then 50 */
    UT_ASSERT(buf[strlen(buf) - 1] == '\n', "no newline at the end");
    int local = 0;
    UT_ASSERT(s.vsize > 0, "vsize 0");
    /* startstack is above this frame's local variables */
    UT_ASSERT(s.startstack > (unsigned long long)(uintptr_t)&local, "startstack %llx below %p", s.startstack,
              (void*)&local);
}

UTEST_CASE(status_and_comm) {
    static char status[8192], comm[64];
    read_file("/proc/self/status", status, sizeof status);
    read_file("/proc/self/comm", comm, sizeof comm);
    char want[128];
    snprintf(want, sizeof want, "Name:\t%s", comm); /* comm ends with its newline */
    UT_ASSERT(find_line(status, want), "no \"Name:\" line matching comm \"%s\"", comm);
    UT_ASSERT(strncmp(comm, ut_program, strlen(comm) - 1) == 0, "comm \"%s\" for program %s", comm, ut_program);
    snprintf(want, sizeof want, "Pid:\t%d\n", (int)getpid());
    UT_ASSERT(find_line(status, want), "no \"%s\"", want);
    snprintf(want, sizeof want, "PPid:\t%d\n", (int)getppid());
    UT_ASSERT(find_line(status, want), "no \"%s\"", want);
    snprintf(want, sizeof want, "Tgid:\t%d\n", (int)getpid());
    UT_ASSERT(find_line(status, want), "no \"%s\"", want);
    UT_ASSERT(find_line(status, "State:\tR (running)\n"), "state line");
    UT_ASSERT(find_line(status, "Threads:\t1\n"), "threads line");
    snprintf(want, sizeof want, "Uid:\t%d\t%d\t", (int)getuid(), (int)geteuid());
    UT_ASSERT(find_line(status, want), "no \"%s\"", want);
    UT_ASSERT(find_line(status, "VmRSS:"), "no VmRSS");
    UT_ASSERT(find_line(status, "SigBlk:\t"), "no SigBlk");
}

UTEST_CASE(cmdline_is_argv) {
    static char buf[4096];
    long len = read_file("/proc/self/cmdline", buf, sizeof buf);
    UT_ASSERT(len > 0 && buf[len - 1] == '\0', "cmdline of %ld bytes not NUL-terminated", len);
    UT_ASSERT(strcmp(buf, ut_self_path) == 0, "argv[0] \"%.200s\", expected \"%.200s\"", buf, ut_self_path);
}

UTEST_CASE(maps_has_stack_and_program) {
    static char buf[65536];
    read_file("/proc/self/maps", buf, sizeof buf);
    int local = 0;
    uintptr_t stack_addr = (uintptr_t)&local, code_addr = (uintptr_t)&read_file;
    int stack_ok = 0, code_ok = 0;
    for (const char* line = buf; *line; line = strchr(line, '\n') + 1) {
        unsigned long start, end, offset, inode;
        char perms[5];
        unsigned major, minor;
        int name_at = 0;
        UT_ASSERT(sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &start, &end, perms, &offset, &major, &minor, &inode,
                         &name_at) == 7,
                  "line \"%.80s\"", line);
        const char* nl = strchr(line, '\n');
        UT_ASSERT(nl, "unterminated line");
        if (stack_addr >= start && stack_addr < end)
            stack_ok = strncmp(line + name_at, "[stack]", 7) == 0 && perms[0] == 'r' && perms[1] == 'w';
        if (code_addr >= start && code_addr < end) {
            code_ok = perms[0] == 'r' && perms[2] == 'x';
            /* A file-backed text shows the program's path in column 74. */
            if (inode != 0) {
                UT_ASSERT(name_at == 73, "name at column %d", name_at + 1);
                const char* slash = line + name_at;
                for (const char* q = line + name_at; q < nl; q++)
                    if (*q == '/')
                        slash = q + 1;
                UT_ASSERT(strncmp(slash, ut_program, strlen(ut_program)) == 0, "text mapped from \"%.*s\"",
                          (int)(nl - line - name_at), line + name_at);
            }
        }
    }
    UT_ASSERT(stack_ok, "no [stack] rw area around a local variable");
    UT_ASSERT(code_ok, "no r-x area around the code");
}

UTEST_CASE(fd_links) {
    if (access("/proc/self/fd", F_OK) != 0)
        UT_SKIP("no /proc/self/fd yet");
    int fds[2];
    UT_OK(pipe(fds));
    char path[64], target[128];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
    ssize_t n = UT_OK(readlink(path, target, sizeof target - 1));
    target[n] = '\0';
    struct stat st;
    UT_OK(fstat(fds[0], &st));
    char want[64];
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
    UT_ASSERT(strcmp(target, want) == 0, "fd link \"%s\", expected \"%s\"", target, want);
    snprintf(path, sizeof path, "/proc/self/fd/%d", 0);
    UT_OK(readlink(path, target, sizeof target - 1));
}

UTEST_CASE(self_and_thread_self) {
    char target[64], want[64];
    ssize_t n = UT_OK(readlink("/proc/self", target, sizeof target - 1));
    target[n] = '\0';
    snprintf(want, sizeof want, "%d", (int)getpid());
    UT_ASSERT(strcmp(target, want) == 0, "/proc/self -> \"%s\"", target);
    n = UT_OK(readlink("/proc/thread-self", target, sizeof target - 1));
    target[n] = '\0';
    snprintf(want, sizeof want, "%d/task/%d", (int)getpid(), (int)syscall(SYS_gettid));
    UT_ASSERT(strcmp(target, want) == 0, "/proc/thread-self -> \"%s\"", target);
    /* A child sees itself, not its parent, through the same name. */
    pid_t child = ut_fork();
    if (child == 0) {
        char t[64];
        ssize_t m = readlink("/proc/self", t, sizeof t - 1);
        _exit(m > 0 && atoi((t[m] = '\0', t)) == getpid() ? 0 : 1);
    }
    UT_WAIT_OK(child);
}

UTEST_CASE(child_directory_lives_and_goes) {
    int ready[2];
    UT_OK(pipe(ready));
    pid_t child = ut_fork();
    if (child == 0) {
        close(ready[0]);
        close(ready[1]); /* EOF tells the parent we are up */
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    UT_EQ(read(ready[0], &c, 1), 0);
    char path[64];
    static char buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
    struct proc_stat s;
    /* It may still be on its way into pause(): wait for it to sleep. */
    for (int i = 0; i < 200; i++) {
        read_file(path, buf, sizeof buf);
        parse_stat(buf, &s);
        if (s.state == 'S')
            break;
        usleep(5000);
    }
    UT_EQ(s.pid, child);
    UT_EQ(s.ppid, getpid());
    UT_ASSERT(s.state == 'S', "state %c of a child in pause()", s.state);
    int found = 0;
    DIR* d = opendir("/proc");
    UT_ASSERT(d, "opendir /proc: %s", strerror(errno));
    char name[16];
    snprintf(name, sizeof name, "%d", (int)child);
    for (struct dirent* e; (e = readdir(d));)
        found |= strcmp(e->d_name, name) == 0 && e->d_type == DT_DIR;
    closedir(d);
    UT_ASSERT(found, "/proc does not list %s", name);
    int fd = UT_OK(open(path, O_RDONLY));
    UT_OK(kill(child, SIGKILL));
    int status;
    UT_EQ(waitpid(child, &status, 0), child);
    snprintf(path, sizeof path, "/proc/%d", (int)child);
    UT_ERRNO(access(path, F_OK), ENOENT);
    UT_ERRNO(read(fd, buf, sizeof buf), ESRCH);
    close(fd);
}

UTEST_CASE(system_files_parse) {
    static char buf[16384];
    double l1, l5, l15;
    int running, total, last;
    read_file("/proc/loadavg", buf, sizeof buf);
    UT_ASSERT(sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last) == 6, "loadavg \"%.100s\"",
              buf);
    UT_ASSERT(running >= 1 && total >= running && last > 0, "loadavg \"%.100s\"", buf);
    UT_ASSERT(l1 >= 0 && l5 >= 0 && l15 >= 0, "loadavg \"%.100s\"", buf);

    double up, idle;
    read_file("/proc/uptime", buf, sizeof buf);
    UT_ASSERT(sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0, "uptime \"%.100s\"", buf);
    struct sysinfo si;
    UT_OK(sysinfo(&si));
    UT_ASSERT(si.uptime >= (long)up - 1 && si.uptime <= (long)up + 2, "sysinfo uptime %ld vs %f", si.uptime, up);

    unsigned long total_kb, free_kb, avail_kb;
    read_file("/proc/meminfo", buf, sizeof buf);
    UT_ASSERT(sscanf(buf, "MemTotal: %lu kB\nMemFree: %lu kB\nMemAvailable: %lu kB", &total_kb, &free_kb,
                     &avail_kb) == 3,
              "meminfo \"%.100s\"", buf);
    UT_ASSERT(free_kb <= total_kb && avail_kb <= total_kb && total_kb > 0, "meminfo \"%.100s\"", buf);
    UT_EQ((unsigned long long)total_kb * 1024, (unsigned long long)si.totalram * si.mem_unit);
    UT_ASSERT(find_line(buf, "SwapTotal:") && find_line(buf, "Cached:"), "meminfo lines");

    read_file("/proc/stat", buf, sizeof buf);
    UT_ASSERT(strncmp(buf, "cpu  ", 5) == 0, "/proc/stat \"%.20s\"", buf);
    UT_ASSERT(find_line(buf, "cpu0 ") && find_line(buf, "ctxt ") && find_line(buf, "btime ") &&
                  find_line(buf, "processes ") && find_line(buf, "procs_running "),
              "/proc/stat lines");

    read_file("/proc/cpuinfo", buf, sizeof buf);
    int processors = 0;
    for (const char* p = buf; (p = find_line(p, "processor\t: ")); p++)
        processors++;
    UT_EQ(processors, sysconf(_SC_NPROCESSORS_ONLN));

    read_file("/proc/mounts", buf, sizeof buf);
    int root = 0, proc = 0;
    for (const char* line = buf; *line; line = strchr(line, '\n') + 1) {
        char dev[256], dir[256], type[64];
        UT_ASSERT(sscanf(line, "%255s %255s %63s", dev, dir, type) == 3, "mounts line \"%.80s\"", line);
        root |= strcmp(dir, "/") == 0;
        proc |= strcmp(dir, "/proc") == 0 && strcmp(type, "proc") == 0;
    }
    UT_ASSERT(root && proc, "mounts without / or /proc:\n%.400s", buf);
}

UTEST_CASE(sysfs_cpu_online) {
    if (access("/sys/devices/system/cpu/online", F_OK) != 0) {
        mkdir("/sys", 0755);
        UT_OK(mount("sysfs", "/sys", "sysfs", 0, NULL));
    }
    char buf[64];
    read_file("/sys/devices/system/cpu/online", buf, sizeof buf);
    /* "0", "0-3", or a list: count the CPUs it names. */
    int count = 0;
    for (const char* p = buf; *p && *p != '\n';) {
        int a = (int)strtol(p, (char**)&p, 10), b = a;
        if (*p == '-')
            b = (int)strtol(p + 1, (char**)&p, 10);
        count += b - a + 1;
        if (*p == ',')
            p++;
    }
    UT_EQ(count, sysconf(_SC_NPROCESSORS_ONLN));
    UT_EQ(count, get_nprocs());
}
