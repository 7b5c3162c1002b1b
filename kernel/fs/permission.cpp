#include <fs/permission.hpp>
#include <fs/super.hpp>

Result<void> inode_permission(const Inode* inode, int mask, const Credentials& cred) {
    if ((mask & MAY_WRITE) && inode->sb && inode->sb->read_only() &&
        (inode->is_reg() || inode->is_dir() || inode->is_symlink()))
        return Errno::EROFS;

    uint32_t mode = inode->mode;
    if (cred.fsuid == inode->uid)
        mode >>= 6;
    else if (cred.in_group(inode->gid))
        mode >>= 3;
    int rwx = mask & (MAY_READ | MAY_WRITE | MAY_EXEC);
    if ((rwx & ~int(mode & 7)) == 0) return {};

    if (capable_fs(cred)) {
        // CAP_DAC_OVERRIDE: everything but executing a file nobody may execute.
        if (!(rwx & MAY_EXEC) || inode->is_dir() || (inode->mode & 0111)) return {};
    }
    return Errno::EACCES;
}

bool inode_owner_or_root(const Inode* inode, const Credentials& cred) {
    return cred.fsuid == inode->uid || capable_fs(cred);
}

Result<void> may_create(const Inode* dir, const Credentials& cred) {
    if (dir->nlink == 0) return Errno::ENOENT;  // removed while someone was inside
    return inode_permission(dir, MAY_WRITE | MAY_EXEC, cred);
}

Result<void> may_delete(const Inode* dir, const Dentry* victim, bool isdir, const Credentials& cred) {
    const Inode* inode = victim->inode;
    if (!inode) return Errno::ENOENT;
    TRY(inode_permission(dir, MAY_WRITE | MAY_EXEC, cred));
    // Sticky directory (/tmp): only the file's owner, the directory's owner or root may remove.
    if ((dir->mode & S_ISVTX) && cred.fsuid != inode->uid && cred.fsuid != dir->uid && !capable_fs(cred))
        return Errno::EPERM;
    if (isdir) {
        if (!inode->is_dir()) return Errno::ENOTDIR;
        if (victim->is_root()) return Errno::EBUSY;
    } else if (inode->is_dir()) {
        return Errno::EISDIR;
    }
    if (dir->nlink == 0) return Errno::ENOENT;
    return {};
}
