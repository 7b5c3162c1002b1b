// The set*id() permission rules against Linux's behaviour (kernel/sys.c).
#include <process/cred_rules.hpp>

#include <gtest/gtest.h>

namespace {

struct Ids {
    uint32_t real, effective, saved;
};

// The caller's credentials (`old`) and the copy a rule edits (`cred`).
struct Case {
    Credentials old, cred;
    explicit Case(Ids u, Ids g = {100, 100, 100}) {
        old.uid = u.real, old.euid = u.effective, old.suid = u.saved, old.fsuid = u.effective;
        old.gid = g.real, old.egid = g.effective, old.sgid = g.saved, old.fsgid = g.effective;
        reset();
    }
    void reset() { copy_cred_ids(cred, old); }
};

constexpr uint32_t kKeep = kNoChangeId;

TEST(CredRules, RootSetuidSetsAllFourIds) {
    Case k({0, 0, 0});
    ASSERT_TRUE(cred_setuid(k.old, k.cred, 1000));
    EXPECT_EQ(k.cred.uid, 1000u);
    EXPECT_EQ(k.cred.euid, 1000u);
    EXPECT_EQ(k.cred.suid, 1000u);
    EXPECT_EQ(k.cred.fsuid, 1000u);
}

TEST(CredRules, UnprivilegedSetuidMovesOnlyTheEffectiveId) {
    Case k({1000, 2000, 3000});
    ASSERT_TRUE(cred_setuid(k.old, k.cred, 3000));  // the saved id
    EXPECT_EQ(k.cred.uid, 1000u);
    EXPECT_EQ(k.cred.euid, 3000u);
    EXPECT_EQ(k.cred.suid, 3000u);
    EXPECT_EQ(k.cred.fsuid, 3000u);
    k.reset();
    ASSERT_TRUE(cred_setuid(k.old, k.cred, 1000));  // the real id
    EXPECT_EQ(k.cred.euid, 1000u);
    k.reset();
    // Its own effective id is not enough: Linux checks the real and saved ids only.
    EXPECT_EQ(cred_setuid(k.old, k.cred, 2000).error(), Errno::EPERM);
    EXPECT_EQ(cred_setuid(k.old, k.cred, 0).error(), Errno::EPERM);
    EXPECT_EQ(cred_setuid(k.old, k.cred, kNoChangeId).error(), Errno::EINVAL);
}

TEST(CredRules, SetgidFollowsTheSameRulesWithGroups) {
    Case k({1000, 1000, 1000}, {10, 20, 30});
    ASSERT_TRUE(cred_setgid(k.old, k.cred, 30));
    EXPECT_EQ(k.cred.gid, 10u);
    EXPECT_EQ(k.cred.egid, 30u);
    EXPECT_EQ(k.cred.fsgid, 30u);
    k.reset();
    EXPECT_EQ(cred_setgid(k.old, k.cred, 20).error(), Errno::EPERM);
    Case root({0, 0, 0}, {10, 20, 30});
    ASSERT_TRUE(cred_setgid(root.old, root.cred, 77));
    EXPECT_EQ(root.cred.gid, 77u);
    EXPECT_EQ(root.cred.sgid, 77u);
}

TEST(CredRules, SetreuidSwapsAndUpdatesTheSavedId) {
    Case k({1000, 2000, 3000});
    // Swapping real and effective is allowed; the saved id follows the new effective id.
    ASSERT_TRUE(cred_setreuid(k.old, k.cred, 2000, 1000));
    EXPECT_EQ(k.cred.uid, 2000u);
    EXPECT_EQ(k.cred.euid, 1000u);
    EXPECT_EQ(k.cred.suid, 1000u);
    EXPECT_EQ(k.cred.fsuid, 1000u);
    k.reset();
    // The real id may only come from the real or effective id.
    EXPECT_EQ(cred_setreuid(k.old, k.cred, 3000, kKeep).error(), Errno::EPERM);
    k.reset();
    // The effective id may come from the saved one; with euid != old uid the saved id follows.
    ASSERT_TRUE(cred_setreuid(k.old, k.cred, kKeep, 3000));
    EXPECT_EQ(k.cred.uid, 1000u);
    EXPECT_EQ(k.cred.euid, 3000u);
    EXPECT_EQ(k.cred.suid, 3000u);
    k.reset();
    // euid back to the old real id with the real id kept: the saved id stays.
    ASSERT_TRUE(cred_setreuid(k.old, k.cred, kKeep, 1000));
    EXPECT_EQ(k.cred.suid, 3000u);
    k.reset();
    EXPECT_EQ(cred_setreuid(k.old, k.cred, kKeep, 4000).error(), Errno::EPERM);
}

TEST(CredRules, SetresuidAcceptsAnyCurrentIdAndMinusOne) {
    Case k({1000, 2000, 3000});
    ASSERT_TRUE(cred_setresuid(k.old, k.cred, 3000, 1000, 2000));
    EXPECT_EQ(k.cred.uid, 3000u);
    EXPECT_EQ(k.cred.euid, 1000u);
    EXPECT_EQ(k.cred.suid, 2000u);
    EXPECT_EQ(k.cred.fsuid, 1000u);
    k.reset();
    EXPECT_EQ(cred_setresuid(k.old, k.cred, kKeep, kKeep, 5).error(), Errno::EPERM);
    k.reset();
    ASSERT_TRUE(cred_setresuid(k.old, k.cred, kKeep, kKeep, kKeep));
    EXPECT_EQ(k.cred.uid, 1000u);
    EXPECT_EQ(k.cred.euid, 2000u);
    Case root({0, 0, 0});
    ASSERT_TRUE(cred_setresuid(root.old, root.cred, 1, 2, 3));
    EXPECT_EQ(root.cred.suid, 3u);
}

TEST(CredRules, SetresgidChecksGroupIds) {
    Case k({1000, 1000, 1000}, {10, 20, 30});
    ASSERT_TRUE(cred_setresgid(k.old, k.cred, 30, 10, 20));
    EXPECT_EQ(k.cred.fsgid, 10u);
    k.reset();
    EXPECT_EQ(cred_setresgid(k.old, k.cred, 0, kKeep, kKeep).error(), Errno::EPERM);
}

TEST(CredRules, SetregidMirrorsSetreuid) {
    Case k({1000, 1000, 1000}, {10, 20, 30});
    ASSERT_TRUE(cred_setregid(k.old, k.cred, 20, 10));
    EXPECT_EQ(k.cred.gid, 20u);
    EXPECT_EQ(k.cred.egid, 10u);
    EXPECT_EQ(k.cred.sgid, 10u);
    k.reset();
    EXPECT_EQ(cred_setregid(k.old, k.cred, 30, kKeep).error(), Errno::EPERM);
}

TEST(CredRules, SetfsuidReturnsTheOldIdAndChangesOnlyWhenAllowed) {
    Case k({1000, 2000, 3000});
    EXPECT_EQ(cred_setfsuid(k.old, k.cred, 3000), 2000u);
    EXPECT_EQ(k.cred.fsuid, 3000u);
    k.reset();
    EXPECT_EQ(cred_setfsuid(k.old, k.cred, 5), 2000u);  // not allowed: unchanged, still the old id back
    EXPECT_EQ(k.cred.fsuid, 2000u);
    EXPECT_EQ(cred_setfsuid(k.old, k.cred, kNoChangeId), 2000u);  // the query form
    Case root({0, 0, 0});
    EXPECT_EQ(cred_setfsuid(root.old, root.cred, 5), 0u);
    EXPECT_EQ(root.cred.fsuid, 5u);
    Case g({1, 1, 1}, {10, 20, 30});
    EXPECT_EQ(cred_setfsgid(g.old, g.cred, 30), 20u);
    EXPECT_EQ(g.cred.fsgid, 30u);
}

TEST(CredRules, SetgroupsNeedsRootAndSortsTheList) {
    uint32_t list[] = {30, 10, 20};
    Case root({0, 0, 0});
    ASSERT_TRUE(cred_setgroups(root.old, root.cred, list, 3));
    ASSERT_EQ(root.cred.ngroups, 3u);
    EXPECT_EQ(root.cred.groups[0], 10u);
    EXPECT_EQ(root.cred.groups[1], 20u);
    EXPECT_EQ(root.cred.groups[2], 30u);
    EXPECT_TRUE(root.cred.in_group(20));
    EXPECT_FALSE(root.cred.in_group(25));
    Case user({1, 1, 1});
    EXPECT_EQ(cred_setgroups(user.old, user.cred, list, 3).error(), Errno::EPERM);
    EXPECT_EQ(cred_setgroups(root.old, root.cred, list, kNgroupsMax + 1).error(), Errno::EINVAL);
    EXPECT_EQ(cred_setgroups(root.old, root.cred, list, kMaxGroups + 1).error(), Errno::EINVAL);
}

}  // namespace
