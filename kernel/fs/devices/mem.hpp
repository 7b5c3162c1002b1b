#pragma once
// The memory character devices of major 1 (Linux's drivers/char/mem.c numbers):
//   /dev/null (1,3)     reads end at once, writes are discarded
//   /dev/zero (1,5)     reads give zeros, writes are discarded
//   /dev/full (1,7)     reads give zeros, writes fail with ENOSPC
//   /dev/random (1,8)   the kernel CSPRNG, after it is seeded
//   /dev/urandom (1,9)  the kernel CSPRNG
// /dev/mem, /dev/kmem, /dev/port and /dev/kmsg (1,1 1,2 1,4 1,11) are not provided: ENXIO.
#include <fs/file.hpp>
#include <lib/result.hpp>

constexpr uint32_t MEM_MAJOR = 1;

// Registers major 1 with the character-device registry and its nodes with devtmpfs.
Result<void> chr_dev_init();

extern const FileOperations null_fops;
extern const FileOperations zero_fops;
extern const FileOperations full_fops;
extern const FileOperations random_fops;
extern const FileOperations urandom_fops;
