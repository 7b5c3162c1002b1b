#include <mm/memblock.hpp>
#include <gtest/gtest.h>

namespace {

TEST(Memblock, AddRoundsInwardAndMerges) {
    Memblock m;
    EXPECT_TRUE(m.add(0x1800, 0x5800));  // -> [0x2000, 0x5000)
    EXPECT_TRUE(m.add(0x8000, 0x9000));
    ASSERT_EQ(m.count(), 2u);
    EXPECT_EQ(m.range(0).start, 0x2000u);
    EXPECT_EQ(m.range(0).end, 0x5000u);
    EXPECT_TRUE(m.add(0x5000, 0x8000));  // fills the gap: one range
    ASSERT_EQ(m.count(), 1u);
    EXPECT_EQ(m.range(0).start, 0x2000u);
    EXPECT_EQ(m.range(0).end, 0x9000u);
    EXPECT_TRUE(m.add(0x100, 0x200));  // smaller than a page: nothing
    EXPECT_EQ(m.count(), 1u);
    EXPECT_EQ(m.total(), 0x7000u);
}

TEST(Memblock, ReserveSplitsAndTrims) {
    Memblock m;
    m.add(0x100000, 0x800000);
    EXPECT_TRUE(m.reserve(0x200800, 0x300000));  // rounded outward: [0x200000, 0x300000)
    ASSERT_EQ(m.count(), 2u);
    EXPECT_EQ(m.range(0).end, 0x200000u);
    EXPECT_EQ(m.range(1).start, 0x300000u);
    EXPECT_TRUE(m.reserve(0, 0x180000));
    EXPECT_EQ(m.range(0).start, 0x180000u);
    EXPECT_TRUE(m.reserve(0x700000, 0x900000));
    EXPECT_EQ(m.range(1).end, 0x700000u);
    EXPECT_EQ(m.total(), 0x80000u + 0x400000u);
}

TEST(Memblock, AllocTakesTheLowestFitBelowTheLimit) {
    Memblock m;
    m.add(0x1000, 0x3000);
    m.add(0x10000, 0x40000);
    EXPECT_EQ(m.alloc(0x4000, 0x1000, ~0ull), 0x10000u);  // does not fit below 0x3000
    EXPECT_EQ(m.alloc(0x1000, 0x1000, ~0ull), 0x1000u);
    EXPECT_EQ(m.alloc(0x1000, 0x10000, ~0ull), 0x20000u);  // aligned
    EXPECT_EQ(m.alloc(0x100000, 0x1000, ~0ull), 0u);      // too big
    EXPECT_EQ(m.alloc(0x1000, 0x1000, 0x14000), 0x2000u);
    EXPECT_EQ(m.alloc(0x1000, 0x1000, 0x14000), 0u);  // what is left lies above the limit
    EXPECT_EQ(m.alloc(0x1000, 0x1000, 0x15000), 0x14000u);
}

TEST(Memblock, NeverHandsOutPageZero) {
    Memblock m;
    m.add(0, 0x3000);
    EXPECT_EQ(m.range(0).start, 0u);
    EXPECT_EQ(m.alloc(0x1000, 0x1000, ~0ull), 0x1000u);
}

}  // namespace
