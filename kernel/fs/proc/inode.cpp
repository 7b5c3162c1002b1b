// procfs inodes, dentries and directories: turning ProcEntry tables into inodes at lookup time,
// revalidating per-process names, and readdir over fixed plus generated names (internal.hpp).
#include <fs/d_path.hpp>
#include <fs/pipe.hpp>
#include <fs/proc/internal.hpp>
#include <fs/seek.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <mm/slab.hpp>
#include <process/cred.hpp>
#include <sched/pid.hpp>

namespace {

// Per-process names are valid while the process is; reader-dependent links never are.
bool proc_task_revalidate(Dentry* dentry) {
    ProcInode* pi = PROC_I(dentry->inode);
    return !pi->task || proc_task_alive(pi->task);
}
bool proc_link_revalidate(Dentry*) { return false; }

Result<const char*> proc_get_link(Inode* inode) {
    ProcInode* pi = PROC_I(inode);
    if (pi->link_error != Errno{}) return pi->link_error;
    if (!pi->link_target) return Errno::ENOENT;
    return static_cast<const char*>(pi->link_target);
}

// Following a magic link: the object as it is now (the descriptor may have been closed or reused
// since the lookup), with the access check made again.
Result<Path> proc_jump_link(Inode* inode) {
    ProcInode* pi = PROC_I(inode);
    if (pi->link_error != Errno{}) return pi->link_error;
    return pi->entry->link_path(pi);
}

// What readlink shows for a magic link's object: its path from the reader's root, or for a pipe
// (which lives on the internal pipefs) "pipe:[<inode number>]", as Linux's pipefs_dname.
Result<void> magic_link_text(const Path& path, char* buf, size_t size) {
    if (path.mnt->sb->magic == PIPEFS_MAGIC) {
        ksnprintf(buf, size, "pipe:[%llu]", (unsigned long long)path.inode()->ino);
        return {};
    }
    TRY(d_path(path, proc_reader_root(), buf, size));
    return {};
}

// Fills in a symlink's target at lookup. A magic link the reader may not read still exists (lstat
// works), but readlink and following fail with EACCES, as on Linux.
Result<void> fill_link_target(ProcInode* pi, char* target, size_t size) {
    if (!pi->entry->link_path) return pi->entry->link(pi, target, size);
    Result<Path> path = pi->entry->link_path(pi);
    if (path.is_error() && path.error() == Errno::EACCES) {
        pi->link_error = Errno::EACCES;
        target[0] = '\0';
        return {};
    }
    return magic_link_text(TRY(std::move(path)), target, size);
}

Result<void> proc_dir_lookup(Inode* dir, Dentry* dentry) {
    ProcInode* pi = PROC_I(dir);
    if (pi->task && !proc_task_alive(pi->task)) return {};  // stays negative: ENOENT
    const ProcDir* pd = pi->entry->dir;
    for (size_t i = 0; i < pd->nr_entries; i++) {
        const ProcEntry* e = &pd->entries[i];
        if (name_equal(dentry, e->name, strlen(e->name)))
            return proc_instantiate(dentry, e, pi->task, pi->thread_view);
    }
    if (pd->lookup) return pd->lookup(pi, dentry);
    return {};
}

Result<void> proc_dir_iterate(File* file, DirContext& ctx) {
    ProcInode* pi = PROC_I(file->inode);
    if (pi->task && !proc_task_alive(pi->task)) return Errno::ENOENT;
    if (ctx.pos == 0 && !ctx.emit(".", 1, pi->ino, DT_DIR, 1)) return {};
    if (ctx.pos == 1) {
        uint64_t parent_ino;
        {
            SpinLockGuard guard(dcache_lock);
            parent_ino = file->path.dentry->parent->inode->ino;
        }
        if (!ctx.emit("..", 2, parent_ino, DT_DIR, 2)) return {};
    }
    const ProcDir* pd = pi->entry->dir;
    if (!proc_readdir_entries(pd, ctx)) return {};
    if (pd->readdir) return pd->readdir(pi, ctx, proc_first_generated_pos(pd));
    return {};
}

const InodeOperations proc_dir_inode_operations = {
    .lookup = proc_dir_lookup,
    .revalidate = proc_task_revalidate,
};
const InodeOperations proc_file_inode_operations = {
    .revalidate = proc_task_revalidate,
};
const InodeOperations proc_link_inode_operations = {
    .get_link = proc_get_link,
    .revalidate = proc_link_revalidate,
};
const InodeOperations proc_magic_link_inode_operations = {
    .get_link = proc_get_link,
    .revalidate = proc_link_revalidate,
    .jump_link = proc_jump_link,
};
const FileOperations proc_dir_operations = {
    .llseek = dir_llseek,
    .iterate = proc_dir_iterate,
};

Inode* proc_alloc_inode(SuperBlock*) { return knew<ProcInode>(); }

void proc_destroy_inode(Inode* inode) {
    ProcInode* pi = PROC_I(inode);
    if (pi->task) put_task_struct(pi->task);
    kfree(pi->link_target);
    kdelete(pi);
}

Result<void> proc_statfs(SuperBlock*, LinuxStatfs& out) {
    out.f_bsize = out.f_frsize = 4096;
    return {};
}

const SuperOperations proc_super_operations = {
    .alloc_inode = proc_alloc_inode,
    .destroy_inode = proc_destroy_inode,
    .statfs = proc_statfs,
};

const ProcEntry proc_root_entry = {"/", S_IFDIR | 0555, nullptr, nullptr, &proc_root_dir};

// Each mount is its own super block (Linux shares one per pid namespace; Tern has one namespace, and
// nothing is kept in the super block but the root).
Result<SuperBlock*> proc_mount(FileSystemType* type, unsigned long flags, const char*, const char*) {
    SuperBlock* sb = TRY(alloc_super(type, &proc_super_operations));
    sb->magic = PROC_SUPER_MAGIC;
    sb->blocksize = 1024;
    sb->maxbytes = INT64_MAX;
    if (flags & MS_RDONLY) sb->flags |= SB_RDONLY;
    Inode* root = new_inode(sb);
    if (root) {
        ProcInode* pi = PROC_I(root);
        pi->entry = &proc_root_entry;
        root->mode = proc_root_entry.mode;
        root->nlink = 2;
        root->i_op = &proc_dir_inode_operations;
        root->i_fop = &proc_dir_operations;
    }
    if (!root || !(sb->root = d_make_root(root))) {
        if (root) root->unref();
        generic_shutdown_super(sb);
        return Errno::ENOMEM;
    }
    return sb;
}

}  // namespace

