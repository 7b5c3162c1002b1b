// Self-tests of procfs: a private proc mount read through the VFS (vfs_open + kernel_read), checking
// formats against Linux's and values against the subsystems they come from.
#include <fs/cred.hpp>
#include <fs/dentry.hpp>
#include <fs/init.hpp>
#include <fs/pipe.hpp>
#include <fs/proc/ktest_proc_mount.hpp>
#include <fs/task_files.hpp>
#include <fs/mount.hpp>
#include <fs/namei.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <mm/gfp.hpp>
#include <mm/slab.hpp>
#include <sched/kthread.hpp>
#include <sched/pid.hpp>
#include <sched/timeout.hpp>
#include <smp/cpumask.hpp>

namespace {

// The line of `text` that starts with `prefix`, or nullptr.
const char* find_line(const char* text, const char* prefix) {
    size_t n = strlen(prefix);
    for (const char* p = text; *p;) {
        if (strncmp(p, prefix, n) == 0) return p;
        while (*p && *p != '\n') p++;
        if (*p) p++;
    }
    return nullptr;
}

long long parse_ll(const char*& p) {
    bool neg = *p == '-';
    if (neg) p++;
    long long v = 0;
    while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
    return neg ? -v : v;
}

unsigned count_fields(const char* p) {
    unsigned n = 0;
    bool in = false;
    for (; *p && *p != '\n'; p++) {
        if (*p == ' ') in = false;
        else if (!in) in = true, n++;
    }
    return n;
}

}  // namespace

KTEST(procfs, self_stat_fields) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char* stat = proc.read("/self/stat");
    KASSERT_TRUE(stat != nullptr);
    Task* self = current();
    const char* p = stat;
    KEXPECT_EQ(parse_ll(p), self->tgid);
    KEXPECT_TRUE(strncmp(p, " (", 2) == 0);
    const char* close = p;
    for (const char* q = p; *q; q++)
        if (*q == ')') close = q;
    KEXPECT_EQ(size_t(close - (p + 2)), strlen(self->comm));
    KEXPECT_TRUE(strncmp(p + 2, self->comm, strlen(self->comm)) == 0);
    p = close + 2;
    KEXPECT_EQ(*p, 'R');  // the reader is running
    p += 2;
    int ppid = int(parse_ll(p));
    KEXPECT_EQ(ppid, self->real_parent ? self->real_parent->tgid : 0);
    // 52 fields, comm counted as one (it has no spaces here).
    KEXPECT_EQ(count_fields(stat), 52);
    KEXPECT_EQ(stat[strlen(stat) - 1], '\n');
    kfree(stat);
}

KTEST(procfs, self_status_and_comm) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char* status = proc.read("/self/status");
    KASSERT_TRUE(status != nullptr);
    char expect[64];
    ksnprintf(expect, sizeof expect, "Name:\t%s\n", current()->comm);
    KEXPECT_TRUE(find_line(status, expect) != nullptr);
    ksnprintf(expect, sizeof expect, "Pid:\t%d\n", current()->pid);
    KEXPECT_TRUE(find_line(status, expect) != nullptr);
    KEXPECT_TRUE(find_line(status, "State:\tR (running)\n") != nullptr);
    KEXPECT_TRUE(find_line(status, "Cpus_allowed_list:\t0") != nullptr);
    KEXPECT_TRUE(find_line(status, "voluntary_ctxt_switches:\t") != nullptr);
    kfree(status);
    char* comm = proc.read("/self/comm");
    KASSERT_TRUE(comm != nullptr);
    ksnprintf(expect, sizeof expect, "%s\n", current()->comm);
    KEXPECT_EQ(strcmp(comm, expect), 0);
    kfree(comm);
    // A kernel thread has no arguments.
    size_t len = 99;
    char* cmdline = proc.read("/self/cmdline", &len);
    KASSERT_TRUE(cmdline != nullptr);
    KEXPECT_EQ(len, 0);
    kfree(cmdline);
}

KTEST(procfs, self_links_follow_the_reader) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char target[64], expect[64];
    Result<size_t> n = vfs_readlink(proc.caller(), "/self", target, sizeof target);
    KASSERT_TRUE(!n.is_error());
    target[n.value()] = '\0';
    ksnprintf(expect, sizeof expect, "%d", current()->tgid);
    KEXPECT_EQ(strcmp(target, expect), 0);
    Result<size_t> m = vfs_readlink(proc.caller(), "/thread-self", target, sizeof target);
    KASSERT_TRUE(!m.is_error());
    target[m.value()] = '\0';
    ksnprintf(expect, sizeof expect, "%d/task/%d", current()->tgid, current()->pid);
    KEXPECT_EQ(strcmp(target, expect), 0);
    // Through the link, and through the thread's own directory.
    Result<Kstat> st = vfs_stat(proc.caller(), "/thread-self/stat", 0);
    KEXPECT_TRUE(!st.is_error());
    KEXPECT_EQ(vfs_stat(proc.caller(), "/999999", 0).error(), Errno::ENOENT);
    KEXPECT_EQ(vfs_stat(proc.caller(), "/self/nonexistent", 0).error(), Errno::ENOENT);
}

