// Descriptors, user paths and callers for the file system calls (see syscall_util.hpp).
#include <fs/fs_struct.hpp>
#include <fs/inode.hpp>
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <mm/slab.hpp>
#include <process/cred.hpp>
#include <sched/task.hpp>

FdTable* current_files() { return current()->files; }

Result<RefPtr<File>> fdget(int fd) {
    FdTable* files = current_files();
    if (!files) return Errno::EBADF;
    return files->get(fd);
}

Result<RefPtr<File>> fdget_io(int fd) {
    RefPtr<File> file = TRY(fdget(fd));
    if (file->fmode & FMODE_PATH) return Errno::EBADF;
    return file;
}

UserPath::~UserPath() { kfree(buf_); }

Result<UserPath> UserPath::copy_in(UserPtr<const char> user) {
    UserPath path;
    path.buf_ = static_cast<char*>(kmalloc(PATH_MAX));
    if (!path.buf_) return Errno::ENOMEM;
    TRY(strncpy_from_user(path.buf_, user, PATH_MAX));
    return path;
}

Result<AtCaller> at_caller(int dirfd, const char* path) {
    FsStruct* fs = task_fs(current());
    if (!fs) return Errno::ENOENT;
    AtCaller at;
    at.root = fs->root();
    at.cred = current_cred();
    at.umask = fs->umask();
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        at.base = fs->pwd();
        return at;
    }
    RefPtr<File> dir = TRY(fdget(dirfd));
    at.base = dir->path;
    // An empty path is checked by the lookup (ENOENT) or taken by the caller (AT_EMPTY_PATH).
    Inode* inode = at.base.inode();
    if (path[0] && (!inode || !inode->is_dir())) return Errno::ENOTDIR;
    return at;
}

Result<Path> path_at_empty(int dirfd) {
    if (dirfd == AT_FDCWD) {
        FsStruct* fs = task_fs(current());
        if (!fs) return Errno::ENOENT;
        return fs->pwd();
    }
    RefPtr<File> file = TRY(fdget(dirfd));
    return file->path;
}

Result<Path> user_path_at(int dirfd, const UserPath& path, unsigned lookup_flags, int at_flags) {
    if (path.empty() && (at_flags & AT_EMPTY_PATH)) return path_at_empty(dirfd);
    AtCaller at = TRY(at_caller(dirfd, path.get()));
    return path_lookup(at.vfs(), path.get(), lookup_flags);
}
