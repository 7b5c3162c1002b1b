#pragma once
// Turning a Path back into a name (Linux's d_path and getcwd): for getcwd(2), /proc/<pid>/cwd and
// /proc/<pid>/fd/* links, and messages.
#include <fs/mount.hpp>
#include <lib/result.hpp>

// Writes the path of `path` as seen from `root` ("/a/b", "/" for the root itself) into buf,
// NUL-terminated, and returns its length. Mounts are left through their mount points. As Linux's /proc
// shows them, a path that is not below `root` (in a lazily detached mount, or outside a chroot) starts
// with "(unreachable)" and an unlinked one ends in " (deleted)". ENAMETOOLONG if it does not fit.
Result<size_t> d_path(const Path& path, const Path& root, char* buf, size_t size);

// getcwd(2): the working directory `pwd` as seen from `root`; returns the length including the NUL
// (what the system call returns). ENOENT if the directory was removed, ERANGE if `size` is too small;
// a directory not below `root` is named "(unreachable)/...", as Linux does since 2.6.36.
Result<size_t> vfs_getcwd(const Path& pwd, const Path& root, char* buf, size_t size);
