#pragma once
// Bringing up the VFS at boot (Linux's vfs_caches_init + init_rootfs + init_mount_tree): register the
// file-system types and mount a tmpfs as the root of the initial name space ("rootfs"), where the
// initramfs is unpacked and init starts.
#include <fs/mount.hpp>
#include <lib/result.hpp>

// Idempotent; runs as a core initcall.
Result<void> vfs_init();
// "/" of the initial name space: init's root and working directory. Empty before vfs_init.
Path rootfs_root();
