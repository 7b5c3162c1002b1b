#include <fs/d_path.hpp>
#include <lib/string.hpp>

namespace {

// Builds the name backwards from the end of the buffer.
class ReverseBuffer {
public:
    ReverseBuffer(char* buf, size_t size) : buf_(buf), pos_(size) {}
    bool prepend(const char* s, size_t n) {
        if (n > pos_) return overflow_ = true, false;
        pos_ -= n;
        memcpy(buf_ + pos_, s, n);
        return true;
    }
    bool overflow() const { return overflow_; }
    const char* start() const { return buf_ + pos_; }

private:
    char* buf_;
    size_t pos_;
    bool overflow_ = false;
};

struct Walked {
    bool unreachable = false;
    bool deleted = false;
};

// Prepends "/name" for each dentry from `path` up to `root`. Both spinlocks are held so that names,
// parents and mounts cannot change underneath (mount_lock first: the only place they nest).
Walked walk_up(const Path& path, const Path& root, ReverseBuffer& out) {
    Walked w;
    SpinLockGuard mounts(mount_lock);
    SpinLockGuard dentries(dcache_lock);
    const Dentry* d = path.dentry.get();
    const Mount* m = path.mnt.get();
    w.deleted = !d->hashed() && !d->is_root();
    bool any = false;
    while (!(d == root.dentry.get() && m == root.mnt.get())) {
        if (d == m->root) {
            if (m->parent == m) {  // a name-space root that is not ours
                w.unreachable = true;
                break;
            }
            d = m->mountpoint;
            m = m->parent;
            continue;
        }
        if (!out.prepend(d->name, d->name_len) || !out.prepend("/", 1)) return w;
        any = true;
        d = d->parent;
    }
    if (!any) out.prepend("/", 1);
    return w;
}

constexpr char kDeleted[] = " (deleted)";
constexpr char kUnreachable[] = "(unreachable)";

// The name `out` holds, moved to the start of buf with `suffix` and a NUL after it; false if it does
// not fit.
bool finish(char* buf, size_t size, const ReverseBuffer& out, const char* suffix, size_t* len_out) {
    if (out.overflow()) return false;
    size_t len = size_t(buf + size - out.start());
    size_t extra = strlen(suffix);
    if (len + extra + 1 > size) return false;
    memmove(buf, out.start(), len);
    memcpy(buf + len, suffix, extra);
    buf[len + extra] = '\0';
    *len_out = len + extra;
    return true;
}

}  // namespace

Result<size_t> d_path(const Path& path, const Path& root, char* buf, size_t size) {
    ReverseBuffer out(buf, size);
    Walked w = walk_up(path, root, out);
    if (w.unreachable) out.prepend(kUnreachable, sizeof(kUnreachable) - 1);
    size_t len;
    if (!finish(buf, size, out, w.deleted ? kDeleted : "", &len)) return Errno::ENAMETOOLONG;
    return len;
}

Result<size_t> vfs_getcwd(const Path& pwd, const Path& root, char* buf, size_t size) {
    ReverseBuffer out(buf, size);
    Walked w = walk_up(pwd, root, out);
    if (w.deleted) return Errno::ENOENT;
    // Outside the caller's root (a chroot it did not enter): Linux marks the name instead of failing.
    if (w.unreachable) out.prepend(kUnreachable, sizeof(kUnreachable) - 1);
    size_t len;
    if (!finish(buf, size, out, "", &len)) return Errno::ERANGE;
    return len + 1;
}
