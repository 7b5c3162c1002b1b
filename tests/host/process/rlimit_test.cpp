// Resource-limit defaults and the rules of setrlimit/prlimit64.
#include <process/rlimit.hpp>

#include <gtest/gtest.h>

namespace {

TEST(Rlimit, DefaultsAreLinuxs) {
    Rlimit r[RLIM_NLIMITS];
    init_rlimits(r);
    EXPECT_EQ(r[RLIMIT_STACK].rlim_cur, 8ull << 20);
    EXPECT_EQ(r[RLIMIT_STACK].rlim_max, RLIM_INFINITY);
    EXPECT_EQ(r[RLIMIT_NOFILE].rlim_cur, 1024u);
    EXPECT_EQ(r[RLIMIT_NOFILE].rlim_max, 4096u);
    EXPECT_EQ(r[RLIMIT_CORE].rlim_cur, 0u);
    EXPECT_EQ(r[RLIMIT_AS].rlim_cur, RLIM_INFINITY);
    EXPECT_EQ(r[RLIMIT_NPROC].rlim_cur, r[RLIMIT_NPROC].rlim_max);
    EXPECT_GE(r[RLIMIT_NPROC].rlim_cur, 10u);
}

TEST(Rlimit, MaxThreadsFollowsMemorySize) {
    EXPECT_EQ(max_threads_for_pages(32768), 1024u);  // 128 MiB: 1/8 of it in 16 KiB stacks
    EXPECT_EQ(max_threads_for_pages(10), 20u);       // never below 20
}

TEST(Rlimit, SoftAboveHardIsEinval) {
    Rlimit old = {10, 100};
    EXPECT_EQ(rlimit_check_change(RLIMIT_NOFILE, old, {200, 100}, true).error(), Errno::EINVAL);
}

TEST(Rlimit, RaisingTheHardLimitNeedsPrivilege) {
    Rlimit old = {10, 100};
    EXPECT_EQ(rlimit_check_change(RLIMIT_CPU, old, {10, 101}, false).error(), Errno::EPERM);
    EXPECT_TRUE(rlimit_check_change(RLIMIT_CPU, old, {10, 101}, true));
    // Lowering it, or moving the soft limit under it, is anyone's right.
    EXPECT_TRUE(rlimit_check_change(RLIMIT_CPU, old, {50, 50}, false));
    EXPECT_TRUE(rlimit_check_change(RLIMIT_CPU, old, {100, 100}, false));
}

TEST(Rlimit, NofileCannotExceedNrOpen) {
    Rlimit old = {1024, RLIM_INFINITY};
    EXPECT_EQ(rlimit_check_change(RLIMIT_NOFILE, old, {1024, kNrOpenCeiling + 1}, true).error(), Errno::EPERM);
    EXPECT_TRUE(rlimit_check_change(RLIMIT_NOFILE, old, {1024, kNrOpenCeiling}, false));
}

TEST(Rlimit, UnknownResourceIsEinval) {
    Rlimit old = {1, 1};
    EXPECT_EQ(rlimit_check_change(RLIM_NLIMITS, old, old, true).error(), Errno::EINVAL);
    EXPECT_EQ(rlimit_check_change(-1, old, old, true).error(), Errno::EINVAL);
}

}  // namespace
