// Signal sets and the signal classes (signal/sigset.hpp).
#include <signal/sigset.hpp>

#include <gtest/gtest.h>

TEST(SigSet, BitNMinusOneIsSignalN) {
    SigSet s;
    s.add(SIGHUP);
    s.add(SIGRTMAX);
    EXPECT_EQ(s.bits, 1ull | (1ull << 63));
    EXPECT_TRUE(s.has(SIGHUP));
    EXPECT_FALSE(s.has(SIGINT));
    EXPECT_EQ(s.first(), SIGHUP);
    s.del(SIGHUP);
    EXPECT_EQ(s.first(), SIGRTMAX);
    s.del(SIGRTMAX);
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(s.first(), 0);
}

TEST(SigSet, SetAlgebra) {
    SigSet a = sigset_of(SigSet::mask(SIGUSR1) | SigSet::mask(SIGUSR2));
    SigSet b = sigset_of(SigSet::mask(SIGUSR2) | SigSet::mask(SIGTERM));
    EXPECT_EQ((a & b).bits, SigSet::mask(SIGUSR2));
    EXPECT_EQ((a | b).bits, SigSet::mask(SIGUSR1) | SigSet::mask(SIGUSR2) | SigSet::mask(SIGTERM));
    EXPECT_EQ((a & ~b).bits, SigSet::mask(SIGUSR1));
}

TEST(SigSet, ValidSignals) {
    EXPECT_FALSE(valid_signal(0));
    EXPECT_TRUE(valid_signal(1));
    EXPECT_TRUE(valid_signal(64));
    EXPECT_FALSE(valid_signal(65));
    EXPECT_FALSE(valid_signal(-1));
}

TEST(SigSet, ClassesFollowPosixDefaults) {
    for (int sig : {SIGKILL, SIGSTOP}) EXPECT_TRUE(sig_kernel_only(sig)) << sig;
    for (int sig : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) EXPECT_TRUE(sig_kernel_stop(sig)) << sig;
    for (int sig : {SIGCHLD, SIGCONT, SIGURG, SIGWINCH}) EXPECT_TRUE(sig_kernel_ignore(sig)) << sig;
    for (int sig : {SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS})
        EXPECT_TRUE(sig_kernel_coredump(sig)) << sig;
    for (int sig : {SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGPIPE, SIGALRM, SIGTERM}) {
        EXPECT_FALSE(sig_kernel_coredump(sig)) << sig;
        EXPECT_FALSE(sig_kernel_ignore(sig)) << sig;
        EXPECT_FALSE(sig_kernel_stop(sig)) << sig;
    }
    // Real-time signals have no special class even where their bit would match.
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        EXPECT_TRUE(sig_is_realtime(sig));
        EXPECT_FALSE(sig_kernel_only(sig) || sig_kernel_stop(sig) || sig_kernel_ignore(sig) || sig_kernel_coredump(sig));
    }
}
