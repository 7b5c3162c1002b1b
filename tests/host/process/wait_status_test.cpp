// The wait status encoding, checked against the C library's own decoding macros.
#include <process/rusage.hpp>
#include <process/wait_status.hpp>

#include <gtest/gtest.h>
#include <sys/wait.h>

namespace {

TEST(WaitStatus, ExitCodes) {
    for (int code : {0, 1, 42, 255, 256 + 7, -1}) {
        int s = exit_code_status(code);
        EXPECT_TRUE(WIFEXITED(s));
        EXPECT_FALSE(WIFSIGNALED(s));
        EXPECT_FALSE(WIFSTOPPED(s));
        EXPECT_EQ(WEXITSTATUS(s), code & 0xff);
        EXPECT_TRUE(status_exited(s));
        EXPECT_EQ(status_exit_code(s), code & 0xff);
    }
    EXPECT_EQ(exit_code_status(3), 0x300);
}

TEST(WaitStatus, Signals) {
    int s = signal_status(9, false);
    EXPECT_EQ(s, 9);
    EXPECT_TRUE(WIFSIGNALED(s));
    EXPECT_EQ(WTERMSIG(s), 9);
    EXPECT_FALSE(WCOREDUMP(s));
    int core = signal_status(11, true);
    EXPECT_EQ(core, 0x8b);
    EXPECT_TRUE(WIFSIGNALED(core));
    EXPECT_TRUE(WCOREDUMP(core));
    EXPECT_EQ(WTERMSIG(core), 11);
    EXPECT_TRUE(status_signaled(core));
    EXPECT_FALSE(status_signaled(exit_code_status(1)));
}

TEST(WaitStatus, StoppedAndContinued) {
    int s = stopped_status(19);
    EXPECT_EQ(s, 0x137f);
    EXPECT_TRUE(WIFSTOPPED(s));
    EXPECT_EQ(WSTOPSIG(s), 19);
    EXPECT_FALSE(WIFSIGNALED(s));
    EXPECT_TRUE(status_stopped(s));
    EXPECT_TRUE(WIFCONTINUED(kWaitContinued));
    EXPECT_FALSE(WIFSIGNALED(kWaitContinued));
    EXPECT_TRUE(status_continued(kWaitContinued));
    EXPECT_FALSE(status_signaled(kWaitContinued));
}

TEST(Rusage, LayoutAndConversions) {
    EXPECT_EQ(offsetof(LinuxRusage, ru_maxrss), 32u);
    EXPECT_EQ(offsetof(LinuxRusage, ru_nvcsw), 128u);
    auto tv = ns_to_timeval(2'500'000'123ull);
    EXPECT_EQ(tv.tv_sec, 2);
    EXPECT_EQ(tv.tv_usec, 500000);
    EXPECT_EQ(ns_to_clock_t(1'000'000'000ull), 100);
    EXPECT_EQ(ns_to_clock_t(9'999'999ull), 0);
    TaskUsage u;
    u.utime_ns = 1'000'000'000;
    u.maxrss_kb = 640;
    u.nvcsw = 3;
    LinuxRusage ru = to_linux_rusage(u);
    EXPECT_EQ(ru.ru_utime.tv_sec, 1);
    EXPECT_EQ(ru.ru_maxrss, 640);
    EXPECT_EQ(ru.ru_nvcsw, 3);
}

}  // namespace
