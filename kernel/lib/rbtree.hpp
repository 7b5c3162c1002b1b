#pragma once
// Intrusive red-black tree, optionally augmented.
//
// Objects embed an RbNode. RbRoot holds the untyped algorithms (rebalancing after insert, erase, in-order
// walking); RbTree<T, Member, Less> is the typed wrapper most code uses.
//
// Red-black invariants maintained by RbRoot:
//   1. the root is black;
//   2. a red node has no red child;
//   3. every path from a node down to a missing child passes the same number of black nodes.
// Together they bound the height by 2*log2(n+1).
//
// Augmentation. Some users keep a per-node value summarising the node's whole subtree (EEVDF keeps the
// minimum deadline of the subtree so it can find the eligible task with the earliest deadline in
// O(log n)). Such a value only changes where the tree's shape or membership changes, so the algorithms
// report those places through RbAugmentOps:
//   propagate(from, stop): recompute the value of `from` and then of each ancestor, stopping before
//       `stop` (nullptr: go through the root). `from` must always be recomputed; above it an
//       implementation may stop early once a recomputed value equals the stored one, because then
//       nothing above can change either.
//   copy(old, new_): new_ takes over old's position and subtree; set new_'s value to old's.
//   rotate(old, new_): a rotation just made new_ the parent of old, in old's former place. new_ now
//       summarises exactly the subtree old used to, so set new_'s value to old's, then recompute old's
//       from its (new) children.
// When a callback runs, every node below the ones being fixed holds an up-to-date value.
// Passing nullptr for the ops means "not augmented" and costs nothing.
#include <stddef.h>
#include <stdint.h>

struct RbNode {
    // Parent pointer with the colour in bit 0 (nodes are at least 8-byte aligned). A node on no tree
    // holds kUnlinked, a value no linked node can have (bit 1 is never set in a real parent pointer),
    // which keeps the constructor constexpr and lets `linked()` catch double erases.
    uintptr_t parent_colour;
    RbNode* left;
    RbNode* right;

    static constexpr uintptr_t kRed = 0;
    static constexpr uintptr_t kBlack = 1;
    static constexpr uintptr_t kUnlinked = 2;

    constexpr RbNode() : parent_colour(kUnlinked), left(nullptr), right(nullptr) {}
    RbNode(const RbNode&) = delete;
    RbNode& operator=(const RbNode&) = delete;

    RbNode* parent() const { return reinterpret_cast<RbNode*>(parent_colour & ~uintptr_t(3)); }
    bool is_red() const { return (parent_colour & 1) == kRed; }
    bool is_black() const { return (parent_colour & 1) == kBlack; }
    bool linked() const { return parent_colour != kUnlinked; }
    void clear() {
        parent_colour = kUnlinked;
        left = right = nullptr;
    }
    void set_parent(RbNode* p) { parent_colour = reinterpret_cast<uintptr_t>(p) | (parent_colour & 1); }
    void set_parent_colour(RbNode* p, uintptr_t colour) {
        parent_colour = reinterpret_cast<uintptr_t>(p) | colour;
    }
    void set_colour(uintptr_t colour) { parent_colour = (parent_colour & ~uintptr_t(1)) | colour; }
};

struct RbAugmentOps {
    void (*propagate)(RbNode* from, RbNode* stop);
    void (*copy)(RbNode* old, RbNode* new_);
    void (*rotate)(RbNode* old, RbNode* new_);
};

class RbRoot {
public:
    RbNode* root = nullptr;
    RbNode* leftmost = nullptr;  // cached first(): the scheduler asks for it on every pick

    bool empty() const { return root == nullptr; }
    RbNode* first() const { return leftmost; }
    RbNode* last() const;
    static RbNode* next(const RbNode* node);
    static RbNode* prev(const RbNode* node);

    // Insertion is two steps so the caller can search with its own comparison. First find the empty
    // child slot `*link` under `parent` (link == &root and parent == nullptr for an empty tree) and call
    // link_node; then call insert_fixup, saying whether the path went left at every step (the node is
    // the new minimum). insert_fixup propagates the augmented value of the new node first, then
    // rebalances.
    static void link_node(RbNode* node, RbNode* parent, RbNode** link) {
        node->set_parent_colour(parent, RbNode::kRed);
        node->left = node->right = nullptr;
        *link = node;
    }
    void insert_fixup(RbNode* node, bool is_leftmost, const RbAugmentOps* aug = nullptr);

    // Unlinks `node` (which must be in this tree) and rebalances. The node is left clear()ed.
    void erase(RbNode* node, const RbAugmentOps* aug = nullptr);

