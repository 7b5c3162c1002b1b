/* procfs: /proc as ps, top, free and glibc read it: the calling process's stat/status/cmdline/maps
 * against its own ids and memory, a child's directory while it lives and after, the system files'
 * formats, and /sys's CPU list against sysconf. */
#include "utest.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
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

/* readlink of `path` as a string (the test fails if it cannot be read). */
static const char* read_link(const char* path, char* buf, size_t size) {
    ssize_t n = readlink(path, buf, size - 1);
    if (n < 0)
        UT_FAIL("readlink %s: %s", path, strerror(errno));
    buf[n] = '\0';
    return buf;
}

/* Whether /proc/self/fd lists descriptor `fd` (other than the listing's own descriptor). */
static int fd_listed(int fd) {
    DIR* dir = opendir("/proc/self/fd");
    UT_ASSERT(dir != NULL, "opendir /proc/self/fd: %s", strerror(errno));
    int found = 0;
    for (struct dirent* e; (e = readdir(dir));)
        if (e->d_name[0] != '.' && atoi(e->d_name) == fd && fd != dirfd(dir)) {
            UT_ASSERT(e->d_type == DT_LNK || e->d_type == DT_UNKNOWN, "fd/%s has type %d", e->d_name, e->d_type);
            found = 1;
        }
    closedir(dir);
    return found;
}

UTEST_CASE(fd_links) {
    int fds[2];
    UT_OK(pipe(fds));
    char path[64], target[128], other[128];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
    read_link(path, target, sizeof target);
    struct stat st;
    UT_OK(fstat(fds[0], &st));
    char want[64];
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
    UT_ASSERT(strcmp(target, want) == 0, "fd link \"%.200s\", expected \"%.200s\"", target, want);
    /* Both ends name the same pipe. */
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[1]);
    UT_ASSERT(strcmp(read_link(path, other, sizeof other), want) == 0, "write end \"%.200s\"", other);
    /* Opening the link reaches the pipe itself: what goes in there comes out of the read end. */
    int w = UT_OK(open(path, O_WRONLY));
    UT_EQ(write(w, "hi", 2), 2);
    char buf[4] = {0};
    UT_EQ(read(fds[0], buf, sizeof buf), 2);
    UT_ASSERT(memcmp(buf, "hi", 2) == 0, "read \"%.200s\" through the pipe", buf);
    close(w);
    close(fds[0]);
    close(fds[1]);
}

UTEST_CASE(fd_dir_lists_open_files) {
    for (int fd = 0; fd <= 2; fd++)
        UT_ASSERT(fd_listed(fd), "descriptor %d not listed", fd);
    char real[PATH_MAX], target[PATH_MAX], path[64];
    UT_ASSERT(realpath(ut_self_path, real) != NULL, "realpath %s: %s", ut_self_path, strerror(errno));
    int fd = UT_OK(open(ut_self_path, O_RDONLY | O_CLOEXEC));
    UT_ASSERT(fd_listed(fd), "new descriptor %d not listed", fd);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    UT_ASSERT(strcmp(read_link(path, target, sizeof target), real) == 0, "fd/%d -> \"%.200s\", expected \"%.200s\"", fd,
              target, real);
    /* The link opens the same file. */
    struct stat a, b;
    int again = UT_OK(open(path, O_RDONLY));
    UT_OK(fstat(fd, &a));
    UT_OK(fstat(again, &b));
    UT_ASSERT(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "fd/%d opened another file", fd);
    close(again);
    /* fdinfo: position, flags (octal, with O_CLOEXEC), inode. */
    UT_EQ(lseek(fd, 100, SEEK_SET), 100);
    char info[256];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    read_file(path, info, sizeof info);
    long long pos = -1;
    unsigned flags = 0;
    unsigned long ino = 0;
    UT_ASSERT(sscanf(info, "pos: %lld flags: %o", &pos, &flags) == 2, "fdinfo \"%.200s\"", info);
    const char* ino_line = find_line(info, "ino:");
    UT_ASSERT(ino_line && sscanf(ino_line, "ino: %lu", &ino) == 1, "no ino in \"%.200s\"", info);
    UT_ASSERT(find_line(info, "mnt_id:") != NULL, "no mnt_id in \"%.200s\"", info);
    UT_EQ(pos, 100);
    UT_EQ(flags & O_ACCMODE, (unsigned)O_RDONLY);
    UT_ASSERT(flags & O_CLOEXEC, "flags 0%o without O_CLOEXEC", flags);
    UT_EQ(ino, (unsigned long)a.st_ino);
    /* Closed: gone from the listing, the link and fdinfo. */
    close(fd);
    UT_ASSERT(!fd_listed(fd), "closed descriptor %d still listed", fd);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    UT_ERRNO(readlink(path, target, sizeof target), ENOENT);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    UT_ERRNO(open(path, O_RDONLY), ENOENT);
}

