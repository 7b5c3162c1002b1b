#pragma once
// struct Inode: one file-system object (a file, directory, symlink, device node, FIFO, socket),
// independent of the names it has. Dentries (dentry.hpp) give it names; open files reach it through
// their dentry.
//
// Lifetime: reference-counted. Each positive dentry holds a reference, and the file system may hold
// more. When the last reference goes the inode is evicted (its data freed, if nlink is 0 or the super
// block is going away) and destroyed through the super block's operations.
//
// Locking: `lock` (an FsMutex) serializes changes to the inode: size and data, nlink, mode/owner/times,
// and for a directory the set of names in it (create, unlink, rename). Lock order: rename_mutex of the
// super block, then directories (an ancestor before its descendant, otherwise by address), then
// non-directories, then the dcache and mount spinlocks.
#include <fs/fs_mutex.hpp>
#include <fs/kdev.hpp>
#include <fs/uapi_stat.hpp>
#include <lib/refptr.hpp>
#include <lib/result.hpp>
#include <time/clocksource_api.hpp>
#include <stdint.h>

struct Credentials;
struct Dentry;
struct File;
struct FileOperations;
struct Inode;
struct Path;
struct SuperBlock;
struct PipeInfo;
class AddressSpace;

// A change of attributes (chmod, chown, truncate, utimes), checked by the VFS and applied by the file
// system's setattr.
struct IAttr {
    enum : unsigned {
        MODE = 1u << 0,
        UID = 1u << 1,
        GID = 1u << 2,
        SIZE = 1u << 3,
        ATIME = 1u << 4,
        MTIME = 1u << 5,
        CTIME = 1u << 6,
    };
    unsigned valid = 0;
    uint32_t mode = 0;
    uint32_t uid = 0, gid = 0;
    int64_t size = 0;
    Timespec64 atime{}, mtime{}, ctime{};
};

// What each kind of inode can do. A null entry means the operation is not supported (the VFS then
// returns the errno Linux returns for that case).
struct InodeOperations {
    // Directories. `dentry` is an unused (negative) name in `dir`; on success the file system has
    // instantiated it (d_instantiate). Called with dir->lock held.
    Result<void> (*lookup)(Inode* dir, Dentry* dentry);
    Result<void> (*create)(Inode* dir, Dentry* dentry, uint32_t mode, const Credentials& cred);
    Result<void> (*mkdir)(Inode* dir, Dentry* dentry, uint32_t mode, const Credentials& cred);
    Result<void> (*mknod)(Inode* dir, Dentry* dentry, uint32_t mode, kdev_t rdev, const Credentials& cred);
    Result<void> (*symlink)(Inode* dir, Dentry* dentry, const char* target, const Credentials& cred);
    Result<void> (*link)(Dentry* old_dentry, Inode* dir, Dentry* new_dentry);
    // `dentry` is positive; the file system drops the name (nlink, the dentry's pin).
    Result<void> (*unlink)(Inode* dir, Dentry* dentry);
    Result<void> (*rmdir)(Inode* dir, Dentry* dentry);  // the VFS checked it is an empty directory
    // Moves old_dentry to new_dentry's name, replacing new_dentry's inode if it is positive (the VFS
    // checked types and permissions; the file system checks that a replaced directory is empty:
    // ENOTEMPTY). With RENAME_EXCHANGE the two swap. Both directories and both inodes are locked;
    // the VFS moves the dentries afterwards.
    Result<void> (*rename)(Inode* old_dir, Dentry* old_dentry, Inode* new_dir, Dentry* new_dentry,
                           unsigned flags);
    // Symlinks: the target, valid while the caller holds a reference to the inode.
    Result<const char*> (*get_link)(Inode* inode);
    // Applies a checked attribute change (with inode->lock held). Null: the generic one.
    Result<void> (*setattr)(Dentry* dentry, const IAttr& attr);
    // Whether a cached dentry of this inode still names it (Linux's d_revalidate): procfs answers
    // false once the process is gone, or always for links whose target depends on the reader. False
    // makes the lookup unhash the dentry and ask the directory's lookup again. Null: always valid.
    bool (*revalidate)(Dentry* dentry);
    // "Magic" symlinks (/proc/<pid>/fd/N, cwd, root, exe): following one jumps straight to the object
    // it stands for (Linux's nd_jump_link) instead of walking the text get_link gives readlink; so a
    // deleted file, or a pipe, can still be opened through it. Null: get_link's text is walked.
    Result<Path> (*jump_link)(Inode* inode);
};

struct Inode : RefCounted<Inode> {
    uint64_t ino = 0;
    uint32_t mode = 0;    // S_IFMT type | S_ISUID/S_ISGID/S_ISVTX | rwxrwxrwx
    uint32_t uid = 0, gid = 0;
    uint32_t nlink = 0;
    int64_t size = 0;
    uint64_t blocks = 0;  // 512-byte units of storage in use
    Timespec64 atime{}, mtime{}, ctime{}, btime{};
    kdev_t rdev = 0;      // device nodes
    const InodeOperations* i_op = nullptr;
    const FileOperations* i_fop = nullptr;  // what open() starts with
    SuperBlock* sb = nullptr;
    AddressSpace* mapping = nullptr;        // the data pages of a page-cache file, else nullptr
    PipeInfo* pipe = nullptr;               // pipes, and FIFOs while open (pipe.hpp)
    void* i_private = nullptr;              // the file system's
    FsMutex lock;

    bool is_dir() const { return S_ISDIR(mode); }
    bool is_reg() const { return S_ISREG(mode); }
    bool is_symlink() const { return S_ISLNK(mode); }

    // RefCounted: evict and destroy.
    void on_last_unref();
};

// Sets up a fresh inode of `sb` (called by the file system after its alloc_inode).
void inode_init(Inode* inode, SuperBlock* sb);
// Linux's inode_init_owner: uid from the caller; gid from the caller, or from a set-group-ID
// directory, in which case a new subdirectory inherits S_ISGID as well.
void inode_init_owner(Inode* inode, const Inode* dir, uint32_t mode, const Credentials& cred);
// For device nodes, FIFOs and sockets: the file operations that open reaches them through.
void init_special_inode(Inode* inode, uint32_t mode, kdev_t rdev);

// The file-system clock: real time, truncated to the granularity the file system keeps (1 ns).
Timespec64 current_time();
// Sets ctime and mtime to now (a directory's content or a file's data changed).
void inode_touch_cmtime(Inode* inode);

// Inodes set up by inode_init and not yet destroyed (leak checks in tests).
uint64_t nr_inodes_in_use();

// The generic setattr: copies the valid fields in (a SIZE change must be handled by the caller).
void setattr_copy(Inode* inode, const IAttr& attr);