KTEST(procfs, meminfo_uptime_loadavg) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char* meminfo = proc.read("/meminfo");
    KASSERT_TRUE(meminfo != nullptr);
    KEXPECT_TRUE(strncmp(meminfo, "MemTotal:       ", 16) == 0);
    const char* p = meminfo + 16;
    while (*p == ' ') p++;
    KEXPECT_EQ(parse_ll(p), (long long)totalram_pages() * 4);
    KEXPECT_TRUE(strncmp(p, " kB\nMemFree:        ", 20) == 0);
    KEXPECT_TRUE(find_line(meminfo, "MemAvailable:") != nullptr);
    KEXPECT_TRUE(find_line(meminfo, "SwapFree:              0 kB\n") != nullptr);
    kfree(meminfo);

    char* uptime = proc.read("/uptime");
    KASSERT_TRUE(uptime != nullptr);
    p = uptime;
    parse_ll(p);
    KEXPECT_EQ(*p, '.');
    p++;
    KEXPECT_TRUE(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] == ' ');
    kfree(uptime);

    char* loadavg = proc.read("/loadavg");
    KASSERT_TRUE(loadavg != nullptr);
    // "0.00 0.00 0.00 1/45 123\n"
    p = loadavg;
    for (int i = 0; i < 3; i++) {
        parse_ll(p);
        KEXPECT_EQ(*p, '.');
        p += 3;
        KEXPECT_EQ(*p, ' ');
        p++;
    }
    KEXPECT_TRUE(parse_ll(p) >= 1);  // this task runs
    KEXPECT_EQ(*p, '/');
    p++;
    KEXPECT_EQ(parse_ll(p), nr_tasks());
    KEXPECT_EQ(*p, ' ');
    p++;
    KEXPECT_TRUE(parse_ll(p) >= current()->pid);
    KEXPECT_EQ(*p, '\n');
    kfree(loadavg);
}

KTEST(procfs, stat_and_cpuinfo) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char* stat = proc.read("/stat");
    KASSERT_TRUE(stat != nullptr);
    KEXPECT_TRUE(strncmp(stat, "cpu  ", 5) == 0);
    KEXPECT_EQ(count_fields(stat), 11);
    KEXPECT_TRUE(find_line(stat, "cpu0 ") != nullptr);
    KEXPECT_TRUE(find_line(stat, "intr ") != nullptr);
    KEXPECT_TRUE(find_line(stat, "ctxt ") != nullptr);
    KEXPECT_TRUE(find_line(stat, "btime 1") != nullptr);  // seconds since 1970: after 2001
    KEXPECT_TRUE(find_line(stat, "processes ") != nullptr);
    KEXPECT_TRUE(find_line(stat, "procs_running ") != nullptr);
    KEXPECT_TRUE(find_line(stat, "procs_blocked ") != nullptr);
    kfree(stat);

    char* cpuinfo = proc.read("/cpuinfo");
    KASSERT_TRUE(cpuinfo != nullptr);
    unsigned processors = 0;
    for (const char* p = cpuinfo; (p = find_line(p, "processor\t: ")); p++) processors++;
    KEXPECT_EQ(processors, cpu_online_mask.weight());
    KEXPECT_TRUE(find_line(cpuinfo, "vendor_id\t: ") != nullptr);
    KEXPECT_TRUE(find_line(cpuinfo, "cpu MHz\t\t: ") != nullptr);
    KEXPECT_TRUE(find_line(cpuinfo, "flags\t\t: fpu ") != nullptr);
    KEXPECT_TRUE(find_line(cpuinfo, "bogomips\t: ") != nullptr);
    kfree(cpuinfo);
}

KTEST(procfs, mounts_and_filesystems) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char* mounts = proc.read("/mounts");
    KASSERT_TRUE(mounts != nullptr);
    KEXPECT_TRUE(find_line(mounts, "rootfs / tmpfs rw") != nullptr);
    kfree(mounts);
    char* info = proc.read("/self/mountinfo");
    KASSERT_TRUE(info != nullptr);
    KEXPECT_TRUE(info[0] >= '1' && info[0] <= '9');
    kfree(info);
    char* fs = proc.read("/filesystems");
    KASSERT_TRUE(fs != nullptr);
    KEXPECT_TRUE(find_line(fs, "nodev\tproc\n") != nullptr);
    KEXPECT_TRUE(find_line(fs, "nodev\ttmpfs\n") != nullptr);
    KEXPECT_TRUE(find_line(fs, "nodev\tsysfs\n") != nullptr);
    kfree(fs);
    char* ostype = proc.read("/sys/kernel/ostype");
    KASSERT_TRUE(ostype != nullptr);
    KEXPECT_EQ(strcmp(ostype, "Linux\n"), 0);
    kfree(ostype);
}

