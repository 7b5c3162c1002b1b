// Path lookup: the component walk, "..", mounts, symlinks (namei.hpp states the rules).
#include <fs/namei.hpp>
#include <fs/path_walk.hpp>
#include <fs/permission.hpp>
#include <lib/string.hpp>
#include <utility>

namespace {

LastType classify(const char* name, size_t len) {
    if (len == 1 && name[0] == '.') return LastType::Dot;
    if (len == 2 && name[0] == '.' && name[1] == '.') return LastType::DotDot;
    return LastType::Norm;
}

// The parent of a dentry, referenced. Its child's reference keeps it alive meanwhile.
Dentry* dget_parent(Dentry* d) {
    SpinLockGuard guard(dcache_lock);
    Dentry* parent = d->parent;
    parent->count.fetch_add(1, MemoryOrder::Relaxed);
    return parent;
}

// The cached child, if it is still valid: a dentry whose inode says it no longer names it (revalidate)
// is unhashed, and the caller asks the file system again.
Dentry* d_lookup_valid(Dentry* dir, const char* name, size_t len) {
    Dentry* d = d_lookup(dir, name, len);
    if (!d || !d->inode || !d->inode->i_op || !d->inode->i_op->revalidate) return d;
    if (d->inode->i_op->revalidate(d)) return d;
    d_drop(d);
    dput(d);
    return nullptr;
}

// With dir's inode lock held: the cached child, or a new dentry the file system fills in.
Result<Dentry*> lookup_slow_locked(Dentry* dir, const char* name, size_t len) {
    if (Dentry* d = d_lookup_valid(dir, name, len)) return d;
    Inode* dir_inode = dir->inode;
    if (dir_inode->nlink == 0) return Errno::ENOENT;  // removed: nothing can be in it
    Dentry* d = d_alloc(dir, name, len);
    if (!d) return Errno::ENOMEM;
    if (dir_inode->i_op && dir_inode->i_op->lookup) {
        Result<void> r = dir_inode->i_op->lookup(dir_inode, d);
        if (r.is_error()) {
            dput(d);
            return r.error();
        }
    }
    d_rehash(d);
    return d;
}

Result<Path> finish_lookup(const Path& dir, Dentry* d) {
    Path p{dir.mnt, adopt_ref(d)};
    if (!d->is_negative()) follow_mount(p);
    return p;
}

}  // namespace

Result<Path> lookup_one(const Path& dir, const char* name, size_t len) {
    if (len > NAME_MAX) return Errno::ENAMETOOLONG;
    Dentry* d = d_lookup_valid(dir.dentry.get(), name, len);
    if (!d) {
        FsMutexGuard guard(dir.inode()->lock);
        d = TRY(lookup_slow_locked(dir.dentry.get(), name, len));
    }
    return finish_lookup(dir, d);
}

Result<Path> lookup_one_locked(const Path& dir, const char* name, size_t len) {
    if (len > NAME_MAX) return Errno::ENAMETOOLONG;
    Dentry* d = TRY(lookup_slow_locked(dir.dentry.get(), name, len));
    return Path{dir.mnt, adopt_ref(d)};
}

Path path_dotdot(const Path& path, const Path& root) {
    Path p = path;
    for (;;) {
        if (p == root) return p;
        if (p.dentry.get() != p.mnt->root) {
            p.dentry = adopt_ref(dget_parent(p.dentry.get()));
            break;
        }
        if (!follow_up(p)) return p;  // the root of the name space
    }
    follow_mount(p);
    return p;
}

// --- PathWalk ---------------------------------------------------------------------------------------

PathWalk::~PathWalk() {
    for (unsigned i = 0; i < total_links_; i++) held_links_[i]->unref();
}

Result<void> PathWalk::start(const char* path) {
    size_t length = strnlen(path, PATH_MAX);
    if (length == PATH_MAX) return Errno::ENAMETOOLONG;
    if (length == 0) return Errno::ENOENT;
    if (path[0] == '/') {
        cur_ = caller_.root;
    } else {
        cur_ = caller_.base;
        if (!cur_.dentry->is_dir()) return Errno::ENOTDIR;
    }
    cursor_ = path;
    return walk();
}

