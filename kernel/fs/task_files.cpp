// The descriptor table and fs_struct of tasks across fork, exec and exit (see task_files.hpp).
#include <fs/devtmpfs.hpp>
#include <fs/init.hpp>
#include <fs/namei.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <locking/spinlock.hpp>
#include <mm/filemap.hpp>
#include <printk/printk.hpp>
#include <process/cred.hpp>
#include <process/process.hpp>
#include <process/rlimit.hpp>
#include <utility>

namespace {

SpinLock init_fs_lock;
FsStruct* init_fs_struct = nullptr;  // one reference, never dropped

}  // namespace

FsStruct* init_fs() {
    {
        SpinLockGuard guard(init_fs_lock);
        if (init_fs_struct) return init_fs_struct;
    }
    Path root = rootfs_root();
    if (!root.dentry) return nullptr;
    Result<RefPtr<FsStruct>> made = FsStruct::create(root, root, 022);
    if (made.is_error()) return nullptr;
    FsStruct* fs = made.value().leak_ref();
    SpinLockGuard guard(init_fs_lock);
    if (init_fs_struct) {
        fs->unref();  // lost the race: another task made it meanwhile (only a reference to drop)
        return init_fs_struct;
    }
    init_fs_struct = fs;
    return fs;
}

FsStruct* task_fs(Task* task) { return task->fs ? task->fs : init_fs(); }

namespace {

// Replaces task->files / task->fs under the task's alloc_lock; returns the old pointer, whose
// reference the caller drops outside the lock.
template <typename T>
T* swap_task_pointer(Task* task, T* Task::*member, T* value) {
    SpinLockIrqSaveGuard guard(task->alloc_lock);
    return std::exchange(task->*member, value);
}

}  // namespace

RefPtr<FdTable> get_task_files(Task* task) {
    SpinLockIrqSaveGuard guard(task->alloc_lock);
    if (!task->files) return {};
    task->files->ref();
    return adopt_ref(task->files);
}

RefPtr<FsStruct> get_task_fs(Task* task) {
    SpinLockIrqSaveGuard guard(task->alloc_lock);
    if (!task->fs) return {};
    task->fs->ref();
    return adopt_ref(task->fs);
}

unsigned current_nofile_limit() {
    uint64_t limit = rlimit(current(), RLIMIT_NOFILE);
    return limit > kNrOpenMax ? kNrOpenMax : unsigned(limit);
}

Result<void> copy_files(uint64_t clone_flags, Task* child) {
    FdTable* files = current()->files;
    if (files && (clone_flags & CLONE_FILES)) {
        files->ref();
        child->files = files;
        return {};
    }
    RefPtr<FdTable> table = files ? TRY(files->fork_copy()) : TRY(FdTable::create());
    child->files = table.leak_ref();
    return {};
}

Result<void> copy_fs(uint64_t clone_flags, Task* child) {
    FsStruct* fs = task_fs(current());
    if (!fs) {  // no VFS yet (host tests of the process code)
        child->fs = nullptr;
        return {};
    }
    if (clone_flags & CLONE_FS) {
        fs->ref();
        child->fs = fs;
        return {};
    }
    child->fs = TRY(fs->copy()).leak_ref();
    return {};
}

void exit_files(Task* task) {
    // The descriptors close when the last sharer lets go (FdTable's destructor closes them all).
    if (FdTable* files = swap_task_pointer(task, &Task::files, static_cast<FdTable*>(nullptr))) files->unref();
}

void exit_fs(Task* task) {
    if (FsStruct* fs = swap_task_pointer(task, &Task::fs, static_cast<FsStruct*>(nullptr))) fs->unref();
}

void do_close_on_exec(Task* task) {
    FdTable* files = task->files;
    if (!files) return;
    // The new program gets a table of its own (Linux's unshare_files): a table shared through
    // CLONE_FILES keeps the other sharers' close-on-exec descriptors open. Without memory for the
    // copy (past exec's point of no return) the shared table is used, as before unsharing existed.
    if (files->ref_count() > 1) {
        Result<RefPtr<FdTable>> copy = files->fork_copy();
        if (!copy.is_error()) {
            swap_task_pointer(task, &Task::files, copy.release_value().leak_ref());
            files->unref();
            files = task->files;
        }
    }
    files->close_on_exec();
}

Result<File*> mmap_fget(int fd) {
    FdTable* files = current()->files;
    if (!files) return Errno::EBADF;
    return TRY(files->get(fd)).leak_ref();
}

void console_on_rootfs() {
    Task* self = current();
    FsStruct* fs = init_fs();
    if (!self->fs && fs) {
        fs->ref();  // PID 1 shares init_fs with the kernel threads, as Linux's init does (CLONE_FS)
        swap_task_pointer(self, &Task::fs, fs);
    }
    if (!self->files) {
        Result<RefPtr<FdTable>> table = FdTable::create();
        if (table.is_error()) {
            pr_err("Warning: unable to open an initial console.");
            return;
        }
        swap_task_pointer(self, &Task::files, table.value().leak_ref());
    }
    if (!fs) {
        pr_err("Warning: unable to open an initial console.");
        return;
    }
    Path root = fs->root();
    VfsCaller caller{root, root, init_cred, 0};
    Result<RefPtr<File>> first = vfs_open(caller, "/dev/console", O_RDWR | O_LARGEFILE, 0);
    if (first.is_error() && first.error() == Errno::ENOENT) {
        // No /dev/console in the initramfs: the kernel mounts its devtmpfs on /dev, as Linux does
        // with CONFIG_DEVTMPFS_MOUNT, and tries again.
        (void)vfs_mkdir(caller, "/dev", 0755);
        if (vfs_mount(caller, "devtmpfs", "/dev", "devtmpfs", 0, nullptr)) pr_info("devtmpfs: mounted");
    }
    Result<RefPtr<File>> console =
        first.is_error() ? vfs_open(caller, "/dev/console", O_RDWR | O_LARGEFILE, 0) : std::move(first);
    if (console.is_error()) {
        pr_err("Warning: unable to open an initial console.");
        return;
    }
    // Descriptor 0 (the table is empty), then 1 and 2 as its duplicates: one open file, like Linux's.
    if (self->files->alloc_fd(console.release_value(), false, kNrOpenDefault).is_error()) {
        pr_err("Warning: unable to open an initial console.");
        return;
    }
    (void)self->files->dup2(0, 1, kNrOpenDefault);
    (void)self->files->dup2(0, 2, kNrOpenDefault);
}