namespace {

// getdents64 over `path`: whether `name` is among the entries.
bool dir_has(ProcMount& proc, const char* path, const char* name) {
    Result<RefPtr<File>> f = vfs_open(proc.caller(), path, O_RDONLY | O_DIRECTORY, 0);
    if (f.is_error()) return false;
    static char buf[2048];
    for (;;) {
        IoIter to = IoIter::kernel(buf, sizeof buf);
        Result<size_t> n = vfs_getdents64(*f.value(), to);
        if (n.is_error() || n.value() == 0) return false;
        for (size_t off = 0; off < n.value();) {
            auto* d = reinterpret_cast<LinuxDirent64*>(buf + off);
            if (strcmp(d->d_name, name) == 0) return true;
            off += d->d_reclen;
        }
    }
}

int sleeper(void*) {
    while (!kthread_should_stop()) msleep(5);
    return 7;
}

}  // namespace

KTEST(procfs, readdir_lists_processes) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    char self[16];
    ksnprintf(self, sizeof self, "%d", current()->tgid);
    KEXPECT_TRUE(dir_has(proc, "/", self));
    KEXPECT_TRUE(dir_has(proc, "/", "self"));
    KEXPECT_TRUE(dir_has(proc, "/", "meminfo"));
    KEXPECT_TRUE(dir_has(proc, "/", "1"));
    KEXPECT_TRUE(dir_has(proc, "/self", "stat"));
    KEXPECT_TRUE(dir_has(proc, "/self", "task"));
    KEXPECT_TRUE(dir_has(proc, "/self/task", self));
}

KTEST(procfs, another_process_comes_and_goes) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    uint64_t dentries_before = dcache_nr_dentries();
    Result<Task*> t = kthread_run(sleeper, nullptr, "procfs-sleeper");
    KASSERT_TRUE(!t.is_error());
    Task* task = t.value();
    get_task_struct(task);
    int pid = task->pid;
    char path[32];
    ksnprintf(path, sizeof path, "/%d/stat", pid);
    char* stat = proc.read(path);
    KASSERT_TRUE(stat != nullptr);
    char expect[48];
    ksnprintf(expect, sizeof expect, "%d (procfs-sleeper) ", pid);
    KEXPECT_TRUE(strncmp(stat, expect, strlen(expect)) == 0);
    kfree(stat);
    ksnprintf(path, sizeof path, "/%d/comm", pid);
    {
    Result<RefPtr<File>> comm = vfs_open(proc.caller(), path, O_RDONLY, 0);
    if (!KEXPECT_TRUE(!comm.is_error())) {
        kthread_stop(task);
        put_task_struct(task);
        return;
    }
    int stopped = kthread_stop(task);
    KEXPECT_TRUE(stopped == 7 || stopped == -int(Errno::EINTR));  // EINTR: stopped before it ran
    // Once the task is released its directory is gone, and a file opened before says so.
    ksnprintf(path, sizeof path, "/%d", pid);
    for (int i = 0; i < 200 && !vfs_stat(proc.caller(), path, 0).is_error(); i++) msleep(5);
    KEXPECT_EQ(vfs_stat(proc.caller(), path, 0).error(), Errno::ENOENT);
    Errno err = Errno::EINVAL;
    char* gone = ProcMount::read_file(*comm.value(), nullptr, &err);
    KEXPECT_TRUE(gone == nullptr);
    KEXPECT_EQ(err, Errno::ESRCH);
    kfree(gone);
    }  // closes the file
    put_task_struct(task);
    // Per-process dentries are not cached once unused.
    KEXPECT_EQ(dcache_nr_dentries(), dentries_before);
}

namespace {

// Gives the test's task a fresh descriptor table for the test and puts its own (if any) back at the
// end, swapping under alloc_lock as task_files.hpp requires.
class TemporaryFiles {
public:
    TemporaryFiles() {
        Result<RefPtr<FdTable>> made = FdTable::create();
        if (made.is_error()) return;
        table_ = made.release_value();
        SpinLockIrqSaveGuard guard(current()->alloc_lock);
        saved_ = current()->files;
        current()->files = table_.get();
    }
    ~TemporaryFiles() {
        if (!table_) return;
        SpinLockIrqSaveGuard guard(current()->alloc_lock);
        current()->files = saved_;
    }
    FdTable* table() { return table_.get(); }

private:
    RefPtr<FdTable> table_;
    FdTable* saved_ = nullptr;
};

template <typename T>
bool fails_with(const Result<T>& r, Errno err) {
    return r.is_error() && r.error() == err;
}

bool link_is(ProcMount& proc, const char* path, const char* want) {
    char target[128];
    Result<size_t> n = vfs_readlink(proc.caller(), path, target, sizeof target - 1);
    if (n.is_error()) return false;
    target[n.value()] = '\0';
    return strcmp(target, want) == 0;
}

}  // namespace

