#pragma once
// The initramfs (Linux's init/initramfs.c): each initrd module holds one or more newc cpio archives,
// each plain or gzip-compressed, back to back. populate_rootfs() decodes them in order and unpacks them
// into the root tmpfs ("rootfs"), where kernel_init then looks for init; a later archive's entry
// replaces an earlier one with the same name.
#include <lib/result.hpp>

Result<void> populate_rootfs();
