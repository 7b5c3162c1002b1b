#pragma once
// Where an executable's bytes come from: the one place exec looks up a path.
//
// Until the VFS is merged the files are those of the initramfs archives, read in place
// (init/initramfs.hpp): paths are resolved component by component against them, following symbolic
// links (at most 40, ELOOP), with Linux's errnos (ENOENT, ENOTDIR, ENAMETOOLONG). Once fs/ is in, this
// becomes an open of a File through the VFS and exec maps the segments from its page cache.
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

constexpr size_t kPathMax = 4096;  // Linux's PATH_MAX

struct ExecFile {
    const uint8_t* data = nullptr;  // the whole file, in kernel memory
    size_t size = 0;
    uint32_t mode = 0, uid = 0, gid = 0;
};

// Looks up `path` (absolute, or relative to "/": there is no working directory without fs/) and checks
// that the caller may execute it: a regular file (else EACCES) with an execute bit for the caller's
// fsuid/fsgid (root needs any one of them).
Result<ExecFile> open_exec(const char* path);
