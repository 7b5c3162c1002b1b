#pragma once
// struct SuperBlock: one mounted instance of a file system, and struct FileSystemType: a kind of file
// system that mount(2) can name (Linux's file_system_type), kept in a registry.
//
// Lifetime: `active` counts the mounts using the super block. When the last one goes, the type's
// kill_sb shuts it down (drops the dentry tree, which evicts the inodes) and frees it.
#include <fs/fs_mutex.hpp>
#include <fs/kdev.hpp>
#include <fs/uapi_stat.hpp>
#include <lib/atomic.hpp>
#include <lib/result.hpp>
#include <stdint.h>

struct Dentry;
struct Inode;
struct SuperBlock;
struct FileSystemType;

struct SuperOperations {
    // The file system's inode (which begins with, or derives from, Inode); nullptr when out of memory.
    Inode* (*alloc_inode)(SuperBlock* sb);
    void (*destroy_inode)(Inode* inode);
    // The inode is losing its last reference: free its data if nlink is 0 or the file system is
    // going away (for tmpfs always: only dentries keep its inodes).
    void (*evict_inode)(Inode* inode);
    Result<void> (*statfs)(SuperBlock* sb, LinuxStatfs& out);
    // Frees fs_info (after the dentry tree is gone).
    void (*put_super)(SuperBlock* sb);
    Result<void> (*remount)(SuperBlock* sb, unsigned long flags, const char* data);
};

enum SuperFlag : unsigned {
    SB_RDONLY = 1u << 0,
};

struct SuperBlock {
    FileSystemType* type = nullptr;
    const SuperOperations* ops = nullptr;
    Dentry* root = nullptr;      // holds a reference
    kdev_t dev = 0;              // st_dev of its files
    uint32_t blocksize = 4096;
    uint64_t magic = 0;          // statfs f_type
    int64_t maxbytes = 0;        // largest file size
    unsigned flags = 0;          // SB_*
    Atomic<uint32_t> active{1};  // mounts using it
    Atomic<uint64_t> next_ino{1};
    FsMutex rename_mutex;        // serializes renames between directories (ancestry checks)
    void* fs_info = nullptr;

    bool read_only() const { return flags & SB_RDONLY; }
};

struct FileSystemType {
    const char* name;
    unsigned fs_flags;  // FS_*
    // A new super block for `source` with mount options `data`, with active == 1.
    Result<SuperBlock*> (*mount)(FileSystemType* type, unsigned long flags, const char* source, const char* data);
    // Shuts a super block down when its last mount goes (generic_shutdown_super for most).
    void (*kill_sb)(SuperBlock* sb);
    FileSystemType* next;  // registry link
};

enum FsTypeFlag : unsigned {
    FS_REQUIRES_DEV = 1u << 0,
};

// EBUSY if a type of that name is registered already.
Result<void> register_filesystem(FileSystemType* type);
Result<void> unregister_filesystem(FileSystemType* type);
// nullptr if none.
FileSystemType* get_fs_type(const char* name);
// Calls fn for each registered type in registration order, with the registry locked (fn must not
// sleep or register types): /proc/filesystems.
void for_each_filesystem(void (*fn)(FileSystemType* type, void* arg), void* arg);

// A new super block of `type` (active 1, a fresh anonymous device number); ENOMEM, or EMFILE when
// anonymous device numbers run out.
Result<SuperBlock*> alloc_super(FileSystemType* type, const SuperOperations* ops);
// Drops one active reference; the last shuts the super block down.
void deactivate_super(SuperBlock* sb);
// What kill_sb usually does: drop the dentry tree, put_super, release the device number, free.
void generic_shutdown_super(SuperBlock* sb);
// A fresh inode of `sb` from its alloc_inode, initialised (inode_init); nullptr when out of memory.
Inode* new_inode(SuperBlock* sb);
