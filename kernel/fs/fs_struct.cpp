#include <fs/fs_struct.hpp>
#include <mm/slab.hpp>

Result<RefPtr<FsStruct>> FsStruct::create(const Path& root, const Path& pwd, uint32_t umask) {
    FsStruct* fs = knew<FsStruct>();
    if (!fs) return Errno::ENOMEM;
    fs->root_ = root;
    fs->pwd_ = pwd;
    fs->umask_ = umask & 0777;
    return adopt_ref(fs);
}

Result<RefPtr<FsStruct>> FsStruct::copy() {
    Path root, pwd;
    uint32_t mask;
    {
        SpinLockGuard guard(lock_);
        root = root_;
        pwd = pwd_;
        mask = umask_;
    }
    return create(root, pwd, mask);
}

Path FsStruct::root() {
    SpinLockGuard guard(lock_);
    return root_;
}

Path FsStruct::pwd() {
    SpinLockGuard guard(lock_);
    return pwd_;
}

uint32_t FsStruct::umask() {
    SpinLockGuard guard(lock_);
    return umask_;
}

void FsStruct::set_root(const Path& path) {
    Path old;
    {
        SpinLockGuard guard(lock_);
        old = root_;
        root_ = path;
    }
    // `old` drops its references here, outside the lock.
}

void FsStruct::set_pwd(const Path& path) {
    Path old;
    {
        SpinLockGuard guard(lock_);
        old = pwd_;
        pwd_ = path;
    }
}

uint32_t FsStruct::set_umask(uint32_t mask) {
    SpinLockGuard guard(lock_);
    uint32_t old = umask_;
    umask_ = mask & 0777;
    return old;
}
