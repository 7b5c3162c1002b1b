#pragma once
// Helpers for file systems whose directories exist only in the dcache (Linux's libfs "simple_*"):
// every name is a dentry pinned with an extra reference (DCACHE_PINNED), so a lookup that misses the
// cache is a name that does not exist, readdir walks the dentry's children, and unlinking drops the
// pin. tmpfs, devtmpfs and (later) procfs and sysfs directories are built on these.
#include <fs/dentry.hpp>
#include <fs/file.hpp>
#include <fs/inode.hpp>

// The size a libfs directory reports grows by this per entry (Linux's BOGO_DIRENT_SIZE).
constexpr int64_t kBogoDirentSize = 20;

// lookup: nothing beyond the dcache exists, so the name stays negative.
Result<void> simple_lookup(Inode* dir, Dentry* dentry);
// Gives `dentry` its inode and pins it (the "directory entry" now exists).
void simple_instantiate(Dentry* dentry, Inode* inode);
// Whether a directory has no names left.
bool simple_empty(Dentry* dentry);
// The link, unlink, rmdir and rename operations of a libfs directory.
Result<void> simple_link(Dentry* old_dentry, Inode* dir, Dentry* dentry);
Result<void> simple_unlink(Inode* dir, Dentry* dentry);
Result<void> simple_rmdir(Inode* dir, Dentry* dentry);
Result<void> simple_rename(Inode* old_dir, Dentry* old_dentry, Inode* new_dir, Dentry* new_dentry,
                           unsigned flags);

// Directory file operations: readdir over the pinned children (positions are dir_offset cookies, 0
// and 1 being "." and ".."), seeking to positions.
extern const FileOperations simple_dir_operations;
// Directory inode operations for a read-only libfs directory: lookup only.
extern const InodeOperations simple_dir_inode_operations;
