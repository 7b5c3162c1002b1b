#include <lib/list.hpp>  // container_of
#include <lib/rbtree.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <random>
#include <set>
#include <vector>

namespace {

struct Elem {
    int key = 0;
    int id = 0;
    long deadline = 0;
    long min_deadline = 0;  // augmented: min deadline over this node's subtree
    RbNode node;
};

struct ByKey {
    bool operator()(const Elem& a, const Elem& b) const { return a.key < b.key; }
};

Elem* E(RbNode* n) { return container_of(n, &Elem::node); }

long compute_min(RbNode* n) {
    long m = E(n)->deadline;
    if (n->left) m = std::min(m, E(n->left)->min_deadline);
    if (n->right) m = std::min(m, E(n->right)->min_deadline);
    return m;
}

// Stops as soon as an ancestor's value is unchanged, as the contract allows.
struct MinDeadlineEarlyStop {
    static constexpr bool enabled = true;
    static inline int rotations = 0;
    static void propagate(RbNode* from, RbNode* stop) {
        for (RbNode* n = from; n != stop; n = n->parent()) {
            long v = compute_min(n);
            if (n != from && v == E(n)->min_deadline) break;
            E(n)->min_deadline = v;
        }
    }
    static void copy(RbNode* old, RbNode* new_) { E(new_)->min_deadline = E(old)->min_deadline; }
    static void rotate(RbNode* old, RbNode* new_) {
        ++rotations;
        E(new_)->min_deadline = E(old)->min_deadline;
        E(old)->min_deadline = compute_min(old);
    }
};

// Always walks to `stop`.
struct MinDeadlineFull {
    static constexpr bool enabled = true;
    static void propagate(RbNode* from, RbNode* stop) {
        for (RbNode* n = from; n != stop; n = n->parent()) E(n)->min_deadline = compute_min(n);
    }
    static void copy(RbNode* old, RbNode* new_) { E(new_)->min_deadline = E(old)->min_deadline; }
    static void rotate(RbNode* old, RbNode* new_) {
        E(new_)->min_deadline = E(old)->min_deadline;
        E(old)->min_deadline = compute_min(old);
    }
};

// Checks the subtree at n; returns its black height. Also collects the in-order sequence and checks
// the augmented value when `aug` is set.
int check_subtree(RbNode* n, RbNode* parent, std::vector<Elem*>& order, bool aug) {
    if (!n) return 1;
    EXPECT_EQ(n->parent(), parent);
    EXPECT_TRUE(n->linked());
    if (n->is_red()) {
        EXPECT_TRUE(!n->left || n->left->is_black()) << "red node with red left child";
        EXPECT_TRUE(!n->right || n->right->is_black()) << "red node with red right child";
    }
    int lh = check_subtree(n->left, n, order, aug);
    order.push_back(E(n));
    int rh = check_subtree(n->right, n, order, aug);
    EXPECT_EQ(lh, rh) << "unequal black heights";
    if (aug) {
        EXPECT_EQ(E(n)->min_deadline, compute_min(n)) << "stale augmented value";
    }
    return lh + (n->is_black() ? 1 : 0);
}

template <class Tree>
std::vector<Elem*> check_tree(const Tree& tree, bool aug) {
    std::vector<Elem*> order;
    const RbRoot& r = tree.raw();
    if (r.root) {
        EXPECT_TRUE(r.root->is_black()) << "red root";
    }
    check_subtree(r.root, nullptr, order, aug);
    EXPECT_EQ(order.size(), tree.size());
    EXPECT_EQ(r.first(), order.empty() ? nullptr : &order.front()->node) << "stale leftmost cache";
    EXPECT_EQ(r.last(), order.empty() ? nullptr : &order.back()->node);
    // Walking with next() and prev() visits the same sequence.
    size_t i = 0;
    for (Elem& e : tree) {
        EXPECT_LT(i, order.size());
        if (i < order.size()) {
            EXPECT_EQ(&e, order[i]);
        }
        ++i;
    }
    EXPECT_EQ(i, order.size());
    if (!order.empty()) {
        Elem* e = tree.last();
        for (size_t k = order.size(); k-- > 0; e = tree.prev(*e)) EXPECT_EQ(e, order[k]);
        EXPECT_EQ(e, nullptr);
    }
    return order;
}

struct RefCmp {
    bool operator()(const std::pair<int, int>& a, const std::pair<int, int>& b) const {
        return a.first < b.first;
    }
};

// Random inserts and erases against std::multiset, which also keeps equal keys in insertion order.
template <class Augment>
void run_random(unsigned seed, int ops, int key_range) {
    using Tree = RbTree<Elem, &Elem::node, ByKey, Augment>;
    constexpr bool aug = Augment::enabled;
    std::mt19937 rng(seed);
    std::vector<std::unique_ptr<Elem>> pool;
    std::vector<Elem*> in_tree;
    std::multiset<std::pair<int, int>, RefCmp> ref;  // (key, id)
    Tree tree;
    int next_id = 0;
    for (int op = 0; op < ops; ++op) {
        bool insert = in_tree.empty() || rng() % 100 < 55;
        if (insert) {
            auto e = std::make_unique<Elem>();
            e->key = int(rng() % key_range);
            e->id = next_id++;
            e->deadline = long(rng() % 100000);
            tree.insert(*e);
            ref.insert({e->key, e->id});
            in_tree.push_back(e.get());
            pool.push_back(std::move(e));
        } else {
            size_t idx = rng() % in_tree.size();
            Elem* e = in_tree[idx];
            in_tree[idx] = in_tree.back();
            in_tree.pop_back();
            tree.erase(*e);
            EXPECT_FALSE(e->node.linked());
            auto range = ref.equal_range({e->key, 0});
            auto it = std::find_if(range.first, range.second, [&](auto& p) { return p.second == e->id; });
            ASSERT_NE(it, range.second);
            ref.erase(it);
        }
        std::vector<Elem*> order = check_tree(tree, aug);
        ASSERT_EQ(order.size(), ref.size());
        size_t i = 0;
        for (auto& p : ref) {
            ASSERT_EQ(order[i]->key, p.first);
            ASSERT_EQ(order[i]->id, p.second) << "equal keys out of FIFO order";
            ++i;
        }
        if (aug && tree.raw().root) {
            long want = LONG_MAX;
            for (Elem* x : in_tree) want = std::min(want, x->deadline);
            ASSERT_EQ(E(tree.raw().root)->min_deadline, want);
        }
        if (::testing::Test::HasFailure()) return;
    }
    while (Elem* e = tree.pop_first()) (void)e;
    EXPECT_TRUE(tree.empty());
}

TEST(RbTreeTest, Empty) {
    RbTree<Elem, &Elem::node, ByKey> tree;
    EXPECT_TRUE(tree.empty());
    EXPECT_EQ(tree.first(), nullptr);
    EXPECT_EQ(tree.last(), nullptr);
    EXPECT_EQ(tree.pop_first(), nullptr);
    EXPECT_EQ(tree.begin(), tree.end());
}

TEST(RbTreeTest, AscendingAndDescendingInserts) {
    std::vector<Elem> elems(200);
    RbTree<Elem, &Elem::node, ByKey> up, down;
    for (int i = 0; i < 100; ++i) {
        elems[i].key = i;
        up.insert(elems[i]);
        elems[100 + i].key = 100 - i;
        down.insert(elems[100 + i]);
    }
    check_tree(up, false);
    check_tree(down, false);
    EXPECT_EQ(up.first()->key, 0);
    EXPECT_EQ(up.last()->key, 99);
    EXPECT_EQ(down.first()->key, 1);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(up.pop_first()->key, i);
        check_tree(up, false);
    }
    while (down.pop_first()) {
    }
}

