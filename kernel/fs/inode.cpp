// Inode set-up, teardown and the attribute helpers every file system shares.
#include <fs/chrdev.hpp>
#include <fs/cred.hpp>
#include <fs/inode.hpp>
#include <fs/pipe.hpp>
#include <fs/super.hpp>

namespace {
Atomic<uint64_t> inodes_in_use{0};
}  // namespace

uint64_t nr_inodes_in_use() { return inodes_in_use.load(MemoryOrder::Relaxed); }

void inode_init(Inode* inode, SuperBlock* sb) {
    inodes_in_use.fetch_add(1, MemoryOrder::Relaxed);
    inode->sb = sb;
    inode->ino = sb->next_ino.fetch_add(1, MemoryOrder::Relaxed);
    inode->nlink = 1;
    Timespec64 now = current_time();
    inode->atime = inode->mtime = inode->ctime = inode->btime = now;
}

void inode_init_owner(Inode* inode, const Inode* dir, uint32_t mode, const Credentials& cred) {
    inode->uid = cred.fsuid;
    if (dir && (dir->mode & S_ISGID)) {
        inode->gid = dir->gid;
        if (S_ISDIR(mode)) mode |= S_ISGID;
    } else {
        inode->gid = cred.fsgid;
    }
    inode->mode = mode;
}

void init_special_inode(Inode* inode, uint32_t mode, kdev_t rdev) {
    inode->mode = mode;
    if (S_ISCHR(mode)) {
        inode->i_fop = &def_chr_fops;
        inode->rdev = rdev;
    } else if (S_ISBLK(mode)) {
        // No block devices yet: opening one fails with ENXIO (no driver for the number).
        inode->i_fop = &def_blk_fops;
        inode->rdev = rdev;
    } else {
        // FIFOs open as pipes; sockets have no open operation (ENXIO: they are reached through
        // connect(), never open()).
        inode->i_fop = S_ISFIFO(mode) ? &pipefifo_fops : nullptr;
    }
}

Timespec64 current_time() { return ktime_get_real_ts64(); }

void inode_touch_cmtime(Inode* inode) { inode->mtime = inode->ctime = current_time(); }

void setattr_copy(Inode* inode, const IAttr& attr) {
    if (attr.valid & IAttr::UID) inode->uid = attr.uid;
    if (attr.valid & IAttr::GID) inode->gid = attr.gid;
    if (attr.valid & IAttr::MODE) inode->mode = (inode->mode & S_IFMT) | (attr.mode & S_IALLUGO);
    if (attr.valid & IAttr::ATIME) inode->atime = attr.atime;
    if (attr.valid & IAttr::MTIME) inode->mtime = attr.mtime;
    if (attr.valid & IAttr::CTIME) inode->ctime = attr.ctime;
}

void Inode::on_last_unref() {
    inodes_in_use.fetch_sub(1, MemoryOrder::Relaxed);
    SuperBlock* s = sb;
    if (s->ops->evict_inode) s->ops->evict_inode(this);
    if (s->ops->destroy_inode)
        s->ops->destroy_inode(this);
    else
        kdelete(this);
}
