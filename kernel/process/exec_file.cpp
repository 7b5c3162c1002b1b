// Executables from the VFS (see exec_file.hpp).
#include <fs/task_files.hpp>
#include <fs/namei.hpp>
#include <fs/permission.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <process/cred.hpp>
#include <process/exec_file.hpp>

Result<ExecFile> open_exec(const char* path) {
    if (!*path) return Errno::ENOENT;
    const Credentials& cred = *current_cred();
    FsStruct* fs = task_fs(current());
    if (!fs) return Errno::ENOENT;  // no root file system (yet)
    Path root = fs->root(), pwd = fs->pwd();
    VfsCaller caller{root, pwd, cred, 0};
    Path found = TRY(path_lookup(caller, path, LOOKUP_FOLLOW));
    Inode* inode = found.inode();
    if (!inode || !inode->is_reg()) return Errno::EACCES;
    TRY(inode_permission(inode, MAY_EXEC, cred));
    ExecFile exec;
    exec.file = TRY(vfs_open_path(found, O_RDONLY | O_LARGEFILE, cred));
    exec.size = uint64_t(inode->size);
    return exec;
}

Result<void> exec_read(ExecFile& file, uint64_t pos, void* buf, size_t len) {
    auto* dst = static_cast<uint8_t*>(buf);
    while (len) {
        size_t got = TRY(kernel_read(*file.file, dst, len, int64_t(pos)));
        if (got == 0) return Errno::EIO;
        dst += got;
        pos += got;
        len -= got;
    }
    return {};
}
