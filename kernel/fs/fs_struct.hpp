#pragma once
// FsStruct: a process's root directory, working directory and umask (Linux's fs_struct). Threads
// created with CLONE_FS share one; fork() copies it. The syscall layer builds a VfsCaller from it
// (with the dirfd's directory as base for *at() calls).
#include <fs/mount.hpp>
#include <lib/refptr.hpp>
#include <lib/result.hpp>
#include <locking/spinlock.hpp>

struct FsStruct : RefCounted<FsStruct> {
    static Result<RefPtr<FsStruct>> create(const Path& root, const Path& pwd, uint32_t umask = 022);
    Result<RefPtr<FsStruct>> copy();

    Path root();
    Path pwd();
    uint32_t umask();
    void set_root(const Path& path);
    void set_pwd(const Path& path);
    // Sets the umask (& 0777) and returns the old one.
    uint32_t set_umask(uint32_t mask);

private:
    SpinLock lock_;
    Path root_, pwd_;
    uint32_t umask_ = 022;
};
