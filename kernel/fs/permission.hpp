#pragma once
// Permission checks (Linux's inode_permission, may_create, may_delete): the owner/group/other bits
// against a Credentials, with the superuser's override.
#include <fs/cred.hpp>
#include <fs/dentry.hpp>
#include <fs/inode.hpp>
#include <lib/result.hpp>

enum MayMask : int {
    MAY_EXEC = 1,
    MAY_WRITE = 2,
    MAY_READ = 4,
    MAY_APPEND = 8,
};

// EACCES unless `cred` may do everything in `mask` to `inode`; EROFS for writes to files of a
// read-only super block. Root may read and write anything and search any directory, and execute a
// file when some execute bit is set.
Result<void> inode_permission(const Inode* inode, int mask, const Credentials& cred);
// Whether `cred` owns the inode or is root (chmod, utimes, sticky directories).
bool inode_owner_or_root(const Inode* inode, const Credentials& cred);
// May `cred` create a name in `dir`? ENOENT if the directory was removed, EACCES without write and
// search permission.
Result<void> may_create(const Inode* dir, const Credentials& cred);
// May `cred` remove `victim` (a name in `dir`)? In Linux's order: ENOENT (negative), EACCES (dir not
// writable and searchable), EPERM (sticky directory, not the owner), ENOTDIR/EBUSY when `isdir` and
// the victim is not a directory / is a root, EISDIR when not `isdir` and it is a directory.
Result<void> may_delete(const Inode* dir, const Dentry* victim, bool isdir, const Credentials& cred);