bool proc_task_alive(Task* task) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    return find_task_by_pid(task->pid) == task;
}

int proc_parse_pid(const char* name, size_t len) {
    if (len == 0 || len > 9 || name[0] == '0') return -1;
    int pid = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9') return -1;
        pid = pid * 10 + (name[i] - '0');
    }
    return pid;
}

bool proc_readdir_entries(const ProcDir* dir, DirContext& ctx) {
    for (int64_t i = ctx.pos - 2; i >= 0 && size_t(i) < dir->nr_entries; i = ctx.pos - 2) {
        const ProcEntry* e = &dir->entries[i];
        // Fixed entries have no inode yet: a stable made-up number, as Linux gives them one.
        uint64_t ino = 0x10000 + uint64_t(i);
        if (!ctx.emit(e->name, strlen(e->name), ino, mode_to_dt(e->mode), ctx.pos + 1)) return false;
    }
    return true;
}

Result<void> proc_instantiate(Dentry* dentry, const ProcEntry* entry, Task* task, bool thread_view, int fd) {
    Inode* inode = new_inode(dentry->sb);
    if (!inode) return Errno::ENOMEM;
    ProcInode* pi = PROC_I(inode);
    pi->entry = entry;
    pi->thread_view = thread_view;
    pi->fd = fd;
    if (task) {
        get_task_struct(task);
        pi->task = task;
        // Files of a process belong to its effective user, as on Linux.
        Credentials* cred = get_task_cred(task);
        inode->uid = cred->euid;
        inode->gid = cred->egid;
        put_cred(cred);
    }
    inode->mode = entry->mode;
    switch (entry->mode & S_IFMT) {
    case S_IFDIR:
        inode->nlink = 2;
        inode->i_op = &proc_dir_inode_operations;
        inode->i_fop = &proc_dir_operations;
        break;
    case S_IFLNK: {
        inode->i_op = entry->link_path ? &proc_magic_link_inode_operations : &proc_link_inode_operations;
        char* target = static_cast<char*>(kmalloc(PATH_MAX));
        if (!target) {
            inode->unref();
            return Errno::ENOMEM;
        }
        pi->link_target = target;  // freed with the inode
        Result<void> made = fill_link_target(pi, target, PATH_MAX);
        if (made.is_error()) {
            inode->unref();
            return made.error();
        }
        inode->size = int64_t(strlen(target));
        break;
    }
    default:
        inode->i_op = &proc_file_inode_operations;
        inode->i_fop = &proc_generated_file_operations;
        break;
    }
    {
        SpinLockGuard guard(dcache_lock);
        dentry->flags |= DCACHE_DONTCACHE;
    }
    d_instantiate(dentry, inode);
    return {};
}

FileSystemType proc_fs_type = {
    .name = "proc",
    .fs_flags = 0,
    .mount = proc_mount,
    .kill_sb = generic_shutdown_super,
    .next = nullptr,
};

namespace {

// The smallest pid >= `from` of a leader (tgid 0) or of a thread of `tgid`; -1 if none. The task list is
// in creation order, not pid order (pids wrap), so each step scans it: readdir of /proc costs
// O(tasks^2), which is fine at the sizes Tern runs.
int next_pid(int from, int tgid) {
    int best = -1;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    for (Task& p : all_tasks()) {
        if (p.pid < from || (best >= 0 && p.pid >= best)) continue;
        if (tgid ? p.tgid != tgid : p.pid != p.tgid) continue;
        best = p.pid;
    }
    return best;
}

}  // namespace

Result<void> proc_readdir_pids(DirContext& ctx, int64_t first, int tgid) {
    for (;;) {
        int64_t from = ctx.pos - first;
        if (from < 0) from = 0;
        int pid = next_pid(int(from), tgid);
        if (pid < 0) return {};
        char name[16];
        int len = ksnprintf(name, sizeof name, "%d", pid);
        // The inode number of a process directory is made up from its pid, as Linux's are.
        if (!ctx.emit(name, size_t(len), 0x100000 + uint64_t(pid), DT_DIR, first + pid + 1)) return {};
    }
}
