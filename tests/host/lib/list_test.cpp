#include <lib/list.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace {

struct Item {
    int value;
    ListNode node;
    ListNode other_node;  // lets one object sit on two lists at once
    explicit Item(int v) : value(v) {}
};

using List = IntrusiveList<Item, &Item::node>;
using OtherList = IntrusiveList<Item, &Item::other_node>;

std::vector<int> values(const List& list) {
    std::vector<int> out;
    for (Item& item : list) out.push_back(item.value);
    return out;
}

// A constant-initialised global list: usable before any constructor runs.
constinit List g_list;

TEST(ListTest, EmptyList) {
    List list;
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(list.size(), 0u);
    EXPECT_EQ(list.front(), nullptr);
    EXPECT_EQ(list.back(), nullptr);
    EXPECT_EQ(list.pop_front(), nullptr);
    EXPECT_EQ(list.pop_back(), nullptr);
    EXPECT_EQ(list.begin(), list.end());
}

TEST(ListTest, NodeStartsUnlinked) {
    Item a(1);
    EXPECT_FALSE(a.node.linked());
    EXPECT_EQ(a.node.next, &a.node);
    EXPECT_EQ(a.node.prev, &a.node);
}

TEST(ListTest, PushAndPopOrder) {
    Item a(1), b(2), c(3);
    List list;
    list.push_back(b);
    list.push_front(a);
    list.push_back(c);
    EXPECT_EQ(values(list), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(list.size(), 3u);
    EXPECT_EQ(list.front(), &a);
    EXPECT_EQ(list.back(), &c);
    EXPECT_TRUE(b.node.linked());

    EXPECT_EQ(list.pop_front(), &a);
    EXPECT_FALSE(a.node.linked());
    EXPECT_EQ(list.pop_back(), &c);
    EXPECT_EQ(list.pop_front(), &b);
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(list.size(), 0u);
}

TEST(ListTest, RemoveMiddleAndEnds) {
    Item a(1), b(2), c(3), d(4);
    List list;
    for (Item* i : {&a, &b, &c, &d}) list.push_back(*i);
    list.remove(b);
    EXPECT_FALSE(b.node.linked());
    EXPECT_EQ(values(list), (std::vector<int>{1, 3, 4}));
    list.remove(a);
    list.remove(d);
    EXPECT_EQ(values(list), (std::vector<int>{3}));
    EXPECT_EQ(list.front(), &c);
    EXPECT_EQ(list.back(), &c);
    list.remove(c);
    EXPECT_TRUE(list.empty());
}

TEST(ListTest, InsertBeforeAfter) {
    Item a(1), b(2), c(3), d(4);
    List list;
    list.push_back(b);
    list.insert_before(b, a);
    list.insert_after(b, d);
    list.insert_after(b, c);
    EXPECT_EQ(values(list), (std::vector<int>{1, 2, 3, 4}));
    EXPECT_EQ(list.size(), 4u);
}

TEST(ListTest, ContainerOf) {
    Item a(7);
    EXPECT_EQ(container_of(&a.node, &Item::node), &a);
    EXPECT_EQ(container_of(&a.other_node, &Item::other_node), &a);
    const Item& ca = a;
    EXPECT_EQ(container_of(&ca.node, &Item::node), &a);
    EXPECT_EQ(member_offset(&Item::other_node), ptrdiff_t(offsetof(Item, other_node)));
}

struct Polymorphic {
    virtual ~Polymorphic() = default;
    virtual int id() const { return 5; }
    ListNode node;
};

TEST(ListTest, WorksWithPolymorphicTypes) {
    Polymorphic p1, p2;
    IntrusiveList<Polymorphic, &Polymorphic::node> list;
    list.push_back(p1);
    list.push_back(p2);
    EXPECT_EQ(list.front(), &p1);
    EXPECT_EQ(list.back()->id(), 5);
    list.remove(p1);
    list.remove(p2);
}

TEST(ListTest, ForEachSafeMayRemoveCurrent) {
    Item items[6] = {Item(0), Item(1), Item(2), Item(3), Item(4), Item(5)};
    List list;
    for (Item& i : items) list.push_back(i);
    list.for_each_safe([&](Item& i) {
        if (i.value % 2 == 0) list.remove(i);
    });
    EXPECT_EQ(values(list), (std::vector<int>{1, 3, 5}));
    EXPECT_EQ(list.size(), 3u);
    list.for_each_safe([&](Item& i) { list.remove(i); });
    EXPECT_TRUE(list.empty());
}

TEST(ListTest, EraseIteratorIdiom) {
    Item items[5] = {Item(0), Item(1), Item(2), Item(3), Item(4)};
    List list;
    for (Item& i : items) list.push_back(i);
    for (auto it = list.begin(); it != list.end();) {
        if (it->value >= 2)
            it = list.erase(it);
        else
            ++it;
    }
    EXPECT_EQ(values(list), (std::vector<int>{0, 1}));
    while (list.pop_front()) {
    }
}

TEST(ListTest, RemoveFirstIfAndContains) {
    Item a(1), b(2), c(3);
    List list;
    list.push_back(a);
    list.push_back(b);
    list.push_back(c);
    EXPECT_TRUE(list.contains(b));
    EXPECT_EQ(list.remove_first_if([](const Item& i) { return i.value > 1; }), &b);
    EXPECT_FALSE(list.contains(b));
    EXPECT_EQ(list.remove_first_if([](const Item& i) { return i.value > 5; }), nullptr);
    EXPECT_EQ(values(list), (std::vector<int>{1, 3}));
    list.remove(a);
    list.remove(c);
}

TEST(ListTest, SpliceBack) {
    Item a(1), b(2), c(3), d(4);
    List x, y;
    x.push_back(a);
    y.push_back(b);
    y.push_back(c);
    x.splice_back(y);
    EXPECT_TRUE(y.empty());
    EXPECT_EQ(y.size(), 0u);
    EXPECT_EQ(values(x), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(x.size(), 3u);
    x.splice_back(y);  // empty splice is a no-op
    EXPECT_EQ(x.size(), 3u);
    y.push_back(d);  // the emptied list is still usable
    EXPECT_EQ(values(y), (std::vector<int>{4}));
    while (x.pop_front()) {
    }
    y.remove(d);
}

TEST(ListTest, ObjectOnTwoLists) {
    Item a(1), b(2);
    List l1;
    OtherList l2;
    l1.push_back(a);
    l1.push_back(b);
    l2.push_back(b);
    l2.push_back(a);
    EXPECT_EQ(l1.front(), &a);
    EXPECT_EQ(l2.front(), &b);
    l1.remove(a);
    EXPECT_TRUE(a.other_node.linked());
    EXPECT_EQ(l2.back(), &a);
    l1.remove(b);
    l2.remove(a);
    l2.remove(b);
}

TEST(ListTest, BackwardIteration) {
    Item a(1), b(2), c(3);
    List list;
    list.push_back(a);
    list.push_back(b);
    list.push_back(c);
    std::vector<int> seen;
    auto it = list.end();
    while (it != list.begin()) {
        --it;
        seen.push_back(it->value);
    }
    EXPECT_EQ(seen, (std::vector<int>{3, 2, 1}));
    while (list.pop_back()) {
    }
}

TEST(ListTest, GlobalConstinitList) {
    EXPECT_TRUE(g_list.empty());
    Item a(1);
    g_list.push_back(a);
    EXPECT_EQ(g_list.front(), &a);
    g_list.remove(a);
    EXPECT_TRUE(g_list.empty());
}

}  // namespace
