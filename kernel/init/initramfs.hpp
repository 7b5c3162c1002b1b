#pragma once
// The initramfs: each initrd module holds one or more newc cpio archives, each plain or gzip-compressed,
// back to back (Linux accepts the same). populate_rootfs() decodes them at boot. Until the VFS exists
// (the processes work unpacks into a tmpfs root) the archives stay in memory and are searched by path;
// a later archive's entry overrides an earlier one with the same name, as unpacking would.
#include <lib/cpio.hpp>
#include <lib/result.hpp>

Result<void> populate_rootfs();

// Looks up an absolute path ("/init"); false if no archive has it.
bool initramfs_lookup(const char* path, CpioEntry& entry);
size_t initramfs_entry_count();
