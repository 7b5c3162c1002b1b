// The root of /proc: the system-wide files, /proc/self and /proc/thread-self, and one directory per
// process (Linux's fs/proc/root.c and the pid part of base.c).
#include <fs/proc/internal.hpp>
#include <lib/vsprintf.hpp>
#include <sched/pid.hpp>

namespace {

// Kernel threads have no /proc/self in Linux's sense only when they have no pid; every Tern task has.
Result<void> self_link(ProcInode*, char* buf, size_t size) {
    ksnprintf(buf, size, "%d", current()->tgid);
    return {};
}

Result<void> thread_self_link(ProcInode*, char* buf, size_t size) {
    ksnprintf(buf, size, "%d/task/%d", current()->tgid, current()->pid);
    return {};
}

Result<void> mounts_link(ProcInode*, char* buf, size_t size) {
    ksnprintf(buf, size, "self/mounts");
    return {};
}

const ProcEntry root_entries[] = {
    {"cmdline", S_IFREG | 0444, proc_cmdline_show},
    {"cpuinfo", S_IFREG | 0444, proc_cpuinfo_show},
    {"filesystems", S_IFREG | 0444, proc_filesystems_show},
    {"loadavg", S_IFREG | 0444, proc_loadavg_show},
    {"meminfo", S_IFREG | 0444, proc_meminfo_show},
    {"mounts", S_IFLNK | 0777, nullptr, mounts_link},
    {"self", S_IFLNK | 0777, nullptr, self_link},
    {"stat", S_IFREG | 0444, proc_stat_show},
    {"sys", S_IFDIR | 0555, nullptr, nullptr, &proc_sys_dir},
    {"thread-self", S_IFLNK | 0777, nullptr, thread_self_link},
    {"uptime", S_IFREG | 0444, proc_uptime_show},
    {"version", S_IFREG | 0444, proc_version_show},
};

// Any task ID names a directory, as on Linux (readdir lists only the thread-group leaders).
Result<void> root_lookup(ProcInode*, Dentry* dentry) {
    int pid = proc_parse_pid(dentry->name, dentry->name_len);
    if (pid <= 0) return {};
    Task* task = get_task_by_pid(pid);
    if (!task) return {};
    Result<void> r = proc_instantiate(dentry, &proc_tgid_entry, task, false);
    put_task_struct(task);
    return r;
}

Result<void> root_readdir(ProcInode*, DirContext& ctx, int64_t first) { return proc_readdir_pids(ctx, first, 0); }

}  // namespace

const ProcDir proc_root_dir = {root_entries, sizeof root_entries / sizeof root_entries[0], root_lookup,
                               root_readdir};
