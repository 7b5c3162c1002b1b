// mount, umount2 (vfs_mount, vfs_umount).
#include <fs/syscall_util.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <mm/slab.hpp>
#include <syscalls/syscall.hpp>

namespace {

constexpr size_t kMountDataMax = 4096;  // Linux copies at most one page of options

// A string argument that may be null (source, fstype, data): nullptr then.
Result<UserPath> optional_string(UserPtr<const char> user) {
    if (user.is_null()) return UserPath();
    return UserPath::copy_in(user);
}

}  // namespace

SYSCALL_DEFINE5(mount, UserPtr<const char>, usource, UserPtr<const char>, utarget, UserPtr<const char>, ufstype,
                unsigned long, flags, UserPtr<const char>, udata) {
    UserPath target = TRY_SYSCALL(UserPath::copy_in(utarget));
    UserPath source = TRY_SYSCALL(optional_string(usource));
    UserPath fstype = TRY_SYSCALL(optional_string(ufstype));
    AtCaller at = TRY_SYSCALL(at_caller(AT_FDCWD, target.get()));
    // The options are a string for every file system Tern has; at most a page of it is used.
    char* data = nullptr;
    if (!udata.is_null()) {
        data = static_cast<char*>(kmalloc(kMountDataMax));
        if (!data) return -long(Errno::ENOMEM);
        Result<size_t> n = strncpy_from_user(data, udata, kMountDataMax);
        if (n.is_error() && n.error() != Errno::ENAMETOOLONG) {
            kfree(data);
            return -long(n.error());
        }
        data[kMountDataMax - 1] = 0;
    }
    long ret = vfs_mount(at.vfs(), source.get(), target.get(), fstype.get(), flags, data).to_syscall_return();
    kfree(data);
    return ret;
}

SYSCALL_DEFINE2(umount2, UserPtr<const char>, utarget, int, flags) {
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -long(Errno::EINVAL);
    UserPath target = TRY_SYSCALL(UserPath::copy_in(utarget));
    AtCaller at = TRY_SYSCALL(at_caller(AT_FDCWD, target.get()));
    return vfs_umount(at.vfs(), target.get(), flags).to_syscall_return();
}
