#pragma once
// FdTable: a process's file descriptors (Linux's files_struct + fdtable): slots from 0 up, each an
// open file plus its close-on-exec flag. Threads created with CLONE_FILES share one table (it is
// reference-counted); fork() copies it (fork_copy).
//
// Semantics, as Linux's:
//   - allocation takes the lowest free descriptor below the RLIMIT_NOFILE ceiling the caller passes
//     (EMFILE when there is none);
//   - dup2(fd, fd) checks fd and returns it; dup3(fd, fd) is EINVAL; dup2/dup3 onto an open
//     descriptor closes that file first (atomically: no other thread can see the descriptor free);
//     newfd beyond the ceiling is EBADF; dup3 flags other than O_CLOEXEC are EINVAL;
//   - F_DUPFD(min) takes the lowest free descriptor >= min (EINVAL if min is beyond the ceiling);
//   - close_on_exec() closes every descriptor marked close-on-exec.
// Files are released (their last reference dropped) outside the table's lock.
#include <fs/file.hpp>
#include <lib/refptr.hpp>
#include <lib/result.hpp>
#include <locking/spinlock.hpp>
#include <stdint.h>

constexpr unsigned kNrOpenDefault = 1024;   // RLIMIT_NOFILE's default soft limit
constexpr unsigned kNrOpenMax = 1u << 20;   // fs.nr_open: no ceiling may go beyond

class FdTable : public RefCounted<FdTable> {
public:
    FdTable() = default;
    ~FdTable();

    static Result<RefPtr<FdTable>> create();
    // fork(): a new table with the same files (each gains a reference) and close-on-exec flags.
    Result<RefPtr<FdTable>> fork_copy();

    // Installs `file` at the lowest free descriptor >= `min` and < `ceiling` (open, socket, pipe).
    Result<int> alloc_fd(RefPtr<File> file, bool cloexec, unsigned ceiling, unsigned min = 0);
    // The file at `fd`, with a reference (EBADF if none).
    Result<RefPtr<File>> get(int fd);
    Result<void> close(int fd);
    Result<int> dup(int oldfd, unsigned ceiling);
    Result<int> dup2(int oldfd, int newfd, unsigned ceiling);
    Result<int> dup3(int oldfd, int newfd, int flags, unsigned ceiling);
    // fcntl F_DUPFD / F_DUPFD_CLOEXEC.
    Result<int> dupfd_min(int oldfd, int min, bool cloexec, unsigned ceiling);
    // fcntl F_GETFD / F_SETFD.
    Result<bool> get_cloexec(int fd);
    Result<void> set_cloexec(int fd, bool cloexec);
    void close_on_exec();
    // close_range(2): closes the open descriptors in [first, last], or only marks them close-on-exec.
    void close_range(unsigned first, unsigned last, bool cloexec_only);
    // Closes everything (exit).
    void close_all();

    // Descriptors in use (for tests and /proc).
    unsigned count_open();
    // /proc/<pid>/fd: the lowest open descriptor >= `from` (-1 if none), and the slots the table has
    // room for (status's FDSize).
    int next_open(unsigned from);
    unsigned capacity();

private:
    // Makes the arrays hold at least `want` slots; called without the lock, it allocates, then swaps
    // under the lock. ENOMEM.
    Result<void> expand(unsigned want);
    // Lowest free slot in [min, limit), or -1. Lock held.
    int find_free_locked(unsigned min, unsigned limit) const;
    void set_cloexec_locked(unsigned fd, bool on);
    // Replaces whatever is at `fd` (lock held); returns the old file for the caller to drop.
    File* install_locked(unsigned fd, File* file, bool cloexec);

    SpinLock lock_;
    File** files_ = nullptr;
    uint64_t* cloexec_ = nullptr;  // bit per descriptor
    unsigned capacity_ = 0;        // slots in files_ (a multiple of 64)
};
