// /proc/<pid>/mounts (and /proc/mounts, a link to self/mounts) and /proc/<pid>/mountinfo (Linux's
// fs/proc_namespace.c): the mount tree in pre-order, as the reader's root sees it.
//
//   mounts:     source mount-point fstype options 0 0
//   mountinfo:  id parent-id major:minor root mount-point options - fstype source super-options
// Names are escaped as Linux does (space, tab, newline and backslash as \ooo). Mounts outside the
// reader's root (chroot) are left out. File-system specific options (tmpfs size= ...) are not shown.
#include <fs/d_path.hpp>
#include <fs/init.hpp>
#include <fs/proc/internal.hpp>
#include <fs/uapi_fcntl.hpp>
#include <mm/slab.hpp>
#include <lib/string.hpp>

namespace {

void put_escaped(SeqBuf& m, const char* s) {
    for (; *s; s++) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\\') m.printf("\\%03o", unsigned(uint8_t(c)));
        else m.putc(c);
    }
}

void put_mount_flags(SeqBuf& m, const Mount* mnt) {
    m.puts(mnt->read_only() ? "ro" : "rw");
    if (mnt->flags & MNT_NOSUID) m.puts(",nosuid");
    if (mnt->flags & MNT_NODEV) m.puts(",nodev");
    if (mnt->flags & MNT_NOEXEC) m.puts(",noexec");
    m.puts(",relatime");  // Linux's default atime mode, which is how Tern's file systems behave
}

// The next mount after `cur` in pre-order of the tree under `top`, referenced; nullptr at the end (or
// if `cur` was detached meanwhile).
RefPtr<Mount> next_mount(Mount* cur, Mount* top) {
    SpinLockGuard guard(mount_lock);
    if (!cur->attached && cur != top) return nullptr;
    if (Mount* child = cur->children.front()) return RefPtr<Mount>(child);
    for (Mount* m = cur; m != top && m->parent != m; m = m->parent) {
        auto it = ++m->parent->children.iterator_to(*m);
        if (it != m->parent->children.end()) return RefPtr<Mount>(&*it);
    }
    return nullptr;
}

// The path of `dentry` inside its own file system ("/" for the root), for mountinfo's root field.
void dentry_path_in_sb(const Dentry* dentry, char* buf, size_t size) {
    char tmp[256];
    size_t pos = sizeof tmp - 1;
    tmp[pos] = '\0';
    {
        SpinLockGuard guard(dcache_lock);
        for (const Dentry* d = dentry; !d->is_root(); d = d->parent) {
            if (d->name_len + 1 > pos) break;
            pos -= d->name_len;
            memcpy(tmp + pos, d->name, d->name_len);
            tmp[--pos] = '/';
        }
    }
    strlcpy(buf, tmp[pos] ? tmp + pos : "/", size);
}

using ShowMount = void (*)(SeqBuf& m, Mount* mnt, const char* mountpoint);

Result<void> show_tree(SeqBuf& m, ShowMount show) {
    char* path = static_cast<char*>(kmalloc(PATH_MAX));
    if (!path) return Errno::ENOMEM;
    Path root = proc_reader_root();
    RefPtr<Mount> top = rootfs_root().mnt;
    for (RefPtr<Mount> cur = top; cur && !m.overflowed();) {
        Path at{cur, RefPtr<Dentry>(cur->root)};
        Result<size_t> len = d_path(at, root, path, PATH_MAX);
        static constexpr char kUnreachable[] = "(unreachable)";
        if (!len.is_error() && strncmp(path, kUnreachable, sizeof kUnreachable - 1) != 0) show(m, cur.get(), path);
        cur = next_mount(cur.get(), top.get());
    }
    kfree(path);
    return {};
}

void show_mounts_line(SeqBuf& m, Mount* mnt, const char* mountpoint) {
    put_escaped(m, mnt->devname ? mnt->devname : "none");
    m.putc(' ');
    put_escaped(m, mountpoint);
    m.printf(" %s ", mnt->sb->type->name);
    put_mount_flags(m, mnt);
    m.puts(" 0 0\n");
}

void show_mountinfo_line(SeqBuf& m, Mount* mnt, const char* mountpoint) {
    uint64_t parent_id;
    {
        SpinLockGuard guard(mount_lock);
        parent_id = mnt->parent->id;
    }
    char root[256];
    dentry_path_in_sb(mnt->root, root, sizeof root);
    m.printf("%llu %llu %u:%u ", (unsigned long long)mnt->id, (unsigned long long)parent_id, MAJOR(mnt->sb->dev),
             MINOR(mnt->sb->dev));
    put_escaped(m, root);
    m.putc(' ');
    put_escaped(m, mountpoint);
    m.putc(' ');
    put_mount_flags(m, mnt);
    m.printf(" - %s ", mnt->sb->type->name);
    put_escaped(m, mnt->devname ? mnt->devname : "none");
    m.puts(mnt->sb->read_only() ? " ro\n" : " rw\n");
}

}  // namespace

Result<void> proc_mounts_show(SeqBuf& m, ProcInode* inode) {
    if (inode->task && !proc_task_alive(inode->task)) return Errno::ESRCH;
    return show_tree(m, show_mounts_line);
}

Result<void> proc_mountinfo_show(SeqBuf& m, ProcInode* inode) {
    if (inode->task && !proc_task_alive(inode->task)) return Errno::ESRCH;
    return show_tree(m, show_mountinfo_line);
}
