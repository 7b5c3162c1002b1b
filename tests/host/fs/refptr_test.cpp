// RefCounted / RefPtr: reference counting, adoption, moves, the last-reference hook.
#include "../mm/mm_arena.hpp"

#include <lib/refptr.hpp>

#include <gtest/gtest.h>

namespace {

int destroyed = 0;

struct Plain : RefCounted<Plain> {
    ~Plain() { destroyed++; }
};

struct WithHook : RefCounted<WithHook> {
    bool* hooked;
    explicit WithHook(bool* h) : hooked(h) {}
    void on_last_unref() {
        *hooked = true;
        kdelete(this);
    }
};

struct Base : RefCounted<Base> {
    virtual ~Base() { destroyed++; }
};
struct Derived : Base {};

TEST(RefPtr, CountsAndFreesOnTheLastReference) {
    MmArena arena;
    destroyed = 0;
    {
        RefPtr<Plain> a = adopt_ref(knew<Plain>());
        EXPECT_EQ(a->ref_count(), 1u);
        {
            RefPtr<Plain> b = a;
            EXPECT_EQ(a->ref_count(), 2u);
            RefPtr<Plain> c(a.get());
            EXPECT_EQ(a->ref_count(), 3u);
            RefPtr<Plain> d = static_cast<RefPtr<Plain>&&>(c);
            EXPECT_FALSE(c);
            EXPECT_EQ(a->ref_count(), 3u);
        }
        EXPECT_EQ(a->ref_count(), 1u);
        EXPECT_EQ(destroyed, 0);
        a = a;  // self-assignment keeps the object
        EXPECT_EQ(a->ref_count(), 1u);
    }
    EXPECT_EQ(destroyed, 1);
}

TEST(RefPtr, LeakAndAdopt) {
    MmArena arena;
    destroyed = 0;
    RefPtr<Plain> a = adopt_ref(knew<Plain>());
    Plain* raw = a.leak_ref();
    EXPECT_FALSE(a);
    EXPECT_EQ(destroyed, 0);
    RefPtr<Plain> b = RefPtr<Plain>::adopt(raw);
    b = nullptr;
    EXPECT_EQ(destroyed, 1);
}

TEST(RefPtr, LastReferenceHookAndConversions) {
    MmArena arena;
    bool hooked = false;
    { RefPtr<WithHook> h = adopt_ref(knew<WithHook>(&hooked)); }
    EXPECT_TRUE(hooked);
    destroyed = 0;
    {
        RefPtr<Derived> d = adopt_ref(knew<Derived>());
        RefPtr<Base> b = static_cast<RefPtr<Derived>&&>(d);
        EXPECT_EQ(b->ref_count(), 1u);
    }
    EXPECT_EQ(destroyed, 1);
}

}  // namespace
