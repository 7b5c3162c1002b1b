#pragma once
// Mapping files: the interface between mm/ (mmap, page faults) and the file systems (fs/).
//
// The first part is the VFS seen from mm: mm/filemap.cpp implements it on fs/'s File, Inode and
// AddressSpace, except mmap_fget, which belongs with the per-process descriptor table (fs/task_files.cpp).
// The second part is for file systems
// whose data lives in a page cache: their FileOperations::mmap is generic_file_mmap, and faults then
// come to filemap_get_page.
#include <lib/result.hpp>
#include <stdint.h>

struct File;
struct Page;
struct VmArea;
struct VmOperations;

// --- the VFS side --------------------------------------------------------------------------------
// A reference held by an area for its whole life (taken when the area is created or copied).
void mmap_file_get(File* file);
void mmap_file_put(File* file);
// mmap(2)'s descriptor: the current process's open file at `fd`, with a reference the caller drops
// with mmap_file_put. EBADF.
Result<File*> mmap_fget(int fd);
// What the open file allows, for mmap's permission checks.
constexpr unsigned MMAP_FILE_READ = 1u << 0;    // opened for reading
constexpr unsigned MMAP_FILE_WRITE = 1u << 1;   // opened for writing
constexpr unsigned MMAP_FILE_APPEND = 1u << 2;  // O_APPEND
unsigned mmap_file_access(File* file);
// The file's FileOperations::mmap: sets vma->vm_ops (and may change the area, e.g. /dev/zero makes a
// private mapping anonymous). ENODEV if the file cannot be mapped.
Result<void> mmap_file_call_mmap(File* file, VmArea* vma);
// The page at `index` of the file's page cache, with a reference for the caller (put_page when done):
// a hole is filled with a new zeroed page first. EFAULT if `index` lies at or beyond the end of the
// file (the access gets SIGBUS, as Linux), ENOMEM/ENOSPC when no page could be had.
Result<Page*> filemap_get_page(File* file, uint64_t index);

// --- for file systems --------------------------------------------------------------------------
// Faults through filemap_get_page(vma->file, pgoff).
extern const VmOperations generic_file_vm_ops;
// FileOperations::mmap for page-cache files: vma->vm_ops = &generic_file_vm_ops.
Result<void> generic_file_mmap(File* file, VmArea* vma);
