// unpack_cpio: Linux's initramfs unpacking rules (see unpack_cpio.hpp) over the VFS operations.
#include <fs/cred.hpp>
#include <fs/init.hpp>
#include <fs/unpack_cpio.hpp>
#include <fs/vfs.hpp>
#include <lib/cpio.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <printk/printk.hpp>

namespace {

// The names already given to inodes with several links, by (ino, device, type): Linux's link hash.
class HardLinkTable {
public:
    ~HardLinkTable() { clear(); }

    // The earlier name of this inode, or nullptr after recording `name` as its first.
    const char* find_or_add(const CpioEntry& e) {
        uint32_t type = e.mode & S_IFMT;
        for (Link* l = head_; l; l = l->next)
            if (l->ino == e.ino && l->major == e.devmajor && l->minor == e.devminor && l->type == type)
                return l->name;
        auto* l = static_cast<Link*>(kmalloc(sizeof(Link) + e.name_len + 1));
        if (!l) return nullptr;  // then the entry becomes a file of its own, as when unlinked
        *l = {e.ino, e.devmajor, e.devminor, type, head_};
        memcpy(l->name, e.name, e.name_len + 1);
        head_ = l;
        return nullptr;
    }

    void clear() {
        while (Link* l = head_) {
            head_ = l->next;
            kfree(l);
        }
    }

private:
    struct Link {
        uint32_t ino, major, minor, type;
        Link* next;
        char name[];
    };
    Link* head_ = nullptr;
};

// Directory mtimes, set last.
class DirTimes {
public:
    ~DirTimes() { clear(); }
    void add(const char* name, size_t len, uint32_t mtime) {
        auto* d = static_cast<DirTime*>(kmalloc(sizeof(DirTime) + len + 1));
        if (!d) return;  // the directory keeps the time it was made: not worth failing for
        d->mtime = mtime;
        d->next = head_;
        memcpy(d->name, name, len + 1);
        head_ = d;
    }
    template <class Fn>
    void for_each(Fn&& fn) {
        for (DirTime* d = head_; d; d = d->next) fn(d->name, d->mtime);
    }
    void clear() {
        while (DirTime* d = head_) {
            head_ = d->next;
            kfree(d);
        }
    }

private:
    struct DirTime {
        uint32_t mtime;
        DirTime* next;
        char name[];
    };
    DirTime* head_ = nullptr;
};

class Unpacker {
public:
    explicit Unpacker(const VfsCaller& caller) : caller_(caller) {}

    void entry(const CpioEntry& e);
    void finish();
    CpioUnpackStats stats;
    HardLinkTable links;

private:
    Result<void> set_attrs(const char* name, const CpioEntry& e, bool follow, bool with_mode);
    void set_mtime(const char* name, uint32_t mtime, bool follow);
    // Removes what exists at `name` if its type differs from `type` (0: whatever exists).
    void clean_path(const char* name, uint32_t type);
    // Links `name` to the earlier name of the same inode: 1 if linked, 0 if this is the first, -1 on
    // failure.
    int maybe_link(const CpioEntry& e);
    Result<void> write_file(const CpioEntry& e, bool linked);

