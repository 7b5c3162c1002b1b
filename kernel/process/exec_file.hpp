#pragma once
// Where an executable's bytes come from: the one place exec looks up and reads a program.
//
// Programs are files of the VFS (the initramfs is unpacked into the root tmpfs at boot). Paths resolve
// from the root file system (tasks get their own root and working directory with fs/'s fs_struct);
// the VFS's path walk gives Linux's errnos (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES for a
// directory without search permission).
#include <fs/file.hpp>
#include <lib/refptr.hpp>
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

constexpr size_t kPathMax = 4096;  // Linux's PATH_MAX

struct ExecFile {
    RefPtr<File> file;
    uint64_t size = 0;
};

// Looks `path` up and checks that the caller may execute it: a regular file (else EACCES) with an
// execute bit for the caller's fsuid/fsgid (root needs any one of them), opened for reading.
Result<ExecFile> open_exec(const char* path);
// Exactly `len` bytes at `pos` (EIO if the file is shorter: it changed since exec looked at it).
Result<void> exec_read(ExecFile& file, uint64_t pos, void* buf, size_t len);