Result<void> PathWalk::follow_last(const Path& link) {
    TRY(enter_link(link));
    return walk();
}

Path PathWalk::resolve_dots() const {
    if (type_ == LastType::DotDot) return path_dotdot(cur_, caller_.root);
    return cur_;
}

Result<void> PathWalk::enter_link(const Path& link) {
    if (total_links_ == MAXSYMLINKS) return Errno::ELOOP;
    Inode* inode = link.dentry->inode;
    if (!inode->i_op || !inode->i_op->get_link) return Errno::EINVAL;
    inode->ref();
    held_links_[total_links_++] = inode;
    if (inode->i_op->jump_link) {
        // The walk continues from the object itself; what is left of the string applies to it.
        cur_ = TRY(inode->i_op->jump_link(inode));
        return {};
    }
    const char* target = TRY(inode->i_op->get_link(inode));
    if (*target == '\0') return Errno::ENOENT;
    // What is left of the current string resumes once the target is walked.
    if (*cursor_) stack_[depth_++] = cursor_;
    cursor_ = target;
    if (*target == '/') cur_ = caller_.root;
    return {};
}

Result<void> PathWalk::walk() {
    for (;;) {
        while (*cursor_ == '/') cursor_++;
        if (*cursor_ == '\0') {
            if (depth_ > 0) {
                cursor_ = stack_[--depth_];
                continue;
            }
            // Nothing but slashes: the walk names its current directory ("/", or a target "/").
            type_ = LastType::Root;
            name_ = cursor_;
            len_ = 0;
            trailing_slash_ = false;
            return {};
        }

        // A magic link may have left the walk on a non-directory with components still to go.
        if (!cur_.dentry->is_dir()) return Errno::ENOTDIR;
        // Searching any directory needs its execute permission, before the last component too.
        TRY(inode_permission(cur_.inode(), MAY_EXEC, caller_.cred));

        const char* component = cursor_;
        const char* end = component;
        while (*end && *end != '/') end++;
        const char* after = end;
        while (*after == '/') after++;
        size_t len = size_t(end - component);
        LastType type = classify(component, len);

        if (*after == '\0' && depth_ == 0) {
            name_ = component;
            len_ = len;
            type_ = type;
            trailing_slash_ = after != end;
            if (trailing_slash_) must_be_dir_ = true;
            cursor_ = after;
            return {};
        }

        // A component before the last: it must lead to a directory.
        cursor_ = after;
        if (*cursor_ == '\0') cursor_ = stack_[--depth_];  // this ends a link target: resume
        if (type == LastType::DotDot) {
            cur_ = path_dotdot(cur_, caller_.root);
        } else if (type == LastType::Norm) {
            Path child = TRY(lookup_one(cur_, component, len));
            if (child.dentry->is_negative()) return Errno::ENOENT;
            if (child.dentry->is_symlink()) {
                TRY(enter_link(child));
                continue;
            }
            cur_ = std::move(child);
        }
        if (!cur_.dentry->is_dir()) return Errno::ENOTDIR;
    }
}

// --- Public lookups ---------------------------------------------------------------------------------

Result<Path> path_lookup(const VfsCaller& caller, const char* path, unsigned flags) {
    PathWalk walk(caller);
    TRY(walk.start(path));
    for (;;) {
        Path result;
        if (walk.type() != LastType::Norm) {
            result = walk.resolve_dots();
        } else {
            result = TRY(lookup_one(walk.dir(), walk.name(), walk.len()));
            if (result.dentry->is_negative()) return Errno::ENOENT;
            if (result.dentry->is_symlink() && ((flags & LOOKUP_FOLLOW) || walk.must_be_dir())) {
                TRY(walk.follow_last(result));
                continue;
            }
        }
        if (((flags & LOOKUP_DIRECTORY) || walk.must_be_dir()) && !result.dentry->is_dir())
            return Errno::ENOTDIR;
        return result;
    }
}

Result<ParentPath> path_parent(const VfsCaller& caller, const char* path) {
    PathWalk walk(caller);
    TRY(walk.start(path));
    ParentPath parent;
    parent.dir = walk.dir();
    parent.name = walk.name();
    parent.len = walk.len();
    parent.type = walk.type();
    parent.trailing_slash = walk.trailing_slash();
    return parent;
}
