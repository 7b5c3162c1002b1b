#pragma once
// What every file system call does before it calls the VFS (vfs.hpp): find the open file behind a
// descriptor, copy a path in from user memory, and say who is asking and from where (a VfsCaller with
// the process's root, its cwd or an *at() dirfd's directory as base, its credentials and umask).
#include <fs/fdtable.hpp>
#include <fs/file.hpp>
#include <fs/namei.hpp>
#include <lib/result.hpp>
#include <lib/uaccess.hpp>

// The current process's open file at `fd`, with a reference. EBADF.
Result<RefPtr<File>> fdget(int fd);
// The same, refusing O_PATH files (EBADF), as every call that does I/O or changes the file does.
Result<RefPtr<File>> fdget_io(int fd);
// The current descriptor table; nullptr only for kernel threads.
FdTable* current_files();

// A path copied in from user memory (Linux's getname), in a PATH_MAX buffer of its own.
// EFAULT, ENAMETOOLONG (no NUL within PATH_MAX bytes), ENOMEM.
class UserPath {
public:
    UserPath() = default;
    UserPath(UserPath&& o) : buf_(o.buf_) { o.buf_ = nullptr; }
    UserPath(const UserPath&) = delete;
    UserPath& operator=(const UserPath&) = delete;
    ~UserPath();
    static Result<UserPath> copy_in(UserPtr<const char> user);
    const char* get() const { return buf_; }
    bool empty() const { return !buf_[0]; }

private:
    char* buf_ = nullptr;
};

// A VfsCaller for the current task, with the Paths it refers to. Build one with at_caller() and keep
// it alive while its vfs() is in use.
struct AtCaller {
    Path root, base;
    const Credentials* cred = nullptr;
    uint32_t umask = 022;
    VfsCaller vfs() const { return VfsCaller{root, base, *cred, umask}; }
};
// *at()'s base directory: AT_FDCWD is the cwd; another dirfd names a directory (EBADF, ENOTDIR).
// Absolute paths ignore dirfd, as Linux does. An empty `path` with AT_EMPTY_PATH is the caller's
// business (it acts on the dirfd's file itself, see fdget_at_empty).
Result<AtCaller> at_caller(int dirfd, const char* path);
// The file a call with AT_EMPTY_PATH and "" acts on: dirfd's open file's path (any type of file), or
// the cwd for AT_FDCWD. EBADF.
Result<Path> path_at_empty(int dirfd);
// Resolves `path` relative to dirfd with lookup flags; with AT_EMPTY_PATH in `at_flags` and an empty
// path, the dirfd's file.
Result<Path> user_path_at(int dirfd, const UserPath& path, unsigned lookup_flags, int at_flags);
