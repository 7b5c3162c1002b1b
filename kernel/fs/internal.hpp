#pragma once
// Helpers shared by the VFS's own files (not for file systems or the syscall layer).
#include <fs/cred.hpp>
#include <fs/dentry.hpp>
#include <fs/inode.hpp>
#include <lib/result.hpp>

// Applies a checked attribute change with the inode locked (the file system's setattr, or the
// generic copy). SIZE changes need a setattr that handles them.
Result<void> notify_change(Dentry* dentry, const IAttr& attr);
// Caller holds inode->lock: the same.
Result<void> notify_change_locked(Dentry* dentry, const IAttr& attr);
// Sets the size to `length` and mtime/ctime to now (open's O_TRUNC, truncate, ftruncate), dropping
// set-id bits when a non-root caller changes a file (Linux's file_remove_privs).
Result<void> do_truncate(Dentry* dentry, int64_t length, const Credentials& cred);
// The set-id bits a non-root writer of `inode` must clear (0 if none): S_ISUID, and S_ISGID when the
// group may execute.
uint32_t privs_to_remove(const Inode* inode, const Credentials& cred);