    const VfsCaller& caller_;
    DirTimes dir_times_;
};

Result<void> Unpacker::set_attrs(const char* name, const CpioEntry& e, bool follow, bool with_mode) {
    Path p = TRY(path_lookup(caller_, name, follow ? LOOKUP_FOLLOW : 0));
    TRY(vfs_chown(caller_, p, e.uid, e.gid));
    if (with_mode) TRY(vfs_chmod(caller_, p, e.mode & S_IALLUGO));
    return {};
}

void Unpacker::set_mtime(const char* name, uint32_t mtime, bool follow) {
    Result<Path> p = path_lookup(caller_, name, follow ? LOOKUP_FOLLOW : 0);
    if (p.is_error()) return;
    Timespec64 t{int64_t(mtime), 0};
    (void)vfs_utimes(caller_, p.value(), &t, &t);
}

void Unpacker::clean_path(const char* name, uint32_t type) {
    Result<Kstat> st = vfs_stat(caller_, name, AT_SYMLINK_NOFOLLOW);
    if (st.is_error() || ((st.value().mode ^ type) & S_IFMT) == 0) return;
    if (S_ISDIR(st.value().mode))
        (void)vfs_rmdir(caller_, name);
    else
        (void)vfs_unlink(caller_, name);
}

int Unpacker::maybe_link(const CpioEntry& e) {
    if (e.nlink < 2) return 0;
    const char* old = links.find_or_add(e);
    if (!old) return 0;
    clean_path(e.name, 0);
    if (vfs_link(caller_, old, caller_, e.name, 0).is_error()) return -1;
    stats.hardlinks++;
    return 1;
}

Result<void> Unpacker::write_file(const CpioEntry& e, bool linked) {
    int flags = O_WRONLY | O_CREAT | O_LARGEFILE | (linked ? 0 : O_TRUNC);
    RefPtr<File> file = TRY(vfs_open(caller_, e.name, flags, e.mode & S_IALLUGO));
    TRY(vfs_chown(caller_, file->path, e.uid, e.gid));
    TRY(vfs_chmod(caller_, file->path, e.mode & S_IALLUGO));
    if (e.filesize) {
        TRY(vfs_truncate(caller_, file->path, e.filesize));
        size_t n = TRY(kernel_write(*file, e.data, e.filesize, 0));
        stats.bytes += n;
        if (n != e.filesize) return Errno::ENOSPC;
    }
    Timespec64 t{int64_t(e.mtime), 0};
    return vfs_utimes(caller_, file->path, &t, &t);
}

void Unpacker::entry(const CpioEntry& e) {
    uint32_t type = e.mode & S_IFMT;
    bool ok = true;
    if (!S_ISLNK(type)) clean_path(e.name, type);
    if (S_ISREG(type)) {
        int linked = maybe_link(e);
        ok = linked >= 0 && !write_file(e, linked == 1).is_error();
        if (ok && linked == 0) stats.files++;
    } else if (S_ISDIR(type)) {
        Result<void> made = vfs_mkdir(caller_, e.name, e.mode & S_IALLUGO);
        ok = !made.is_error() || made.error() == Errno::EEXIST;
        ok = ok && !set_attrs(e.name, e, true, true).is_error();
        if (ok) {
            stats.dirs++;
            dir_times_.add(e.name, e.name_len, e.mtime);
        }
    } else if (S_ISCHR(type) || S_ISBLK(type) || S_ISFIFO(type) || S_ISSOCK(type)) {
        int linked = maybe_link(e);
        if (linked == 0) {
            kdev_t rdev = MKDEV(e.rdevmajor, e.rdevminor);
            ok = !vfs_mknod(caller_, e.name, e.mode, rdev).is_error() && !set_attrs(e.name, e, false, true).is_error();
            if (ok) {
                set_mtime(e.name, e.mtime, false);
                stats.nodes++;
            }
        } else {
            ok = linked == 1;
        }
    } else if (S_ISLNK(type)) {
        ok = e.filesize > 0 && e.filesize < PATH_MAX;
        char* target = ok ? static_cast<char*>(kmalloc(e.filesize + 1)) : nullptr;
        ok = target != nullptr;
        if (ok) {
            memcpy(target, e.data, e.filesize);
            target[e.filesize] = '\0';
            clean_path(e.name, 0);
            ok = !vfs_symlink(caller_, target, e.name).is_error() && !set_attrs(e.name, e, false, false).is_error();
            kfree(target);
        }
        if (ok) {
            set_mtime(e.name, e.mtime, false);
            stats.symlinks++;
        }
    } else {
        ok = false;  // no such file type
    }
    if (!ok) stats.failed++;
}

void Unpacker::finish() {
    dir_times_.for_each([&](const char* name, uint32_t mtime) { set_mtime(name, mtime, true); });
    dir_times_.clear();
}

}  // namespace

Result<CpioUnpackStats> unpack_cpio(const VfsCaller& caller, const uint8_t* data, size_t size) {
    Unpacker unpacker(caller);
    CpioReader reader(data, size);
    CpioEntry e;
    size_t archives = 0;
    while (reader.next(e)) {
        // A trailer ended the archive before this entry: its hard links do not carry over.
        if (reader.archives() != archives) {
            archives = reader.archives();
            unpacker.links.clear();
        }
        unpacker.entry(e);
    }
    unpacker.finish();
    if (reader.error() != CpioError::None) {
        pr_err("initramfs: %s at offset %zu", cpio_error_name(reader.error()), reader.offset());
        return Errno::EINVAL;
    }
    return unpacker.stats;
}

Result<CpioUnpackStats> unpack_to_rootfs(const uint8_t* data, size_t size) {
    Path root = rootfs_root();
    if (!root.dentry) return Errno::ENOENT;
    Credentials cred;  // root
    VfsCaller caller{root, root, cred, 0};
    return unpack_cpio(caller, data, size);
}
