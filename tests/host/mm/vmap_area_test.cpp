// Placement of areas in the vmalloc range.
#include <mm/vmap_area.hpp>
#include <gtest/gtest.h>
#include <memory>
#include <vector>

namespace {

constexpr uintptr_t kStart = 0x100000000;
constexpr uintptr_t kPage = 4096;

TEST(VmapSpace, PlacesAreasBackToBack) {
    VmapSpace space;
    space.init(kStart, kStart + 100 * kPage);
    VmArea a, b, c;
    ASSERT_TRUE(space.insert(a, 3 * kPage));
    ASSERT_TRUE(space.insert(b, 2 * kPage));
    ASSERT_TRUE(space.insert(c, 5000));  // rounded up to whole pages
    EXPECT_EQ(a.addr, kStart);
    EXPECT_EQ(b.addr, kStart + 3 * kPage);
    EXPECT_EQ(c.addr, kStart + 5 * kPage);
    EXPECT_EQ(c.span, 2 * kPage);
    EXPECT_EQ(space.nr_areas(), 3u);
}

TEST(VmapSpace, FindsByStartAndByInteriorAddress) {
    VmapSpace space;
    space.init(kStart, kStart + 100 * kPage);
    VmArea a, b;
    space.insert(a, 2 * kPage);
    space.insert(b, 4 * kPage);
    EXPECT_EQ(space.find(b.addr), &b);
    EXPECT_EQ(space.find(b.addr + kPage), nullptr);
    EXPECT_EQ(space.find_containing(b.addr + 3 * kPage + 17), &b);
    EXPECT_EQ(space.find_containing(b.addr + 4 * kPage), nullptr);
    EXPECT_EQ(space.find_containing(kStart - 1), nullptr);
    EXPECT_EQ(space.find_containing(a.addr), &a);
}

TEST(VmapSpace, NextFitDoesNotReuseAtOnceButWrapsAround) {
    VmapSpace space;
    space.init(kStart, kStart + 10 * kPage);
    VmArea a, b, c, d;
    space.insert(a, 4 * kPage);
    space.insert(b, 4 * kPage);
    space.remove(a);
    ASSERT_TRUE(space.insert(c, 2 * kPage));
    EXPECT_EQ(c.addr, kStart + 8 * kPage);  // after b, not in a's old place
    ASSERT_TRUE(space.insert(d, 3 * kPage));
    EXPECT_EQ(d.addr, kStart);  // nothing fits at the end: wrapped to the hole a left
    VmArea e;
    EXPECT_FALSE(space.insert(e, 2 * kPage));  // 1 page free at kStart+3 pages only
    VmArea f;
    EXPECT_TRUE(space.insert(f, kPage));
    EXPECT_EQ(f.addr, kStart + 3 * kPage);
}

TEST(VmapSpace, RefusesWhatDoesNotFit) {
    VmapSpace space;
    space.init(kStart, kStart + 4 * kPage);
    VmArea a, b;
    EXPECT_FALSE(space.insert(a, 5 * kPage));
    EXPECT_FALSE(space.insert(a, 0));
    EXPECT_TRUE(space.insert(a, 4 * kPage));
    EXPECT_FALSE(space.insert(b, kPage));
}

TEST(VmapSpace, ManyAreasStayOrderedAndDisjoint) {
    VmapSpace space;
    space.init(kStart, kStart + 4096 * kPage);
    std::vector<std::unique_ptr<VmArea>> areas;
    for (int i = 0; i < 500; i++) {
        areas.push_back(std::make_unique<VmArea>());
        ASSERT_TRUE(space.insert(*areas.back(), (1 + i % 5) * kPage));
        if (i % 3 == 0) {
            space.remove(*areas[i / 2]);
            areas[i / 2]->addr = 0;
        }
    }
    uintptr_t last_end = kStart;
    std::vector<std::pair<uintptr_t, uintptr_t>> live;
    for (auto& a : areas)
        if (a->addr) live.push_back({a->addr, a->end()});
    std::sort(live.begin(), live.end());
    for (auto [s, e] : live) {
        EXPECT_GE(s, last_end);
        last_end = e;
    }
    EXPECT_LE(last_end, kStart + 4096 * kPage);
    EXPECT_EQ(space.nr_areas(), live.size());
}

}  // namespace
