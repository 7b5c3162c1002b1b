#include <fs/libfs.hpp>
#include <fs/seek.hpp>
#include <fs/uapi_fcntl.hpp>

Result<void> simple_lookup(Inode*, Dentry*) { return {}; }

void simple_instantiate(Dentry* dentry, Inode* inode) {
    d_instantiate(dentry, inode);
    {
        SpinLockGuard guard(dcache_lock);
        dentry->flags |= DCACHE_PINNED;
    }
    dget(dentry);
}

namespace {

void unpin(Dentry* dentry) {
    {
        SpinLockGuard guard(dcache_lock);
        if (!(dentry->flags & DCACHE_PINNED)) return;
        dentry->flags &= ~DCACHE_PINNED;
    }
    dput(dentry);
}

void drop_nlink(Inode* inode) {
    if (inode->nlink) inode->nlink--;
}

}  // namespace

bool simple_empty(Dentry* dentry) {
    SpinLockGuard guard(dcache_lock);
    for (Dentry& child : dentry->children)
        if (child.inode) return false;
    return true;
}

Result<void> simple_link(Dentry* old_dentry, Inode* dir, Dentry* dentry) {
    Inode* inode = old_dentry->inode;
    inode->nlink++;
    inode->ctime = current_time();
    dir->size += kBogoDirentSize;
    inode_touch_cmtime(dir);
    inode->ref();  // the new name's reference
    simple_instantiate(dentry, inode);
    return {};
}

namespace {

// The name `dentry` leaves `dir`: one link less, and the pin goes.
void drop_name(Inode* dir, Dentry* dentry) {
    Inode* inode = dentry->inode;
    Timespec64 now = current_time();
    inode->ctime = dir->ctime = dir->mtime = now;
    dir->size -= kBogoDirentSize;
    drop_nlink(inode);
    unpin(dentry);
}

}  // namespace

Result<void> simple_unlink(Inode* dir, Dentry* dentry) {
    drop_name(dir, dentry);
    return {};
}

Result<void> simple_rmdir(Inode* dir, Dentry* dentry) {
    if (!simple_empty(dentry)) return Errno::ENOTEMPTY;
    Inode* inode = dentry->inode;
    drop_nlink(inode);  // its "." entry
    drop_name(dir, dentry);
    drop_nlink(dir);    // its ".." entry
    return {};
}

Result<void> simple_rename(Inode* old_dir, Dentry* old_dentry, Inode* new_dir, Dentry* new_dentry,
                           unsigned flags) {
    Inode* inode = old_dentry->inode;
    Inode* target = new_dentry->inode;
    bool is_dir = inode->is_dir();
    Timespec64 now = current_time();
    if (flags & RENAME_EXCHANGE) {
        bool target_is_dir = target->is_dir();
        if (old_dir != new_dir && is_dir != target_is_dir) {
            // The directory among the two moves its ".." to the other parent.
            if (is_dir) {
                drop_nlink(old_dir);
                new_dir->nlink++;
            } else {
                drop_nlink(new_dir);
                old_dir->nlink++;
            }
        }
        old_dir->ctime = old_dir->mtime = new_dir->ctime = new_dir->mtime = now;
        inode->ctime = target->ctime = now;
        return {};
    }
    if (target) {
        if (target->is_dir() && !simple_empty(new_dentry)) return Errno::ENOTEMPTY;
        drop_name(new_dir, new_dentry);
        if (is_dir) {
            drop_nlink(target);   // the replaced directory's "."
            drop_nlink(old_dir);  // the moved directory's ".." leaves old_dir...
        }
        // ...and new_dir loses the replaced directory's ".." while gaining the moved one's.
    } else if (is_dir) {
        drop_nlink(old_dir);
        new_dir->nlink++;
    }
    new_dir->size += kBogoDirentSize;
    old_dir->size -= kBogoDirentSize;
    old_dir->ctime = old_dir->mtime = new_dir->ctime = new_dir->mtime = now;
    inode->ctime = now;
    return {};
}

namespace {

// readdir over the children: each step finds the next positive child at or after `pos` under the
// dcache lock, takes a reference and copies its name out, then emits it without the lock (the
// consumer may copy to user memory). The directory's inode lock, held by vfs_getdents64, keeps
// positive children from disappearing; negative ones may come and go meanwhile and are skipped.
Result<void> dcache_readdir(File* file, DirContext& ctx) {
    Dentry* dir = file->path.dentry.get();
    if (ctx.pos == 0) {
        if (!ctx.emit(".", 1, file->inode->ino, DT_DIR, 1)) return {};
    }
    if (ctx.pos == 1) {
        Inode* parent;
        {
            SpinLockGuard guard(dcache_lock);
            parent = dir->parent->inode;
        }
        if (!ctx.emit("..", 2, parent->ino, DT_DIR, 2)) return {};
    }
    Dentry* cursor = nullptr;  // the last child emitted, referenced
    char name[NAME_MAX + 1];
    for (;;) {
        Dentry* next = nullptr;
        uint64_t ino = 0;
        uint8_t type = 0;
        size_t len = 0;
        {
            SpinLockGuard guard(dcache_lock);
            auto it = cursor && cursor->hashed() && cursor->parent == dir
                          ? ++dir->children.iterator_to(*cursor)
                          : dir->children.begin();
            for (; it != dir->children.end(); ++it) {
                if (it->inode && int64_t(it->dir_offset) >= ctx.pos) {
                    next = &*it;
                    break;
                }
            }
            if (next) {
                next->count.fetch_add(1, MemoryOrder::Relaxed);
                len = next->name_len;
                for (size_t i = 0; i <= len; i++) name[i] = next->name[i];
                ino = next->inode->ino;
                type = mode_to_dt(next->inode->mode);
            }
        }
        if (cursor) dput(cursor);
        cursor = next;
        if (!next) return {};
        if (!ctx.emit(name, len, ino, type, int64_t(next->dir_offset) + 1)) {
            dput(cursor);
            return {};
        }
    }
}

}  // namespace

const FileOperations simple_dir_operations = {
    .llseek = dir_llseek,
    .iterate = dcache_readdir,
};

const InodeOperations simple_dir_inode_operations = {
    .lookup = simple_lookup,
};
