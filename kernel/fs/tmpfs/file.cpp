// tmpfs regular files: data in the inode's pages (filemap.hpp).
#include <fs/filemap.hpp>
#include <fs/seek.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <mm/filemap.hpp>

namespace {
// Data lives only in memory: there is nothing to write back.
Result<void> tmpfs_fsync(File*) { return {}; }
}  // namespace

const FileOperations tmpfs_file_operations = {
    .read = filemap_read,
    .write = filemap_write,
    .llseek = generic_file_llseek,
    .mmap = generic_file_mmap,
    .fsync = tmpfs_fsync,
};