    // Puts `replacement` (not in any tree) exactly where `victim` is, without rebalancing. The caller
    // guarantees the ordering is unchanged. Augmented values are not recomputed.
    void replace(RbNode* victim, RbNode* replacement);

private:
    void rotate_left(RbNode* x, const RbAugmentOps* aug);
    void rotate_right(RbNode* x, const RbAugmentOps* aug);
    void change_child(RbNode* old_child, RbNode* new_child, RbNode* parent);
    void erase_fixup(RbNode* child, RbNode* parent, const RbAugmentOps* aug);
};

// The default Augment policy: nothing to maintain.
struct RbNoAugment {
    static constexpr bool enabled = false;
    static void propagate(RbNode*, RbNode*) {}
    static void copy(RbNode*, RbNode*) {}
    static void rotate(RbNode*, RbNode*) {}
};

// Typed tree. Less is a default-constructible callable: Less{}(const T& a, const T& b) -> bool.
// Equal keys are allowed; a new element goes after all elements equal to it, so equal keys come out of
// first()/next() in insertion (FIFO) order.
// Augment is a policy type with the static functions described at the top of this file and
// `static constexpr bool enabled = true`.
template <class T, RbNode T::*Member, class Less, class Augment = RbNoAugment>
class RbTree {
public:
    class Iterator {
    public:
        explicit Iterator(RbNode* node) : node_(node) {}
        T& operator*() const { return *owner(node_); }
        T* operator->() const { return owner(node_); }
        Iterator& operator++() {
            node_ = RbRoot::next(node_);
            return *this;
        }
        bool operator==(const Iterator& other) const { return node_ == other.node_; }
        bool operator!=(const Iterator& other) const { return node_ != other.node_; }

    private:
        RbNode* node_;
    };

    constexpr RbTree() = default;
    RbTree(const RbTree&) = delete;
    RbTree& operator=(const RbTree&) = delete;

    bool empty() const { return root_.empty(); }
    size_t size() const { return count_; }

    void insert(T& item) {
        RbNode* node = &(item.*Member);
        RbNode** link = &root_.root;
        RbNode* parent = nullptr;
        bool leftmost = true;
        while (*link) {
            parent = *link;
            if (Less{}(item, *owner(parent))) {
                link = &parent->left;
            } else {
                link = &parent->right;  // ties go right: FIFO among equals
                leftmost = false;
            }
        }
        RbRoot::link_node(node, parent, link);
        root_.insert_fixup(node, leftmost, ops());
        ++count_;
    }

    void erase(T& item) {
        root_.erase(&(item.*Member), ops());
        --count_;
    }

    T* first() const { return maybe_owner(root_.first()); }
    T* last() const { return maybe_owner(root_.last()); }
    T* next(T& item) const { return maybe_owner(RbRoot::next(&(item.*Member))); }
    T* prev(T& item) const { return maybe_owner(RbRoot::prev(&(item.*Member))); }
    T* pop_first() {
        T* item = first();
        if (item) erase(*item);
        return item;
    }

    // Searches with a three-way comparison against a key only the caller knows:
    // cmp(const T& node) < 0 if the key sorts before node, > 0 if after, 0 if it matches.
    // find returns some matching element (not necessarily the first of equals); lower_bound returns the
    // first element that does not sort before the key (cmp(node) <= 0), or nullptr.
    template <class Cmp>
    T* find(Cmp&& cmp) const {
        RbNode* n = root_.root;
        while (n) {
            int c = cmp(*owner(n));
            if (c == 0) return owner(n);
            n = c < 0 ? n->left : n->right;
        }
        return nullptr;
    }
    template <class Cmp>
    T* lower_bound(Cmp&& cmp) const {
        RbNode* n = root_.root;
        RbNode* best = nullptr;
        while (n) {
            if (cmp(*owner(n)) <= 0) {
                best = n;
                n = n->left;
            } else {
                n = n->right;
            }
        }
        return maybe_owner(best);
    }

    Iterator begin() const { return Iterator(root_.first()); }
    Iterator end() const { return Iterator(nullptr); }

    // Raw access, for augmented searches that walk the tree shape themselves.
    const RbRoot& raw() const { return root_; }
    static T* owner(RbNode* node) {
        return reinterpret_cast<T*>(reinterpret_cast<char*>(node) - member_offset());
    }
    static const T* owner(const RbNode* node) {
        return reinterpret_cast<const T*>(reinterpret_cast<const char*>(node) - member_offset());
    }

private:
    // Itanium ABI: a pointer to data member is its byte offset (see container_of in lib/list.hpp).
    static ptrdiff_t member_offset() { return __builtin_bit_cast(ptrdiff_t, Member); }
    static T* maybe_owner(RbNode* node) { return node ? owner(node) : nullptr; }
    static const RbAugmentOps* ops() {
        static constexpr RbAugmentOps table{&Augment::propagate, &Augment::copy, &Augment::rotate};
        if constexpr (Augment::enabled) return &table;
        return nullptr;
    }

    RbRoot root_;
    size_t count_ = 0;
};
