// The dentry cache: allocation, the (parent, name) hash, and the reference-count rules of dentry.hpp.
#include <fs/dentry.hpp>
#include <fs/inode.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>

SpinLock dcache_lock;

namespace {

using HashBucket = IntrusiveList<Dentry, &Dentry::hash_node>;

constexpr size_t kHashBuckets = 2048;  // a power of two
HashBucket hash_table[kHashBuckets];
Atomic<uint64_t> nr_dentries{0};

uint32_t name_hash(const Dentry* parent, const char* name, size_t len) {
    // FNV-1a over the name, then the parent's address folded in: names repeat across directories.
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ uint8_t(name[i])) * 16777619u;
    uintptr_t p = reinterpret_cast<uintptr_t>(parent);
    h ^= uint32_t(p >> 4) ^ uint32_t(p >> 32);
    return h * 0x9e3779b1u;
}

HashBucket& bucket(uint32_t hash) { return hash_table[hash & (kHashBuckets - 1)]; }

// Puts `d` on its hash bucket and at the end of its parent's children. dcache_lock held.
void hash_locked(Dentry* d) {
    d->hash = name_hash(d->parent, d->name, d->name_len);
    bucket(d->hash).push_back(*d);
    if (!d->is_root()) {
        d->dir_offset = d->parent->next_child_offset++;
        d->parent->children.push_back(*d);
    }
}

void unhash_locked(Dentry* d) {
    bucket(d->hash).remove(*d);
    if (!d->is_root()) d->parent->children.remove(*d);
}

void free_dentry(Dentry* d) {
    if (d->name != d->inline_name) kfree(d->name);
    d->~Dentry();
    kfree(d);
    nr_dentries.fetch_sub(1, MemoryOrder::Relaxed);
}

}  // namespace

bool name_equal(const Dentry* d, const char* name, size_t len) {
    return d->name_len == len && memcmp(d->name, name, len) == 0;
}

Dentry* d_alloc(Dentry* parent, const char* name, size_t len) {
    void* mem = kmalloc(sizeof(Dentry));
    if (!mem) return nullptr;
    Dentry* d = new (mem) Dentry;
    if (len < kDentryInlineName) {
        d->name = d->inline_name;
    } else {
        char* copy = static_cast<char*>(kmalloc(len + 1));
        if (!copy) {
            d->~Dentry();
            kfree(mem);
            return nullptr;
        }
        d->name = copy;
    }
    memcpy(const_cast<char*>(d->name), name, len);
    const_cast<char*>(d->name)[len] = '\0';
    d->name_len = uint32_t(len);
    if (parent) {
        d->parent = dget(parent);
        d->sb = parent->sb;
    } else {
        d->parent = d;
    }
    nr_dentries.fetch_add(1, MemoryOrder::Relaxed);
    return d;
}

Dentry* d_make_root(Inode* root_inode) {
    Dentry* d = d_alloc(nullptr, "/", 1);
    if (!d) return nullptr;
    d->inode = root_inode;
    d->sb = root_inode->sb;
    return d;
}

Dentry* d_lookup(Dentry* parent, const char* name, size_t len) {
    uint32_t h = name_hash(parent, name, len);
    SpinLockGuard guard(dcache_lock);
    for (Dentry& d : bucket(h)) {
        if (d.hash == h && d.parent == parent && name_equal(&d, name, len)) {
            // Under dcache_lock a count may leave zero (dentry.hpp).
            d.count.fetch_add(1, MemoryOrder::Relaxed);
            return &d;
        }
    }
    return nullptr;
}

void d_instantiate(Dentry* dentry, Inode* inode) {
    SpinLockGuard guard(dcache_lock);
    dentry->inode = inode;
    if (dentry->hashed() && !dentry->is_root()) {
        Dentry* parent = dentry->parent;
        parent->children.remove(*dentry);
        dentry->dir_offset = parent->next_child_offset++;
        parent->children.push_back(*dentry);
    }
}

void d_rehash(Dentry* dentry) {
    SpinLockGuard guard(dcache_lock);
    if (!dentry->hashed()) hash_locked(dentry);
}

void d_drop(Dentry* dentry) {
    SpinLockGuard guard(dcache_lock);
    if (dentry->hashed()) unhash_locked(dentry);
}

