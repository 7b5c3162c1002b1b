#pragma once
// struct Mount: a super block's tree attached at a place in the name space (Linux's vfsmount), and
// struct Path: a (mount, dentry) pair, which is what a name resolves to: the same dentry can be seen
// through several mounts (bind mounts), and ".." at a mount's root leaves through the mount point.
//
// The mount tree: a mount's `parent` is the mount it is attached to and `mountpoint` the dentry in the
// parent's tree it covers; a name-space root is its own parent. A mount holds references to its root
// dentry, its mount point dentry, its parent mount and an active reference to its super block. The
// tree itself holds one reference to each attached mount; Paths (open files, working directories,
// lookups in progress) hold the others, which is how umount knows a mount is busy.
//
// mount_lock protects the tree (parent, children, attached) and Dentry::mounted. Only dcache_lock may
// be taken inside it (d_path walks both at once).
#include <fs/dentry.hpp>
#include <fs/super.hpp>
#include <lib/list.hpp>
#include <lib/refptr.hpp>
#include <locking/spinlock.hpp>

enum MountFlag : unsigned {
    MNT_READONLY = 1u << 0,
    MNT_NOSUID = 1u << 1,
    MNT_NODEV = 1u << 2,
    MNT_NOEXEC = 1u << 3,
};

struct Mount : RefCounted<Mount> {
    Mount* parent = nullptr;
    Dentry* mountpoint = nullptr;
    Dentry* root = nullptr;
    SuperBlock* sb = nullptr;
    unsigned flags = 0;  // MNT_*
    uint64_t id = 0;     // statx's stx_mnt_id
    char* devname = nullptr;  // mount(2)'s source, as /proc/mounts shows it (kmalloc'd; may be null)
    bool attached = false;
    ListNode child_node;
    IntrusiveList<Mount, &Mount::child_node> children;

    bool read_only() const { return (flags & MNT_READONLY) || sb->read_only(); }
    void on_last_unref();
};

extern SpinLock mount_lock;

struct Path {
    RefPtr<Mount> mnt;
    RefPtr<Dentry> dentry;

    Inode* inode() const { return dentry ? dentry->inode : nullptr; }
    bool operator==(const Path& o) const { return mnt.get() == o.mnt.get() && dentry.get() == o.dentry.get(); }
};

// mount(2)'s MS_RDONLY/NOSUID/NODEV/NOEXEC as MNT_* flags.
unsigned mnt_flags_from_ms(unsigned long ms);

// A detached mount of a new super block of `type` (Linux's vfs_kern_mount); its own name-space root.
Result<RefPtr<Mount>> vfs_kern_mount(FileSystemType* type, unsigned long flags, const char* source,
                                     const char* data);
// A detached mount showing `root` (a dentry of an existing mount's super block): bind mounts.
Result<RefPtr<Mount>> clone_mount(const Path& root, unsigned mnt_flags);
// Attaches `child` on `mountpoint` (which must be a directory); the tree takes its own reference.
Result<void> attach_mount(RefPtr<Mount> child, const Path& mountpoint);
// Detaches a mount (and, recursively, its children) from the tree, dropping the tree's references.
void detach_mount_tree(Mount* mnt);

// The mount attached on (parent, mountpoint), the most recent if several are stacked, with a reference.
RefPtr<Mount> lookup_mnt(const Mount* parent, const Dentry* mountpoint);
// Moves `path` down through every mount stacked on it (to the root of the topmost).
void follow_mount(Path& path);
// Moves `path` from a mount's root to its mount point in the parent mount, repeatedly; returns false
// (unchanged) at a name-space root.
bool follow_up(Path& path);

// Whether `mnt` is busy beyond `expected_refs` references (children count as busy).
bool mount_busy(Mount* mnt, uint32_t expected_refs);

// Marks the mount writable-needed: EROFS on a read-only mount or super block.
Result<void> mnt_want_write(const Mount* mnt);
