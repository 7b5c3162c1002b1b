// The mount tree: creating, attaching, detaching and crossing mounts.
#include <fs/mount.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>

SpinLock mount_lock;

namespace {

Atomic<uint64_t> next_mount_id{1};

// A kmalloc'd copy of a mount source ("none" when there is none, as Linux shows it); nullptr on ENOMEM.
char* copy_devname(const char* source) {
    if (!source) source = "none";
    size_t len = strnlen(source, PATH_MAX - 1);
    char* copy = static_cast<char*>(kmalloc(len + 1));
    if (!copy) return nullptr;
    memcpy(copy, source, len);
    copy[len] = '\0';
    return copy;
}

Mount* alloc_mount(SuperBlock* sb, Dentry* root, unsigned flags, const char* source) {
    Mount* m = knew<Mount>();
    if (!m) return nullptr;
    m->devname = copy_devname(source);
    if (!m->devname) {
        kdelete(m);
        return nullptr;
    }
    m->sb = sb;
    m->root = dget(root);
    m->flags = flags;
    m->id = next_mount_id.fetch_add(1, MemoryOrder::Relaxed);
    m->parent = m;
    return m;
}

}  // namespace

unsigned mnt_flags_from_ms(unsigned long ms) {
    unsigned f = 0;
    if (ms & MS_RDONLY) f |= MNT_READONLY;
    if (ms & MS_NOSUID) f |= MNT_NOSUID;
    if (ms & MS_NODEV) f |= MNT_NODEV;
    if (ms & MS_NOEXEC) f |= MNT_NOEXEC;
    return f;
}

void Mount::on_last_unref() {
    // Detached by now (the tree holds a reference while attached), so parent == this.
    dput(root);
    deactivate_super(sb);
    kfree(devname);
    kdelete(this);
}

Result<RefPtr<Mount>> vfs_kern_mount(FileSystemType* type, unsigned long flags, const char* source,
                                     const char* data) {
    SuperBlock* sb = TRY(type->mount(type, flags, source, data));
    Mount* m = alloc_mount(sb, sb->root, mnt_flags_from_ms(flags), source);
    if (!m) {
        deactivate_super(sb);
        return Errno::ENOMEM;
    }
    return adopt_ref(m);
}

Result<RefPtr<Mount>> clone_mount(const Path& root, unsigned mnt_flags) {
    SuperBlock* sb = root.mnt->sb;
    sb->active.fetch_add(1, MemoryOrder::Relaxed);
    Mount* m = alloc_mount(sb, root.dentry.get(), mnt_flags, root.mnt->devname);
    if (!m) {
        deactivate_super(sb);
        return Errno::ENOMEM;
    }
    return adopt_ref(m);
}

Result<void> attach_mount(RefPtr<Mount> child, const Path& mountpoint) {
    if (!mountpoint.dentry->is_dir()) return Errno::ENOTDIR;
    Mount* parent = mountpoint.mnt.get();
    Mount* m = child.leak_ref();  // the tree's reference
    parent->ref();                // the child's reference to its parent
    dget(mountpoint.dentry.get());
    SpinLockGuard guard(mount_lock);
    m->parent = parent;
    m->mountpoint = mountpoint.dentry.get();
    m->attached = true;
    mountpoint.dentry->mounted++;
    parent->children.push_back(*m);
    return {};
}

void detach_mount_tree(Mount* mnt) {
    // Children first, so each detach below only unhooks a leaf.
    for (;;) {
        Mount* child = nullptr;
        {
            SpinLockGuard guard(mount_lock);
            if (!mnt->children.empty()) child = mnt->children.front();
        }
        if (!child) break;
        detach_mount_tree(child);
    }
    Mount* old_parent;
    Dentry* old_mountpoint;
    {
        SpinLockGuard guard(mount_lock);
        if (!mnt->attached) return;
        mnt->attached = false;
        mnt->parent->children.remove(*mnt);
        mnt->mountpoint->mounted--;
        old_parent = mnt->parent;
        old_mountpoint = mnt->mountpoint;
        // A detached mount (lazy umount) is its own root: ".." stays inside it.
        mnt->parent = mnt;
        mnt->mountpoint = nullptr;
    }
    old_parent->unref();
    dput(old_mountpoint);
    mnt->unref();  // the tree's reference
}

RefPtr<Mount> lookup_mnt(const Mount* parent, const Dentry* mountpoint) {
    SpinLockGuard guard(mount_lock);
    if (!mountpoint->mounted) return nullptr;
    // The most recent mount on a mount point is the last on the list and covers the others.
    Mount* found = nullptr;
    for (Mount& m : parent->children)
        if (m.mountpoint == mountpoint) found = &m;
    return RefPtr<Mount>(found);
}

void follow_mount(Path& path) {
    while (path.dentry->mounted) {
        RefPtr<Mount> m = lookup_mnt(path.mnt.get(), path.dentry.get());
        if (!m) return;
        path.dentry = RefPtr<Dentry>(m->root);
        path.mnt = static_cast<RefPtr<Mount>&&>(m);
    }
}

bool follow_up(Path& path) {
    bool moved = false;
    while (path.dentry.get() == path.mnt->root) {
        Mount* parent;
        Dentry* mountpoint;
        {
            SpinLockGuard guard(mount_lock);
            parent = path.mnt->parent;
            mountpoint = path.mnt->mountpoint;
            if (parent == path.mnt.get()) return moved;
            // Our reference to path.mnt keeps its parent and mount point referenced.
            parent->ref();
            dget(mountpoint);
        }
        path.dentry = adopt_ref(mountpoint);
        path.mnt = adopt_ref(parent);
        moved = true;
    }
    return moved;
}

bool mount_busy(Mount* mnt, uint32_t expected_refs) {
    SpinLockGuard guard(mount_lock);
    return !mnt->children.empty() || mnt->ref_count() > expected_refs;
}

Result<void> mnt_want_write(const Mount* mnt) {
    if (mnt->read_only()) return Errno::EROFS;
    return {};
}
