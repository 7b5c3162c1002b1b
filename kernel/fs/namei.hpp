#pragma once
// Path lookup (Linux's namei): turning a path string into a Path.
//
// Rules, as Linux applies them:
//   - An absolute path starts at the caller's root, a relative one at its base directory (the cwd or
//     an *at() dirfd). "" is ENOENT; a path of PATH_MAX bytes or more is ENAMETOOLONG.
//   - Every directory passed through must be searchable (EACCES) and every component before the last
//     must be a directory (ENOTDIR) or a symlink to one; a component longer than NAME_MAX is
//     ENAMETOOLONG when it is looked up, a missing one ENOENT.
//   - "." stays; ".." goes up, never above the caller's root, and leaves a mount through its mount
//     point; a name that is a mount point enters the mount on top of it.
//   - Symlinks before the last component are always followed, the last only when asked
//     (LOOKUP_FOLLOW) or when a trailing slash follows it. Relative targets resolve from the link's
//     directory, absolute ones from the root. More than MAXSYMLINKS (40) links in one lookup: ELOOP.
//   - A trailing slash requires the result to be a directory (ENOTDIR).
#include <fs/cred.hpp>
#include <fs/mount.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/result.hpp>

// Who is looking up, and from where. The caller keeps the Paths and credentials alive for the call.
struct VfsCaller {
    const Path& root;         // the caller's "/" (chroot)
    const Path& base;         // where relative paths start: the cwd, or the directory of a dirfd
    const Credentials& cred;
    uint32_t umask = 022;     // applied to the modes of files and directories it creates
};

// Lookup flags.
constexpr unsigned LOOKUP_FOLLOW = 1u << 0;     // follow a symlink in the last component
constexpr unsigned LOOKUP_DIRECTORY = 1u << 1;  // the result must be a directory

// The last component of a path, as its parent lookup found it.
enum class LastType { Norm, Dot, DotDot, Root };

// Resolves `path` completely.
Result<Path> path_lookup(const VfsCaller& caller, const char* path, unsigned flags);

// Resolves all of `path` but its last component, which is returned unresolved (never followed).
// `name` points into `path`, so `path` must outlive the result.
struct ParentPath {
    Path dir;
    const char* name = nullptr;
    size_t len = 0;
    LastType type = LastType::Norm;
    bool trailing_slash = false;  // the name was followed by '/'
};
Result<ParentPath> path_parent(const VfsCaller& caller, const char* path);

// The child `name` of the directory `dir` (a cached dentry, or one the file system looks up).
// Negative results are returned, not ENOENT. ENAMETOOLONG for long names.
// lookup_one enters mounts on the child and takes dir's inode lock when it must ask the file system.
// lookup_one_locked expects the caller to hold dir's lock and returns the child itself, not what is
// mounted on it (the name operations act on the mount point: EBUSY).
Result<Path> lookup_one(const Path& dir, const char* name, size_t len);
Result<Path> lookup_one_locked(const Path& dir, const char* name, size_t len);

// The parent of `path` for "..", never above `root`.
Path path_dotdot(const Path& path, const Path& root);
