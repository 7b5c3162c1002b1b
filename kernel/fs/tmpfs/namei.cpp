// tmpfs directory operations: making inodes for new names (the rest is libfs).
#include <fs/filemap.hpp>
#include <fs/libfs.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>

namespace {

// Gives `dentry` (a free name in `dir`) a new inode.
Result<void> tmpfs_mknod(Inode* dir, Dentry* dentry, uint32_t mode, kdev_t rdev, const Credentials& cred) {
    Inode* inode = TRY(tmpfs_get_inode(dir->sb, dir, mode, rdev, cred));
    dir->size += kBogoDirentSize;
    inode_touch_cmtime(dir);
    simple_instantiate(dentry, inode);
    return {};
}

Result<void> tmpfs_create(Inode* dir, Dentry* dentry, uint32_t mode, const Credentials& cred) {
    return tmpfs_mknod(dir, dentry, mode, 0, cred);
}

Result<void> tmpfs_mkdir(Inode* dir, Dentry* dentry, uint32_t mode, const Credentials& cred) {
    TRY(tmpfs_mknod(dir, dentry, mode, 0, cred));
    dir->nlink++;  // the new directory's ".."
    return {};
}

Result<void> tmpfs_symlink(Inode* dir, Dentry* dentry, const char* target, const Credentials& cred) {
    size_t len = strlen(target);
    char* copy = static_cast<char*>(kmalloc(len + 1));
    if (!copy) return Errno::ENOMEM;
    memcpy(copy, target, len + 1);
    Result<Inode*> made = tmpfs_get_inode(dir->sb, dir, S_IFLNK | 0777, 0, cred);
    if (made.is_error()) {
        kfree(copy);
        return made.error();
    }
    Inode* inode = made.value();
    TMPFS_I(inode)->link = copy;
    inode->size = int64_t(len);
    dir->size += kBogoDirentSize;
    inode_touch_cmtime(dir);
    simple_instantiate(dentry, inode);
    return {};
}

Result<const char*> tmpfs_get_link(Inode* inode) { return static_cast<const char*>(TMPFS_I(inode)->link); }

// Attribute changes; a size change of a regular file goes through its pages.
Result<void> tmpfs_setattr(Dentry* dentry, const IAttr& attr) {
    Inode* inode = dentry->inode;
    if (attr.valid & IAttr::SIZE) {
        if (!inode->is_reg()) return Errno::EINVAL;
        if (attr.size != inode->size) filemap_set_size(inode, attr.size);
    }
    setattr_copy(inode, attr);
    return {};
}

}  // namespace

const InodeOperations tmpfs_dir_inode_operations = {
    .lookup = simple_lookup,
    .create = tmpfs_create,
    .mkdir = tmpfs_mkdir,
    .mknod = tmpfs_mknod,
    .symlink = tmpfs_symlink,
    .link = simple_link,
    .unlink = simple_unlink,
    .rmdir = simple_rmdir,
    .rename = simple_rename,
    .get_link = nullptr,
    .setattr = tmpfs_setattr,
};

const InodeOperations tmpfs_file_inode_operations = {
    .setattr = tmpfs_setattr,
};

const InodeOperations tmpfs_symlink_inode_operations = {
    .get_link = tmpfs_get_link,
    .setattr = tmpfs_setattr,
};

const InodeOperations tmpfs_special_inode_operations = {
    .setattr = tmpfs_setattr,
};