namespace {

// Exchanges parents (each side's parent reference moves with it) and names. dcache_lock held, both
// unhashed.
void swap_names_locked(Dentry* a, Dentry* b) {
    Dentry* parent = a->parent;
    a->parent = b->parent;
    b->parent = parent;

    bool a_inline = a->name == a->inline_name;
    bool b_inline = b->name == b->inline_name;
    char tmp[kDentryInlineName];
    memcpy(tmp, a->inline_name, sizeof(tmp));
    memcpy(a->inline_name, b->inline_name, sizeof(tmp));
    memcpy(b->inline_name, tmp, sizeof(tmp));
    const char* a_name = a->name;
    a->name = b_inline ? a->inline_name : b->name;
    b->name = a_inline ? b->inline_name : a_name;
    uint32_t len = a->name_len;
    a->name_len = b->name_len;
    b->name_len = len;
}

}  // namespace

void d_move(Dentry* dentry, Dentry* target) {
    SpinLockGuard guard(dcache_lock);
    if (dentry->hashed()) unhash_locked(dentry);
    if (target->hashed()) unhash_locked(target);
    swap_names_locked(dentry, target);
    hash_locked(dentry);
}

void d_exchange(Dentry* a, Dentry* b) {
    SpinLockGuard guard(dcache_lock);
    if (a->hashed()) unhash_locked(a);
    if (b->hashed()) unhash_locked(b);
    swap_names_locked(a, b);
    hash_locked(a);
    hash_locked(b);
}

void dput(Dentry* d) {
    while (d) {
        // Not the last reference: drop it without the lock (the count stays above zero).
        uint32_t c = d->count.load(MemoryOrder::Relaxed);
        while (c > 1)
            if (d->count.compare_exchange(c, c - 1, MemoryOrder::Release)) return;

        Dentry* parent;
        Inode* inode;
        {
            SpinLockGuard guard(dcache_lock);
            // A lookup may have taken a reference since the load above.
            if (d->count.fetch_sub(1, MemoryOrder::AcqRel) != 1) return;
            // An unused, hashed, positive dentry stays cached.
            if (d->hashed() && d->inode && !(d->flags & DCACHE_DONTCACHE)) return;
            if (d->hashed()) unhash_locked(d);
            parent = d->is_root() ? nullptr : d->parent;
            inode = d->inode;
        }
        if (inode) inode->unref();
        free_dentry(d);
        d = parent;  // the reference `d` held on its parent
    }
}

bool d_is_ancestor(const Dentry* ancestor, const Dentry* dentry) {
    SpinLockGuard guard(dcache_lock);
    for (const Dentry* d = dentry;; d = d->parent) {
        if (d == ancestor) return true;
        if (d->is_root()) return false;
    }
}

Dentry* d_ancestor_child(const Dentry* ancestor, Dentry* dentry) {
    SpinLockGuard guard(dcache_lock);
    for (Dentry* d = dentry; !d->is_root(); d = d->parent)
        if (d->parent == ancestor) return d;
    return nullptr;
}

void d_drop_pins_under(Dentry* root) {
    // Depth first: a dentry's pin goes after its children's. Each dentry on the way down carries an
    // extra reference of ours so it survives the loss of its pin until we are done with it.
    Dentry* d = root;
    for (;;) {
        Dentry* next = nullptr;
        Dentry* parent = nullptr;
        bool unpin = false;
        {
            SpinLockGuard guard(dcache_lock);
            for (Dentry& child : d->children) {
                if (child.flags & DCACHE_PINNED) {
                    next = &child;
                    next->count.fetch_add(1, MemoryOrder::Relaxed);
                    break;
                }
            }
            if (!next && d != root) {
                d->flags &= ~DCACHE_PINNED;
                unpin = true;
                parent = d->parent;
            }
        }
        if (next) {
            d = next;
            continue;
        }
        if (d == root) return;
        if (unpin) {
            d_drop(d);
            dput(d);  // the pin
        }
        dput(d);      // our walk reference; the parent keeps ours
        d = parent;
    }
}

uint64_t dcache_nr_dentries() { return nr_dentries.load(MemoryOrder::Relaxed); }