TEST(RbTreeTest, EqualKeysKeepFifoOrder) {
    std::vector<Elem> elems(50);
    RbTree<Elem, &Elem::node, ByKey> tree;
    for (int i = 0; i < 50; ++i) {
        elems[i].key = i % 3;
        elems[i].id = i;
        tree.insert(elems[i]);
    }
    int last_key = -1, last_id = -1;
    for (Elem& e : tree) {
        if (e.key == last_key) {
            EXPECT_GT(e.id, last_id);
        }
        last_key = e.key;
        last_id = e.id;
    }
    EXPECT_EQ(tree.first()->id, 0);
    while (tree.pop_first()) {
    }
}

TEST(RbTreeTest, FindAndLowerBound) {
    std::vector<Elem> elems(10);
    RbTree<Elem, &Elem::node, ByKey> tree;
    for (int i = 0; i < 10; ++i) {
        elems[i].key = i * 10;  // 0, 10, ..., 90
        tree.insert(elems[i]);
    }
    auto cmp_to = [](int key) { return [key](const Elem& e) { return key < e.key ? -1 : key > e.key ? 1 : 0; }; };
    EXPECT_EQ(tree.find(cmp_to(40)), &elems[4]);
    EXPECT_EQ(tree.find(cmp_to(45)), nullptr);
    EXPECT_EQ(tree.lower_bound(cmp_to(45)), &elems[5]);
    EXPECT_EQ(tree.lower_bound(cmp_to(50)), &elems[5]);
    EXPECT_EQ(tree.lower_bound(cmp_to(-5)), &elems[0]);
    EXPECT_EQ(tree.lower_bound(cmp_to(95)), nullptr);
    while (tree.pop_first()) {
    }
}

