#pragma once
// procfs internals: how its directories and generated files are described and turned into inodes.
//
// Every name in /proc is a ProcEntry: a regular file whose text a `show` function prints on demand, a
// symlink whose target a `link` function computes, or a directory described by a ProcDir (a fixed
// table of entries plus, optionally, names it generates: process IDs, thread IDs). Inodes are made at
// lookup time and their dentries are never cached once unused (DCACHE_DONTCACHE): processes come and
// go, and per-process dentries still in use are revalidated (the process must still exist) on every
// lookup. Symlinks whose target depends on the reader (/proc/self) or on a changing state (cwd) are
// never valid from the cache: each lookup computes the target afresh.
#include <fs/dentry.hpp>
#include <fs/file.hpp>
#include <fs/inode.hpp>
#include <fs/mount.hpp>
#include <fs/super.hpp>
#include <lib/result.hpp>
#include <lib/seq_buf.hpp>
#include <stddef.h>

struct Task;
struct ProcInode;
struct ProcDir;

constexpr uint64_t PROC_SUPER_MAGIC = 0x9fa0;

// Prints a file's contents. ESRCH if the process it describes is gone.
using ProcShow = Result<void> (*)(SeqBuf& m, ProcInode* inode);
// Writes a symlink's target into buf (NUL-terminated).
using ProcLinkTarget = Result<void> (*)(ProcInode* inode, char* buf, size_t size);
// A magic link's object (fd/N, cwd, root, exe): following the link jumps there, and readlink shows
// its path (pipes: "pipe:[ino]"). EACCES without ptrace-read access to the process.
using ProcLinkPath = Result<Path> (*)(ProcInode* inode);

struct ProcEntry {
    const char* name;
    uint32_t mode;                   // S_IFREG | perms, S_IFDIR | perms or S_IFLNK | 0777
    ProcShow show = nullptr;         // regular files
    ProcLinkTarget link = nullptr;   // symlinks
    const ProcDir* dir = nullptr;    // directories
    ProcLinkPath link_path = nullptr;  // magic symlinks (then `link` is unused)
};

// A directory: fixed entries first (readdir positions 2, 3, ...), then generated names (positions
// from `first_generated_pos(dir)` on, by number: pos = first + n).
struct ProcDir {
    const ProcEntry* entries;
    size_t nr_entries;
    // A name not among the entries: instantiates `dentry` (proc_instantiate) or leaves it negative.
    Result<void> (*lookup)(ProcInode* dir, Dentry* dentry) = nullptr;
    // Offers the generated names with numbers >= ctx.pos - first, in increasing order.
    Result<void> (*readdir)(ProcInode* dir, DirContext& ctx, int64_t first) = nullptr;
};

struct ProcInode : Inode {
    const ProcEntry* entry = nullptr;
    Task* task = nullptr;        // referenced: the process (or thread) a per-process file describes
    bool thread_view = false;    // under /proc/<pid>/task/<tid>: one thread, not the whole process
    char* link_target = nullptr; // symlinks: computed at lookup, kmalloc'd
    Errno link_error{};          // magic links the reader may not read: readlink's error (EACCES)
    int fd = -1;                 // fd/N and fdinfo/N: the descriptor
};

inline ProcInode* PROC_I(Inode* inode) { return static_cast<ProcInode*>(inode); }

// Makes `dentry` (a negative child being looked up) name a new inode for `entry`, describing `task`
// (referenced anew; may be null). ENOMEM; or the link function's error for symlinks.
// `fd`: the descriptor of fd/N and fdinfo/N names.
Result<void> proc_instantiate(Dentry* dentry, const ProcEntry* entry, Task* task, bool thread_view, int fd = -1);
// The first readdir position of the generated names of a ProcDir.
inline int64_t proc_first_generated_pos(const ProcDir* dir) { return int64_t(dir->nr_entries) + 2; }
// Emits the fixed entries of `dir` from ctx.pos; false if the consumer is full.
bool proc_readdir_entries(const ProcDir* dir, DirContext& ctx);

// Whether `task` is still a live member of the task table (not yet released).
bool proc_task_alive(Task* task);
// Parses a decimal process ID name ("123"); -1 if it is not one.
int proc_parse_pid(const char* name, size_t len);

// Whether the reading task may look at `task`'s files and paths (fd/, cwd, root, exe): Linux's
// ptrace_may_access(PTRACE_MODE_READ_FSCREDS) without the dumpable rule: the same process, root, or
// a reader whose fsuid/fsgid equal all of the task's user and group IDs. EACCES otherwise.
Result<void> proc_may_access_task(Task* task);
// The magic-link parts of a process directory (fd.cpp): fd/, fdinfo/, cwd, root, exe.
extern const ProcDir proc_fd_dir;
extern const ProcDir proc_fdinfo_dir;
Result<Path> proc_cwd_path(ProcInode* inode);
Result<Path> proc_root_path(ProcInode* inode);
Result<Path> proc_exe_path(ProcInode* inode);

// The directory of one process or thread (/proc/<pid>, /proc/<pid>/task/<tid>), and the root.
extern const ProcDir proc_tgid_dir;
extern const ProcDir proc_tid_dir;
extern const ProcEntry proc_tgid_entry;
extern const ProcEntry proc_tid_entry;
extern const ProcDir proc_root_dir;

// readdir of generated process directories: emits, in increasing order from ctx.pos - first, the
// thread-group leaders (tgid 0) or the threads of process `tgid`, at positions first + pid.
Result<void> proc_readdir_pids(DirContext& ctx, int64_t first, int tgid);

// The process files (base.cpp, array.cpp, task_mmu.cpp).
Result<void> proc_pid_stat(SeqBuf& m, ProcInode* inode);
Result<void> proc_pid_status(SeqBuf& m, ProcInode* inode);
Result<void> proc_pid_statm(SeqBuf& m, ProcInode* inode);
Result<void> proc_pid_maps(SeqBuf& m, ProcInode* inode);
// Global files, one group per file.
Result<void> proc_meminfo_show(SeqBuf& m, ProcInode*);
Result<void> proc_uptime_show(SeqBuf& m, ProcInode*);
Result<void> proc_loadavg_show(SeqBuf& m, ProcInode*);
Result<void> proc_stat_show(SeqBuf& m, ProcInode*);
Result<void> proc_cpuinfo_show(SeqBuf& m, ProcInode*);
Result<void> proc_version_show(SeqBuf& m, ProcInode*);
Result<void> proc_cmdline_show(SeqBuf& m, ProcInode*);
Result<void> proc_filesystems_show(SeqBuf& m, ProcInode*);
Result<void> proc_mounts_show(SeqBuf& m, ProcInode* inode);
Result<void> proc_mountinfo_show(SeqBuf& m, ProcInode* inode);
extern const ProcDir proc_sys_dir;

extern const FileOperations proc_generated_file_operations;

// The root directory of the task reading /proc: paths in maps and mounts are shown relative to it.
Path proc_reader_root();
