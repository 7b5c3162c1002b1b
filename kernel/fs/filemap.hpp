#pragma once
// Reading and writing files whose data lives in their AddressSpace (inode->mapping): Linux's
// filemap_read and generic_perform_write, for tmpfs today and any page-cache file system later.
#include <fs/file.hpp>
#include <fs/inode.hpp>

// Copies from the pages (holes read as zeros) up to the size; advances *pos.
Result<size_t> filemap_read(File* file, IoIter& to, int64_t* pos);
// Copies into the pages, allocating them as needed, and grows the size; O_APPEND writes at the end.
// Takes the inode lock. A write cut short by ENOSPC/ENOMEM returns what was written; EFBIG at the
// size limit. Updates mtime/ctime and clears set-id bits for non-root openers.
Result<size_t> filemap_write(File* file, IoIter& from, int64_t* pos);
// Sets the size (inode lock held): shrinking drops the pages past the end and zeroes the tail of the
// last one, so that growing again later reads zeros there.
void filemap_set_size(Inode* inode, int64_t size);
