// tmpfs regular files: data in the inode's pages (filemap.hpp).
#include <fs/filemap.hpp>
#include <fs/seek.hpp>
#include <fs/tmpfs/tmpfs.hpp>

namespace {
// Data lives only in memory: there is nothing to write back.
Result<void> tmpfs_fsync(File*) { return {}; }
}  // namespace

const FileOperations tmpfs_file_operations = {
    .read = filemap_read,
    .write = filemap_write,
    .llseek = generic_file_llseek,
    .fsync = tmpfs_fsync,
};
