#pragma once
// For the file-system self-tests: a private tmpfs, detached from the name space, that a test uses as
// its root and drops at the end (everything in it is freed then).
#include <fs/cred.hpp>
#include <fs/mount.hpp>
#include <fs/namei.hpp>
#include <fs/tmpfs/tmpfs.hpp>

class KtestTmpfs {
public:
    KtestTmpfs() {
        Result<RefPtr<Mount>> m = vfs_kern_mount(&tmpfs_fs_type, 0, "ktest", "mode=0755");
        if (m.is_error()) return;
        mnt_ = m.release_value();
        root_ = Path{mnt_, RefPtr<Dentry>(mnt_->root)};
    }
    bool ok() const { return bool(mnt_); }
    VfsCaller caller() const { return VfsCaller{root_, root_, cred_, 022}; }
    const Path& root() const { return root_; }

private:
    Credentials cred_;  // root
    RefPtr<Mount> mnt_;
    Path root_;
};
