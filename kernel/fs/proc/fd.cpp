// The magic links of a process (Linux's fs/proc/fd.c and the link part of base.c): fd/ with one
// symlink per open descriptor, fdinfo/ with one small text file per descriptor, and cwd, root, exe.
//
// Each link's readlink text is its object's path (inode.cpp: magic_link_text); following it jumps to the
// object itself (InodeOperations::jump_link), so `cat /proc/self/fd/0` opens the very file, a pipe or a
// deleted file included. Both need ptrace-read access to the process (proc_may_access_task).
#include <fs/proc/internal.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/vsprintf.hpp>
#include <mm/mm_struct.hpp>
#include <process/cred.hpp>

namespace {

// A descriptor name: "0", "17"; -1 if it is not one (no leading zeros, as Linux's name_to_int).
int parse_fd(const char* name, size_t len) {
    if (len == 0 || len > 9 || (name[0] == '0' && len > 1)) return -1;
    int fd = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9') return -1;
        fd = fd * 10 + (name[i] - '0');
    }
    return fd;
}

// The open file at `inode->fd` of the process `inode` describes, with a reference. ENOENT if the
// process has no descriptor table left or the descriptor is closed.
Result<RefPtr<File>> task_fd_file(Task* task, int fd) {
    if (!proc_task_alive(task)) return Errno::ENOENT;
    RefPtr<FdTable> files = get_task_files(task);
    if (!files) return Errno::ENOENT;
    Result<RefPtr<File>> file = files->get(fd);
    if (file.is_error()) return Errno::ENOENT;
    return file;
}

Result<Path> fd_link_path(ProcInode* inode) {
    TRY(proc_may_access_task(inode->task));
    RefPtr<File> file = TRY(task_fd_file(inode->task, inode->fd));
    return file->path;
}

// fdinfo/N, in Linux's format: the position, the status flags in octal (with O_CLOEXEC when the
// descriptor is close-on-exec), the mount's ID and the inode number.
Result<void> fdinfo_show(SeqBuf& m, ProcInode* inode) {
    TRY(proc_may_access_task(inode->task));
    RefPtr<FdTable> files = get_task_files(inode->task);
    if (!files) return Errno::ENOENT;
    RefPtr<File> file = TRY(files->get(inode->fd));
    Result<bool> cloexec = files->get_cloexec(inode->fd);
    unsigned flags = file->flags | (!cloexec.is_error() && cloexec.value() ? unsigned(O_CLOEXEC) : 0u);
    m.printf("pos:\t%lld\nflags:\t0%o\nmnt_id:\t%llu\nino:\t%llu\n", (long long)file->pos, flags,
             (unsigned long long)file->path.mnt->id, (unsigned long long)file->inode->ino);
    return {};
}

// Links are shown as Linux does: the owner may read (r-x) and write (-wx) as the file was opened.
uint32_t fd_link_mode(const File& file) {
    uint32_t mode = S_IFLNK;
    if (file.fmode & FMODE_READ) mode |= S_IRUSR | S_IXUSR;
    if (file.fmode & FMODE_WRITE) mode |= S_IWUSR | S_IXUSR;
    return mode;
}

const ProcEntry fd_link_entry = {"<fd>", S_IFLNK | 0700, nullptr, nullptr, nullptr, fd_link_path};
const ProcEntry fdinfo_file_entry = {"<fd>", S_IFREG | 0444, fdinfo_show};

// fd/ and fdinfo/ share the lookup and the listing; only the entry made differs.
Result<void> fd_lookup_entry(ProcInode* dir, Dentry* dentry, const ProcEntry* entry) {
    int fd = parse_fd(dentry->name, dentry->name_len);
    if (fd < 0) return {};
    Result<RefPtr<File>> file = task_fd_file(dir->task, fd);
    if (file.is_error()) return {};  // stays negative: ENOENT
    TRY(proc_instantiate(dentry, entry, dir->task, dir->thread_view, fd));
    if (entry == &fd_link_entry) dentry->inode->mode = fd_link_mode(*file.value());
    return {};
}

Result<void> fd_readdir_entries(ProcInode* dir, DirContext& ctx, int64_t first, uint8_t type) {
    TRY(proc_may_access_task(dir->task));
    RefPtr<FdTable> files = get_task_files(dir->task);
    if (!files) return {};
    for (;;) {
        int64_t from = ctx.pos - first;
        if (from < 0) from = 0;
        int fd = files->next_open(unsigned(from));
        if (fd < 0) return {};
        char name[16];
        int len = ksnprintf(name, sizeof name, "%d", fd);
        // Made-up inode numbers, stable per descriptor (Linux allocates them as it makes the inodes).
        if (!ctx.emit(name, size_t(len), 0x200000 + uint64_t(fd), type, first + fd + 1)) return {};
    }
}

Result<void> fd_lookup(ProcInode* dir, Dentry* dentry) { return fd_lookup_entry(dir, dentry, &fd_link_entry); }
Result<void> fd_readdir(ProcInode* dir, DirContext& ctx, int64_t first) {
    return fd_readdir_entries(dir, ctx, first, DT_LNK);
}
Result<void> fdinfo_lookup(ProcInode* dir, Dentry* dentry) {
    return fd_lookup_entry(dir, dentry, &fdinfo_file_entry);
}
Result<void> fdinfo_readdir(ProcInode* dir, DirContext& ctx, int64_t first) {
    return fd_readdir_entries(dir, ctx, first, DT_REG);
}

// The fs_struct of the task; a kernel thread works in init_fs, as Linux's kernel threads do.
Result<RefPtr<FsStruct>> task_fs_ref(Task* task) {
    TRY(proc_may_access_task(task));
    if (!proc_task_alive(task)) return Errno::ENOENT;
    RefPtr<FsStruct> fs = get_task_fs(task);
    if (!fs && (task->flags & PF_KTHREAD)) {
        if (FsStruct* init = init_fs()) {
            init->ref();
            fs = adopt_ref(init);
        }
    }
    if (!fs) return Errno::ENOENT;
    return fs;
}

}  // namespace

Result<void> proc_may_access_task(Task* task) {
    Task* self = current();
    if (self->tgid == task->tgid) return {};
    const Credentials* mine = self->cred;  // a task's own credentials are stable for it
    if (mine->euid == 0) return {};  // CAP_SYS_PTRACE
    Credentials* theirs = get_task_cred(task);
    bool same = mine->fsuid == theirs->uid && mine->fsuid == theirs->euid && mine->fsuid == theirs->suid &&
                mine->fsgid == theirs->gid && mine->fsgid == theirs->egid && mine->fsgid == theirs->sgid;
    put_cred(theirs);
    return same ? Result<void>{} : Result<void>{Errno::EACCES};
}

Result<Path> proc_cwd_path(ProcInode* inode) { return TRY(task_fs_ref(inode->task))->pwd(); }
Result<Path> proc_root_path(ProcInode* inode) { return TRY(task_fs_ref(inode->task))->root(); }

Result<Path> proc_exe_path(ProcInode* inode) {
    TRY(proc_may_access_task(inode->task));
    if (!proc_task_alive(inode->task)) return Errno::ENOENT;
    MmStruct* mm = get_task_mm(inode->task);
    if (!mm) return Errno::ENOENT;
    File* exe = get_mm_exe_file(mm);
    mmput(mm);
    if (!exe) return Errno::ENOENT;
    Path path = exe->path;
    exe->unref();
    return path;
}

const ProcDir proc_fd_dir = {nullptr, 0, fd_lookup, fd_readdir};
const ProcDir proc_fdinfo_dir = {nullptr, 0, fdinfo_lookup, fdinfo_readdir};
