// The directory of one process, /proc/<pid>, and of one thread, /proc/<pid>/task/<tid> (Linux's
// fs/proc/base.c): which files they hold, the task/ directory, and the files that read the process's
// memory (cmdline, environ).
#include <fs/proc/internal.hpp>
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <sched/pid.hpp>
#include <lib/string.hpp>

namespace {

Result<void> proc_pid_comm(SeqBuf& m, ProcInode* inode) {
    if (!proc_task_alive(inode->task)) return Errno::ESRCH;
    char comm[TASK_COMM_LEN];
    memcpy(comm, inode->task->comm, sizeof comm);
    comm[TASK_COMM_LEN - 1] = '\0';
    m.printf("%s\n", comm);
    return {};
}

// Copies [start, end) of the process's memory into `m` through access_remote_vm (which pins nothing
// in the reader's address space). Stops early at an unmapped page; `stop_at_nul` ends after the first
// NUL (included) instead.
Result<void> copy_process_memory(SeqBuf& m, MmStruct* mm, uint64_t start, uint64_t end, bool stop_at_nul) {
    char chunk[256];
    for (uint64_t addr = start; addr < end;) {
        size_t want = end - addr < sizeof chunk ? size_t(end - addr) : sizeof chunk;
        Result<size_t> got = access_remote_vm(mm, addr, chunk, want, false);
        if (got.is_error() || got.value() == 0) return {};
        size_t n = got.value();
        if (stop_at_nul) {
            size_t len = strnlen(chunk, n);
            if (len < n) {
                m.write(chunk, len + 1);
                return {};
            }
        }
        m.write(chunk, n);
        if (m.overflowed()) return {};
        addr += n;
    }
    return {};
}

// The arguments as the process has them now (it may have rewritten them). If the last byte of the
// argument area is not a NUL the process has run its title into the environment area (setproctitle),
// and the text continues there up to the first NUL, as Linux's get_mm_cmdline does.
Result<void> proc_pid_cmdline(SeqBuf& m, ProcInode* inode) {
    if (!proc_task_alive(inode->task)) return Errno::ESRCH;
    MmStruct* mm = get_task_mm(inode->task);
    if (!mm) return {};  // kernel threads and exited processes: empty
    MmLayout l;
    {
        MmapLockGuard guard(mm);
        l = mm_layout(mm);
    }
    Result<void> r{};
    if (l.arg_end > l.arg_start) {
        char last = 0;
        Result<size_t> got = access_remote_vm(mm, l.arg_end - 1, &last, 1, false);
        if (got.is_error() || last == '\0') {
            r = copy_process_memory(m, mm, l.arg_start, l.arg_end, false);
        } else {
            size_t before = m.len();
            r = copy_process_memory(m, mm, l.arg_start, l.arg_end, true);
            bool ended = m.len() > before && m.data()[m.len() - 1] == '\0';
            if (!r.is_error() && !ended && l.env_end > l.env_start)
                r = copy_process_memory(m, mm, l.env_start, l.env_end, true);
        }
    }
    mmput(mm);
    return r;
}

Result<void> proc_pid_environ(SeqBuf& m, ProcInode* inode) {
    if (!proc_task_alive(inode->task)) return Errno::ESRCH;
    MmStruct* mm = get_task_mm(inode->task);
    if (!mm) return {};
    MmLayout l;
    {
        MmapLockGuard guard(mm);
        l = mm_layout(mm);
    }
    Result<void> r = copy_process_memory(m, mm, l.env_start, l.env_end, false);
    mmput(mm);
    return r;
}

// --- task/: the threads of the process ---------------------------------------------------------------

const ProcEntry tid_base_entries[] = {
    {"cmdline", S_IFREG | 0444, proc_pid_cmdline},
    {"comm", S_IFREG | 0644, proc_pid_comm},
    {"cwd", S_IFLNK | 0777, nullptr, nullptr, nullptr, proc_cwd_path},
    {"environ", S_IFREG | 0400, proc_pid_environ},
    {"exe", S_IFLNK | 0777, nullptr, nullptr, nullptr, proc_exe_path},
    {"fd", S_IFDIR | 0500, nullptr, nullptr, &proc_fd_dir},
    {"fdinfo", S_IFDIR | 0500, nullptr, nullptr, &proc_fdinfo_dir},
    {"maps", S_IFREG | 0444, proc_pid_maps},
    {"root", S_IFLNK | 0777, nullptr, nullptr, nullptr, proc_root_path},
    {"stat", S_IFREG | 0444, proc_pid_stat},
    {"statm", S_IFREG | 0444, proc_pid_statm},
    {"status", S_IFREG | 0444, proc_pid_status},
};

Result<void> proc_task_lookup(ProcInode* dir, Dentry* dentry) {
    int tid = proc_parse_pid(dentry->name, dentry->name_len);
    if (tid < 0) return {};
    Task* task = get_task_by_pid(tid);
    if (!task) return {};
    Result<void> r{};
    if (task->tgid == dir->task->tgid) r = proc_instantiate(dentry, &proc_tid_entry, task, true);
    put_task_struct(task);
    return r;
}

Result<void> proc_task_readdir(ProcInode* dir, DirContext& ctx, int64_t first) {
    return proc_readdir_pids(ctx, first, dir->task->tgid);
}

const ProcDir proc_task_dir = {nullptr, 0, proc_task_lookup, proc_task_readdir};

const ProcEntry tgid_base_entries[] = {
    {"task", S_IFDIR | 0555, nullptr, nullptr, &proc_task_dir},
    {"cmdline", S_IFREG | 0444, proc_pid_cmdline},
    {"comm", S_IFREG | 0644, proc_pid_comm},
    {"cwd", S_IFLNK | 0777, nullptr, nullptr, nullptr, proc_cwd_path},
    {"environ", S_IFREG | 0400, proc_pid_environ},
    {"exe", S_IFLNK | 0777, nullptr, nullptr, nullptr, proc_exe_path},
    {"fd", S_IFDIR | 0500, nullptr, nullptr, &proc_fd_dir},
    {"fdinfo", S_IFDIR | 0500, nullptr, nullptr, &proc_fdinfo_dir},
    {"maps", S_IFREG | 0444, proc_pid_maps},
    {"mountinfo", S_IFREG | 0444, proc_mountinfo_show},
    {"mounts", S_IFREG | 0444, proc_mounts_show},
    {"root", S_IFLNK | 0777, nullptr, nullptr, nullptr, proc_root_path},
    {"stat", S_IFREG | 0444, proc_pid_stat},
    {"statm", S_IFREG | 0444, proc_pid_statm},
    {"status", S_IFREG | 0444, proc_pid_status},
};

}  // namespace

const ProcDir proc_tid_dir = {tid_base_entries, sizeof tid_base_entries / sizeof tid_base_entries[0]};
const ProcDir proc_tgid_dir = {tgid_base_entries, sizeof tgid_base_entries / sizeof tgid_base_entries[0]};
const ProcEntry proc_tid_entry = {"<tid>", S_IFDIR | 0555, nullptr, nullptr, &proc_tid_dir};
const ProcEntry proc_tgid_entry = {"<pid>", S_IFDIR | 0555, nullptr, nullptr, &proc_tgid_dir};