TEST(RbTreeTest, ReplaceKeepsShape) {
    std::vector<Elem> elems(20);
    RbTree<Elem, &Elem::node, ByKey> tree;
    for (int i = 0; i < 20; ++i) {
        elems[i].key = i;
        tree.insert(elems[i]);
    }
    Elem a, b;
    a.key = 0;
    b.key = 7;
    // RbRoot::replace is reachable through the raw root for users that need it.
    RbRoot& raw = const_cast<RbRoot&>(tree.raw());
    raw.replace(&elems[0].node, &a.node);
    raw.replace(&elems[7].node, &b.node);
    EXPECT_FALSE(elems[0].node.linked());
    EXPECT_EQ(tree.first(), &a);
    auto order = check_tree(tree, false);
    EXPECT_EQ(order[7], &b);
    while (tree.pop_first()) {
    }
}

TEST(RbTreeTest, RandomAgainstMultiset) {
    for (unsigned seed = 1; seed <= 5; ++seed) run_random<RbNoAugment>(seed, 3000, 1000);
}

TEST(RbTreeTest, RandomManyDuplicates) {
    for (unsigned seed = 10; seed <= 12; ++seed) run_random<RbNoAugment>(seed, 3000, 8);
}

TEST(RbTreeTest, AugmentedEarlyStop) {
    MinDeadlineEarlyStop::rotations = 0;
    for (unsigned seed = 20; seed <= 24; ++seed) run_random<MinDeadlineEarlyStop>(seed, 2000, 500);
    EXPECT_GT(MinDeadlineEarlyStop::rotations, 0);  // the rotation hook really ran
}

TEST(RbTreeTest, AugmentedFullWalk) {
    for (unsigned seed = 30; seed <= 32; ++seed) run_random<MinDeadlineFull>(seed, 2000, 20);
}

// The search EEVDF needs: the earliest deadline among elements with key <= limit, in O(log n), using
// subtree minima to skip whole subtrees.
TEST(RbTreeTest, AugmentedSearch) {
    using Tree = RbTree<Elem, &Elem::node, ByKey, MinDeadlineEarlyStop>;
    std::mt19937 rng(99);
    std::vector<Elem> elems(300);
    Tree tree;
    for (auto& e : elems) {
        e.key = int(rng() % 1000);
        e.deadline = long(rng() % 1000000);
        tree.insert(e);
    }
    for (int limit = 0; limit < 1000; limit += 37) {
        long want = LONG_MAX;
        for (auto& e : elems)
            if (e.key <= limit) want = std::min(want, e.deadline);
        long got = LONG_MAX;
        for (RbNode* n = tree.raw().root; n;) {
            if (E(n)->key <= limit) {
                // n and its whole left subtree qualify.
                got = std::min(got, E(n)->deadline);
                if (n->left) got = std::min(got, E(n->left)->min_deadline);
                n = n->right;
            } else {
                n = n->left;
            }
        }
        EXPECT_EQ(got, want) << "limit " << limit;
    }
    while (tree.pop_first()) {
    }
}

}  // namespace
