// rename(2)/renameat2: Linux's do_renameat2, lock_rename and vfs_rename, with their errors in order.
#include <fs/internal.hpp>
#include <fs/permission.hpp>
#include <fs/vfs.hpp>

namespace {

// Locks the two parent directories in the order inode.hpp prescribes and finds the "trap": when one
// directory is an ancestor of the other, its child on the way down (moving that child into the other
// directory would make it its own descendant).
class RenameLock {
public:
    RenameLock(Dentry* p1, Dentry* p2) {
        if (p1 == p2) {
            first_ = p1->inode;
            first_->lock.lock();
            return;
        }
        sb_ = p1->sb;
        sb_->rename_mutex.lock();
        if (Dentry* child = d_ancestor_child(p2, p1)) {
            trap_ = child;
            first_ = p2->inode;
            second_ = p1->inode;
        } else if (Dentry* child = d_ancestor_child(p1, p2)) {
            trap_ = child;
            first_ = p1->inode;
            second_ = p2->inode;
        } else {
            // Unrelated: with rename_mutex held no other rename can lock them the other way round.
            first_ = p1->inode;
            second_ = p2->inode;
        }
        first_->lock.lock();
        second_->lock.lock();
    }
    ~RenameLock() {
        if (second_) second_->lock.unlock();
        first_->lock.unlock();
        if (sb_) sb_->rename_mutex.unlock();
    }
    RenameLock(const RenameLock&) = delete;
    RenameLock& operator=(const RenameLock&) = delete;

    const Dentry* trap() const { return trap_; }

private:
    SuperBlock* sb_ = nullptr;
    Inode* first_ = nullptr;
    Inode* second_ = nullptr;
    Dentry* trap_ = nullptr;
};

// Locks the inodes being renamed (one or two, never the same twice), by address.
class VictimLock {
public:
    VictimLock(Inode* a, Inode* b) {
        if (a == b) b = nullptr;
        if (a && b && b < a) {
            Inode* t = a;
            a = b;
            b = t;
        }
        a_ = a;
        b_ = b;
        if (a_) a_->lock.lock();
        if (b_) b_->lock.lock();
    }
    ~VictimLock() {
        if (b_) b_->lock.unlock();
        if (a_) a_->lock.unlock();
    }
    VictimLock(const VictimLock&) = delete;
    VictimLock& operator=(const VictimLock&) = delete;

private:
    Inode* a_;
    Inode* b_;
};

}  // namespace

Result<void> vfs_rename(const VfsCaller& old_caller, const char* oldpath, const VfsCaller& new_caller,
                        const char* newpath, unsigned flags) {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return Errno::EINVAL;
    if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) return Errno::EINVAL;
    if (flags & RENAME_WHITEOUT) return Errno::EINVAL;  // overlay whiteouts: not supported
    bool exchange = flags & RENAME_EXCHANGE;

    ParentPath from = TRY(path_parent(old_caller, oldpath));
    ParentPath to = TRY(path_parent(new_caller, newpath));
    if (from.dir.mnt.get() != to.dir.mnt.get()) return Errno::EXDEV;
    if (from.type != LastType::Norm) return Errno::EBUSY;
    if (to.type != LastType::Norm) return (flags & RENAME_NOREPLACE) ? Errno::EEXIST : Errno::EBUSY;
    TRY(mnt_want_write(from.dir.mnt.get()));

    Inode* old_dir = from.dir.inode();
    Inode* new_dir = to.dir.inode();
    RenameLock lock(from.dir.dentry.get(), to.dir.dentry.get());

    Path old_path = TRY(lookup_one_locked(from.dir, from.name, from.len));
    Dentry* old_dentry = old_path.dentry.get();
    if (old_dentry->is_negative()) return Errno::ENOENT;
    Path new_path = TRY(lookup_one_locked(to.dir, to.name, to.len));
    Dentry* new_dentry = new_path.dentry.get();
    if ((flags & RENAME_NOREPLACE) && !new_dentry->is_negative()) return Errno::EEXIST;
    if (exchange) {
        if (new_dentry->is_negative()) return Errno::ENOENT;
        if (!new_dentry->is_dir() && to.trailing_slash) return Errno::ENOTDIR;
    }
    // Trailing slashes are only for directories.
    if (!old_dentry->is_dir()) {
        if (from.trailing_slash) return Errno::ENOTDIR;
        if (!exchange && to.trailing_slash) return Errno::ENOTDIR;
    }
    if (old_dentry == lock.trap()) return Errno::EINVAL;           // into its own subtree
    if (new_dentry == lock.trap()) return exchange ? Errno::EINVAL : Errno::ENOTEMPTY;  // over an ancestor

    // vfs_rename.
    Inode* source = old_dentry->inode;
    Inode* target = new_dentry->inode;
    if (source == target) return {};  // two names of one file: nothing to do
    bool is_dir = source->is_dir();
    bool new_is_dir = target && target->is_dir();
    TRY(may_delete(old_dir, old_dentry, is_dir, old_caller.cred));
    if (!target)
        TRY(may_create(new_dir, new_caller.cred));
    else
        TRY(may_delete(new_dir, new_dentry, exchange ? new_is_dir : is_dir, new_caller.cred));
    if (!old_dir->i_op || !old_dir->i_op->rename) return Errno::EPERM;
    // A directory changing parents has its ".." rewritten: that needs write permission on it.
    if (new_dir != old_dir) {
        if (is_dir) TRY(inode_permission(source, MAY_WRITE, old_caller.cred));
        if (exchange && new_is_dir) TRY(inode_permission(target, MAY_WRITE, new_caller.cred));
    }

    VictimLock victims(source, target);
    if (old_dentry->mounted || new_dentry->mounted) return Errno::EBUSY;
    TRY(old_dir->i_op->rename(old_dir, old_dentry, new_dir, new_dentry, flags));
    if (exchange)
        d_exchange(old_dentry, new_dentry);
    else
        d_move(old_dentry, new_dentry);
    return {};
}
