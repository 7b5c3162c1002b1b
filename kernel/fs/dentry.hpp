#pragma once
// struct Dentry: a name in a directory, and the cache of them (the dcache, Linux's dentry cache).
//
// A dentry is either positive (it names an inode and holds a reference to it) or negative (the name
// was looked up and does not exist). Each dentry holds a reference to its parent, so a cached path
// keeps its ancestors; the root of a tree is its own parent.
//
// Hashed dentries are findable by (parent, name) and are on their parent's `children` list; d_drop()
// unhashes one (after unlink or rmdir: the name is gone, but open files may still use the dentry).
//
// Reference counting follows Linux's lockref rule: the count may only reach zero, or leave zero, with
// dcache_lock held (d_lookup takes references under the lock; dput's last drop happens under it).
// An unreferenced dentry that is hashed and positive stays cached; any other is freed at once.
// File systems whose directories live only in the dcache (tmpfs) pin their dentries with an extra
// reference (DCACHE_PINNED) that unlink/rmdir drops.
//
// dcache_lock protects: the hash, children lists, a dentry's parent, name and inode pointer, flags
// and the child offsets. It is a leaf lock: nothing else is taken while holding it.
#include <fs/inode.hpp>
#include <lib/atomic.hpp>
#include <lib/list.hpp>
#include <lib/refptr.hpp>
#include <locking/spinlock.hpp>
#include <stddef.h>
#include <stdint.h>

struct SuperBlock;

constexpr size_t kDentryInlineName = 40;

enum DentryFlag : uint32_t {
    DCACHE_PINNED = 1u << 0,  // the file system holds a reference (libfs directories)
    // Freed when its last reference goes instead of staying cached: names a file system generates
    // afresh on each lookup (procfs: processes come and go; Linux's d_delete returning true).
    DCACHE_DONTCACHE = 1u << 1,
};

struct Dentry {
    Dentry* parent = nullptr;
    const char* name = nullptr;  // NUL-terminated; points at inline_name or a kmalloc'd copy
    uint32_t name_len = 0;
    uint32_t hash = 0;
    Inode* inode = nullptr;      // nullptr: negative
    SuperBlock* sb = nullptr;
    uint32_t flags = 0;
    uint32_t mounted = 0;        // mounts with this dentry as mount point (mount_lock)
    uint64_t dir_offset = 0;     // readdir position in the parent: grows along `children`
    uint64_t next_child_offset = 2;  // the next child's dir_offset (0 and 1 are "." and "..")
    ListNode hash_node;          // on a hash bucket while hashed
    ListNode child_node;         // on parent->children while hashed
    IntrusiveList<Dentry, &Dentry::child_node> children;
    Atomic<uint32_t> count{1};
    char inline_name[kDentryInlineName];

    // RefPtr interface. ref() requires a reference already held.
    void ref() { count.fetch_add(1, MemoryOrder::Relaxed); }
    void unref();

    bool is_negative() const { return inode == nullptr; }
    bool is_dir() const { return inode && inode->is_dir(); }
    bool is_symlink() const { return inode && inode->is_symlink(); }
    bool is_root() const { return parent == this; }
    bool hashed() const { return hash_node.linked(); }
};

extern SpinLock dcache_lock;

// A new unhashed, negative dentry `name` under `parent` (which it holds a reference to), with one
// reference for the caller; nullptr when out of memory. `parent` nullptr makes a tree root.
Dentry* d_alloc(Dentry* parent, const char* name, size_t len);
// The root dentry of a new tree, positive with `root_inode` (whose reference it takes over).
Dentry* d_make_root(Inode* root_inode);
// The hashed child `name` of `parent`, with a reference, or nullptr.
Dentry* d_lookup(Dentry* parent, const char* name, size_t len);
// Makes `dentry` positive with `inode` (taking over the caller's reference to it). A dentry that is
// becoming positive moves to the end of its parent's children (libfs readdir order).
void d_instantiate(Dentry* dentry, Inode* inode);
// Hashes an unhashed dentry (with its current inode, which may be null).
void d_rehash(Dentry* dentry);
// Unhashes: the name no longer exists, though holders may still use the dentry and its inode.
void d_drop(Dentry* dentry);
// rename: `dentry` takes `target`'s parent and name and goes to the end of the new parent's children;
// `target` takes `dentry`'s old ones and is unhashed. Both must be hashed before. (Exchanging the
// names and parents keeps every parent reference balanced and needs no allocation.)
void d_move(Dentry* dentry, Dentry* target);
// RENAME_EXCHANGE: the two swap parents and names and both stay hashed.
void d_exchange(Dentry* a, Dentry* b);
// Drops a reference (frees the dentry, and then its parent's reference, as the rules above say).
void dput(Dentry* dentry);
inline Dentry* dget(Dentry* dentry) {
    if (dentry) dentry->ref();
    return dentry;
}
inline void Dentry::unref() { dput(this); }

// Whether `ancestor` is `dentry` or one of its ancestors (in the same tree).
bool d_is_ancestor(const Dentry* ancestor, const Dentry* dentry);
// If `ancestor` is a proper ancestor of `dentry`: its child on the way down to `dentry`; else nullptr.
Dentry* d_ancestor_child(const Dentry* ancestor, Dentry* dentry);
// Drops every pin in the tree under `root` (inclusive of the children, not of `root` itself): used
// when a libfs-style super block is shut down.
void d_drop_pins_under(Dentry* root);

// Number of dentries in existence (for leak checks in tests).
uint64_t dcache_nr_dentries();

bool name_equal(const Dentry* d, const char* name, size_t len);
