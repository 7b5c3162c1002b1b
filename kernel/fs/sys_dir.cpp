// Directories: getdents64, and the process's place in the tree: chdir, fchdir, chroot, getcwd.
#include <fs/d_path.hpp>
#include <fs/fs_struct.hpp>
#include <fs/inode.hpp>
#include <fs/permission.hpp>
#include <fs/syscall_util.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <mm/slab.hpp>
#include <process/cred.hpp>
#include <syscalls/syscall.hpp>

namespace {

Result<Path> lookup_dir(UserPtr<const char> upath) {
    UserPath path = TRY(UserPath::copy_in(upath));
    AtCaller at = TRY(at_caller(AT_FDCWD, path.get()));
    return vfs_lookup_dir(at.vfs(), path.get());
}

}  // namespace

SYSCALL_DEFINE3(getdents64, int, fd, uint64_t, dirent, uint64_t, count) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    if (!access_ok(dirent, count)) return -long(Errno::EFAULT);
    IoIter it = IoIter::user(dirent, count);
    return vfs_getdents64(*file, it).to_syscall_return();
}

SYSCALL_DEFINE1(chdir, UserPtr<const char>, upath) {
    FsStruct* fs = current()->fs;
    if (!fs) return -long(Errno::EINVAL);
    fs->set_pwd(TRY_SYSCALL(lookup_dir(upath)));
    return 0;
}

SYSCALL_DEFINE1(fchdir, int, fd) {
    FsStruct* fs = current()->fs;
    if (!fs) return -long(Errno::EINVAL);
    RefPtr<File> file = TRY_SYSCALL(fdget(fd));
    Inode* inode = file->path.inode();
    if (!inode || !inode->is_dir()) return -long(Errno::ENOTDIR);
    TRY_SYSCALL(inode_permission(inode, MAY_EXEC, *current_cred()));
    fs->set_pwd(file->path);
    return 0;
}

// chroot needs CAP_SYS_CHROOT, which goes with euid 0 (no capabilities yet).
SYSCALL_DEFINE1(chroot, UserPtr<const char>, upath) {
    FsStruct* fs = current()->fs;
    if (!fs) return -long(Errno::EINVAL);
    Path dir = TRY_SYSCALL(lookup_dir(upath));
    if (current_cred()->euid != 0) return -long(Errno::EPERM);
    fs->set_root(dir);
    return 0;
}

SYSCALL_DEFINE2(getcwd, uint64_t, ubuf, uint64_t, size) {
    FsStruct* fs = task_fs(current());
    if (!fs) return -long(Errno::ENOENT);
    size_t len = size < PATH_MAX ? size_t(size) : PATH_MAX;
    char* buf = static_cast<char*>(kmalloc(len ? len : 1));
    if (!buf) return -long(Errno::ENOMEM);
    Result<size_t> n = vfs_getcwd(fs->pwd(), fs->root(), buf, len);
    long ret = n.to_syscall_return();
    if (n && !copy_to_user(UserPtr<void>(ubuf), buf, n.value())) ret = -long(Errno::EFAULT);
    kfree(buf);
    return ret;
}