UTEST_CASE(cwd_root_exe_links) {
    char target[PATH_MAX], want[PATH_MAX], saved[PATH_MAX];
    UT_ASSERT(getcwd(saved, sizeof saved) != NULL, "getcwd: %s", strerror(errno));
    UT_ASSERT(strcmp(read_link("/proc/self/cwd", target, sizeof target), saved) == 0, "cwd \"%.200s\", getcwd \"%.200s\"",
              target, saved);
    UT_OK(chdir("/proc/self/fd/.."));  /* through a link: the process directory */
    UT_OK(chdir("/dev"));
    UT_ASSERT(strcmp(read_link("/proc/self/cwd", target, sizeof target), "/dev") == 0, "cwd after chdir \"%.200s\"",
              target);
    /* Following cwd reaches the directory itself. */
    struct stat a, b;
    UT_OK(stat("/proc/self/cwd/", &a));
    UT_OK(stat("/dev", &b));
    UT_ASSERT(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "/proc/self/cwd/ is not /dev");
    UT_OK(chdir(saved));
    UT_ASSERT(strcmp(read_link("/proc/self/root", target, sizeof target), "/") == 0, "root \"%.200s\"", target);
    UT_ASSERT(realpath(ut_self_path, want) != NULL, "realpath %s: %s", ut_self_path, strerror(errno));
    UT_ASSERT(strcmp(read_link("/proc/self/exe", target, sizeof target), want) == 0, "exe \"%.200s\", expected \"%.200s\"",
              target, want);
}

/* Another process's links and status, as its owner and as somebody else. */
UTEST_CASE(other_process_links_and_access) {
    int ready[2], go[2];
    UT_OK(pipe(ready));
    UT_OK(pipe(go));
    pid_t child = ut_fork();
    if (child == 0) {
        umask(027);
        if (chdir("/dev") != 0)
            _exit(1);
        char c = 'r';
        if (write(ready[1], &c, 1) != 1)
            _exit(1);
        (void)read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    UT_EQ(read(ready[0], &c, 1), 1);
    char path[64], target[PATH_MAX], status[4096];
    snprintf(path, sizeof path, "/proc/%d/cwd", (int)child);
    UT_ASSERT(strcmp(read_link(path, target, sizeof target), "/dev") == 0, "child cwd \"%.200s\"", target);
    snprintf(path, sizeof path, "/proc/%d/status", (int)child);
    read_file(path, status, sizeof status);
    const char* umask_line = find_line(status, "Umask:");
    UT_ASSERT(umask_line && strncmp(umask_line, "Umask:\t0027\n", 12) == 0, "child Umask line \"%.12s\"",
              umask_line ? umask_line : "(none)");
    const char* fdsize = find_line(status, "FDSize:");
    UT_ASSERT(fdsize && atoi(fdsize + 7) >= 64, "child FDSize \"%.12s\"", fdsize ? fdsize : "(none)");
    if (getuid() == 0) {
        /* Another user may not look at its files (nor its cwd), but still sees the names. */
        pid_t stranger = ut_fork();
        if (stranger == 0) {
            char p[64], t[PATH_MAX];
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(2);
            snprintf(p, sizeof p, "/proc/%d/cwd", (int)child);
            if (readlink(p, t, sizeof t) >= 0 || errno != EACCES)
                _exit(3);
            snprintf(p, sizeof p, "/proc/%d/fd", (int)child);
            if (opendir(p) != NULL || errno != EACCES)
                _exit(4);
            struct stat st;
            snprintf(p, sizeof p, "/proc/%d/exe", (int)child);
            if (lstat(p, &st) != 0)
                _exit(5);
            _exit(0);
        }
        UT_WAIT_OK(stranger);
    }
    UT_EQ(write(go[1], "g", 1), 1);
    UT_WAIT_OK(child);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
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
