#pragma once
// devtmpfs: /dev populated by the kernel. Drivers register the nodes of their devices (name, type and
// permissions, number) as they register the devices themselves, and each instance of the "devtmpfs"
// file system (a tmpfs) comes with every registered node already in it; devtmpfs_populate() makes
// the same nodes in an existing directory instead. (Linux's devtmpfs keeps one instance and adds
// nodes as devices appear; Tern's devices all register at boot, before user space mounts /dev.)
#include <fs/mount.hpp>
#include <fs/namei.hpp>
#include <fs/super.hpp>
#include <lib/result.hpp>

// `name` must stay valid (a string literal): the registry keeps the pointer. Names with '/' (nodes in
// subdirectories) are not supported yet: EINVAL. EEXIST for a name registered before, ENOSPC past
// 128 nodes.
Result<void> devtmpfs_register_node(const char* name, uint32_t mode, kdev_t dev);
// Creates every registered node in `dir` (owned by root); names that exist already are left alone.
Result<void> devtmpfs_populate(const Path& dir);
// Creates `path` (0755) if missing and populates it: what init does with "mount -t devtmpfs" today.
Result<void> devtmpfs_setup(const VfsCaller& caller, const char* path);

extern FileSystemType devtmpfs_fs_type;
