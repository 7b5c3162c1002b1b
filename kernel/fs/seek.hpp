#pragma once
// llseek implementations file systems and drivers plug into FileOperations::llseek. They run with the
// file's pos_lock held (vfs_llseek takes it) and set file->pos.
#include <fs/file.hpp>

// Regular files: SEEK_SET/CUR/END relative to the size; SEEK_DATA/SEEK_HOLE treat the whole file as
// data (holes are allowed to read as data). EINVAL past the super block's maxbytes or below 0.
Result<int64_t> generic_file_llseek(File* file, int64_t offset, int whence);
// Directories whose positions are cookies: SEEK_SET and SEEK_CUR to non-negative positions only.
Result<int64_t> dir_llseek(File* file, int64_t offset, int whence);
// Character devices without positions (/dev/null, /dev/zero): every seek lands at 0 and succeeds.
Result<int64_t> null_llseek(File* file, int64_t offset, int whence);
// Streams that ignore the position but allow seeking (/dev/urandom): returns it unchanged.
Result<int64_t> noop_llseek(File* file, int64_t offset, int whence);
