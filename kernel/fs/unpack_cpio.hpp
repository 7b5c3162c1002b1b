#pragma once
// Unpacking a "newc" cpio archive into the file tree, as Linux's initramfs does (init/initramfs.c):
//   - directories are made (an existing one is kept), then owner, mode and, at the very end (once
//     nothing more is created in them), their mtime are set;
//   - regular files are created or truncated and written, with owner, mode and mtime;
//   - symlinks, and character/block device, FIFO and socket nodes are made with owner and mtime;
//   - an entry whose name exists with another file type replaces it;
//   - entries with nlink >= 2 and the same (ino, device, type) within one archive are hard links: the
//     first is created, the others are linked to it (and data in a later one is written to the same
//     file, which is where GNU cpio puts it);
//   - "." sets the attributes of the root; "TRAILER!!!" ends an archive (and its hard-link table).
// Entries that cannot be created are counted and skipped, as Linux does; a malformed archive stops
// the unpacking with EINVAL after what came before it was unpacked.
#include <fs/namei.hpp>
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

struct CpioUnpackStats {
    size_t dirs = 0;
    size_t files = 0;
    size_t symlinks = 0;
    size_t nodes = 0;       // device nodes, FIFOs, sockets
    size_t hardlinks = 0;   // entries made as links to an earlier one
    size_t failed = 0;      // entries that could not be created
    size_t bytes = 0;       // file data written
};

// Unpacks `data` (decoded: no compression) relative to caller.base, with caller's credentials (root
// for the initramfs) and caller.umask (0 for the initramfs: modes are set exactly).
Result<CpioUnpackStats> unpack_cpio(const VfsCaller& caller, const uint8_t* data, size_t size);

// populate_rootfs's call: unpacks into the root file system (rootfs_root()) as root with umask 0.
// ENOENT if the VFS is not up.
Result<CpioUnpackStats> unpack_to_rootfs(const uint8_t* data, size_t size);