KTEST(procfs, fd_links_name_and_reach_the_files) {
    ProcMount proc;
    KASSERT_TRUE(proc.ok());
    TemporaryFiles files;
    KASSERT_TRUE(files.table() != nullptr);
    Credentials cred;
    Path root = rootfs_root();
    VfsCaller at_root{root, root, cred, 022};
    Result<RefPtr<File>> dir = vfs_open(at_root, "/", O_RDONLY | O_DIRECTORY, 0);
    KASSERT_TRUE(!dir.is_error());
    Result<PipeFiles> pipe = create_pipe_files(0, cred);
    KASSERT_TRUE(!pipe.is_error());
    Inode* pipe_inode = pipe.value().read_end->inode;
    int dfd = files.table()->alloc_fd(dir.release_value(), false, kNrOpenDefault).value();
    int rfd = files.table()->alloc_fd(pipe.value().read_end, false, kNrOpenDefault).value();
    int wfd = files.table()->alloc_fd(pipe.value().write_end, true, kNrOpenDefault).value();
    KEXPECT_EQ(dfd, 0);

    char path[48], name[16], want[48];
    ksnprintf(want, sizeof want, "pipe:[%llu]", (unsigned long long)pipe_inode->ino);
    KEXPECT_TRUE(link_is(proc, "/self/fd/0", "/"));
    ksnprintf(path, sizeof path, "/self/fd/%d", rfd);
    KEXPECT_TRUE(link_is(proc, path, want));
    ksnprintf(path, sizeof path, "/self/fd/%d", wfd);
    KEXPECT_TRUE(link_is(proc, path, want));
    ksnprintf(name, sizeof name, "%d", rfd);
    KEXPECT_TRUE(dir_has(proc, "/self/fd", name));
    KEXPECT_TRUE(dir_has(proc, "/self/fdinfo", name));

    // Following the link opens the pipe itself (it has a writer: the read open does not wait).
    ksnprintf(path, sizeof path, "/self/fd/%d", rfd);
    {
        Result<RefPtr<File>> again = vfs_open(proc.caller(), path, O_RDONLY, 0);
        KASSERT_TRUE(!again.is_error());
        KEXPECT_TRUE(again.value()->inode == pipe_inode);
    }
    // A component after a link to a non-directory.
    ksnprintf(path, sizeof path, "/self/fd/%d/x", rfd);
    KEXPECT_TRUE(fails_with(vfs_open(proc.caller(), path, O_RDONLY, 0), Errno::ENOTDIR));

    // fdinfo of the close-on-exec write end: O_WRONLY | O_CLOEXEC in octal.
    ksnprintf(path, sizeof path, "/self/fdinfo/%d", wfd);
    char* info = proc.read(path);
    KASSERT_TRUE(info != nullptr);
    KEXPECT_TRUE(strncmp(info, "pos:\t0\nflags:\t02000001\nmnt_id:\t", 31) == 0);
    ksnprintf(want, sizeof want, "ino:\t%llu\n", (unsigned long long)pipe_inode->ino);
    KEXPECT_TRUE(find_line(info, want) != nullptr);
    kfree(info);

    // A closed descriptor is gone from the listing and the lookup.
    KEXPECT_TRUE(!files.table()->close(rfd).is_error());
    KEXPECT_TRUE(!dir_has(proc, "/self/fd", name));
    ksnprintf(path, sizeof path, "/self/fd/%d", rfd);
    char target[16];
    KEXPECT_TRUE(fails_with(vfs_readlink(proc.caller(), path, target, sizeof target), Errno::ENOENT));

    // status: the table's size; a kernel thread works in init_fs ("/", umask 022) and has no exe.
    char* status = proc.read("/self/status");
    KASSERT_TRUE(status != nullptr);
    KEXPECT_TRUE(find_line(status, "FDSize:\t64\n") != nullptr);
    KEXPECT_TRUE(find_line(status, "Umask:\t0022\n") != nullptr);
    kfree(status);
    KEXPECT_TRUE(link_is(proc, "/self/cwd", "/"));
    KEXPECT_TRUE(link_is(proc, "/self/root", "/"));
    KEXPECT_TRUE(fails_with(vfs_readlink(proc.caller(), "/self/exe", target, sizeof target), Errno::ENOENT));
}
