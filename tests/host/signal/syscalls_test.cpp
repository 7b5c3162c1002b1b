// The signal system calls' argument rules, called as the dispatcher calls them (host "user memory" is
// the test's own memory; see tests/host/support/host_uaccess.cpp).
#include "signal_fixture.hpp"

namespace {
constexpr long kEINVAL = -long(Errno::EINVAL), kEFAULT = -long(Errno::EFAULT), kEPERM = -long(Errno::EPERM),
               kESRCH = -long(Errno::ESRCH);
}  // namespace

TEST_F(SignalTest, SigactionRules) {
    Task* p = new_process();
    become(p);
    UserSigaction act{0x1000, SA_SIGINFO | SA_RESTORER | SA_UNSUPPORTED, 0x2000,
                      SigSet::mask(SIGKILL) | SigSet::mask(SIGUSR2)};
    UserSigaction old{};
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, uptr(&act), uptr(&old), 8, 0, 0), 0);
    EXPECT_EQ(old.handler, SIG_DFL);
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, 0, uptr(&old), 8, 0, 0), 0);
    EXPECT_EQ(old.handler, 0x1000u);
    EXPECT_EQ(old.restorer, 0x2000u);
    EXPECT_EQ(old.flags, SA_SIGINFO | SA_RESTORER);          // unknown flags read back clear
    EXPECT_EQ(old.mask, SigSet::mask(SIGUSR2));              // SIGKILL cannot be blocked
    EXPECT_EQ(sys_rt_sigaction(SIGKILL, uptr(&act), 0, 8, 0, 0), kEINVAL);
    EXPECT_EQ(sys_rt_sigaction(SIGSTOP, uptr(&act), 0, 8, 0, 0), kEINVAL);
    EXPECT_EQ(sys_rt_sigaction(SIGKILL, 0, uptr(&old), 8, 0, 0), 0);  // reading is fine
    EXPECT_EQ(sys_rt_sigaction(0, 0, uptr(&old), 8, 0, 0), kEINVAL);
    EXPECT_EQ(sys_rt_sigaction(65, 0, uptr(&old), 8, 0, 0), kEINVAL);
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, uptr(&act), 0, 16, 0, 0), kEINVAL);
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, 8, 0, 8, 0, 0), kEFAULT);
}

TEST_F(SignalTest, SigactionIgnoreDiscardsPending) {
    Task* p = new_process();
    become(p);
    p->signals.blocked.add(SIGUSR1);
    EXPECT_TRUE(bool(send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
    ASSERT_TRUE(pending_in(p, SIGUSR1));
    UserSigaction ign{SIG_IGN, 0, 0, 0};
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, uptr(&ign), 0, 8, 0, 0), 0);
    EXPECT_FALSE(pending_in(p, SIGUSR1));
}

TEST_F(SignalTest, SigprocmaskAndSigpending) {
    Task* p = new_process();
    become(p);
    uint64_t set = SigSet::mask(SIGUSR1) | SigSet::mask(SIGKILL) | SigSet::mask(SIGSTOP);
    uint64_t old = ~0ull;
    EXPECT_EQ(sys_rt_sigprocmask(SIG_BLOCK, uptr(&set), uptr(&old), 8, 0, 0), 0);
    EXPECT_EQ(old, 0u);
    EXPECT_EQ(p->signals.blocked.bits, SigSet::mask(SIGUSR1));  // KILL and STOP silently dropped
    set = SigSet::mask(SIGUSR2);
    EXPECT_EQ(sys_rt_sigprocmask(SIG_BLOCK, uptr(&set), 0, 8, 0, 0), 0);
    set = SigSet::mask(SIGUSR1);
    EXPECT_EQ(sys_rt_sigprocmask(SIG_UNBLOCK, uptr(&set), uptr(&old), 8, 0, 0), 0);
    EXPECT_EQ(old, SigSet::mask(SIGUSR1) | SigSet::mask(SIGUSR2));
    EXPECT_EQ(p->signals.blocked.bits, SigSet::mask(SIGUSR2));
    EXPECT_EQ(sys_rt_sigprocmask(7, uptr(&set), 0, 8, 0, 0), kEINVAL);
    EXPECT_EQ(sys_rt_sigprocmask(SIG_SETMASK, uptr(&set), 0, 4, 0, 0), kEINVAL);

    // sigpending: pending AND blocked.
    UserSigaction act{0x1000, SA_RESTORER, 0, 0};
    EXPECT_EQ(sys_rt_sigaction(SIGUSR2, uptr(&act), 0, 8, 0, 0), 0);
    EXPECT_TRUE(bool(send_sig_info(SIGUSR2, from_user(SIGUSR2), p)));
    uint64_t pending = 0;
    EXPECT_EQ(sys_rt_sigpending(uptr(&pending), 8, 0, 0, 0, 0), 0);
    EXPECT_EQ(pending, SigSet::mask(SIGUSR2));
}

TEST_F(SignalTest, SigaltstackRules) {
    Task* p = new_process();
    become(p);
    static char stack[8192];
    uint64_t base = uptr(stack);
    UserStack ss{base, 0, 0, sizeof stack};
    UserStack old{};
    EXPECT_EQ(do_sigaltstack(uptr(&ss), uptr(&old), 0x7000), 0);
    EXPECT_EQ(old.ss_flags, SS_DISABLE);
    EXPECT_EQ(do_sigaltstack(0, uptr(&old), 0x7000), 0);
    EXPECT_EQ(old.ss_sp, base);
    EXPECT_EQ(old.ss_size, sizeof stack);
    EXPECT_EQ(old.ss_flags, 0);
    // Running on it: reported, and it cannot be changed.
    EXPECT_EQ(do_sigaltstack(0, uptr(&old), base + 100), 0);
    EXPECT_EQ(old.ss_flags, SS_ONSTACK);
    EXPECT_EQ(do_sigaltstack(uptr(&ss), 0, base + 100), kEPERM);
    UserStack small{base, 0, 0, 1024};
    EXPECT_EQ(do_sigaltstack(uptr(&small), 0, 0x7000), -long(Errno::ENOMEM));
    UserStack bad{base, 0x10, 0, sizeof stack};
    EXPECT_EQ(do_sigaltstack(uptr(&bad), 0, 0x7000), kEINVAL);
    UserStack off{0, SS_DISABLE, 0, 0};
    EXPECT_EQ(do_sigaltstack(uptr(&off), 0, 0x7000), 0);
    EXPECT_FALSE(on_sig_stack(p, base + 100));
}

TEST_F(SignalTest, KillChecksPermissionAndTargets) {
    Task* victim = new_process(1000);
    Task* other_user = new_process(2000);
    Task* same_user = new_process(1000);
    UserSigaction act{0x1000, SA_RESTORER, 0, 0};
    become(victim);
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, uptr(&act), 0, 8, 0, 0), 0);

    become(other_user);
    EXPECT_EQ(sys_kill(uint64_t(victim->pid), SIGUSR1, 0, 0, 0, 0), kEPERM);
    EXPECT_EQ(sys_kill(uint64_t(victim->pid), 0, 0, 0, 0, 0), kEPERM);  // even the existence probe
    become(same_user);
    EXPECT_EQ(sys_kill(uint64_t(victim->pid), 0, 0, 0, 0, 0), 0);
    EXPECT_FALSE(group_pending(victim, SIGUSR1));
    EXPECT_EQ(sys_kill(uint64_t(victim->pid), SIGUSR1, 0, 0, 0, 0), 0);
    ASSERT_TRUE(group_pending(victim, SIGUSR1));
    const SigQueue* q = victim->signal->shared_pending.list.front();
    EXPECT_EQ(q->info.si_code, SI_USER);
    EXPECT_EQ(q->info.rt.pid, same_user->tgid);
    EXPECT_EQ(q->info.rt.uid, 1000u);

    EXPECT_EQ(sys_kill(uint64_t(victim->pid), 65, 0, 0, 0, 0), kEINVAL);
    EXPECT_EQ(sys_kill(999999, SIGUSR1, 0, 0, 0, 0), kESRCH);
    // tgkill: the thread must belong to the group.
    EXPECT_EQ(sys_tgkill(uint64_t(same_user->tgid), uint64_t(victim->pid), SIGUSR1, 0, 0, 0), kESRCH);
    EXPECT_EQ(sys_tgkill(uint64_t(victim->tgid), uint64_t(victim->pid), SIGUSR1, 0, 0, 0), 0);
    EXPECT_TRUE(pending_in(victim, SIGUSR1));
}

TEST_F(SignalTest, SigqueueinfoCannotForgeKernelCodes) {
    Task* a = new_process();
    Task* b = new_process();
    become(b);
    UserSigaction act{0x1000, SA_RESTORER, 0, 0};
    EXPECT_EQ(sys_rt_sigaction(SIGRTMIN, uptr(&act), 0, 8, 0, 0), 0);
    become(a);
    UserSigInfo info{};
    info.si_code = SI_KERNEL;
    EXPECT_EQ(sys_rt_sigqueueinfo(uint64_t(b->tgid), SIGRTMIN, uptr(&info), 0, 0, 0), kEPERM);
    info.si_code = SI_QUEUE;
    info.rt.value = 42;
    EXPECT_EQ(sys_rt_sigqueueinfo(uint64_t(b->tgid), SIGRTMIN, uptr(&info), 0, 0, 0), 0);
    ASSERT_TRUE(group_pending(b, SIGRTMIN));
    EXPECT_EQ(b->signal->shared_pending.list.front()->info.rt.value, 42u);
}

extern "C" long sys_rt_sigtimedwait(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

// With the signal already pending (blocked, as sigwait users do) or a zero timeout, rt_sigtimedwait does
// not sleep.
TEST_F(SignalTest, SigtimedwaitTakesAPendingSignal) {
    Task* p = new_process();
    become(p);
    UserSigaction act{0x1000, SA_RESTORER, 0, 0};
    EXPECT_EQ(sys_rt_sigaction(SIGUSR1, uptr(&act), 0, 8, 0, 0), 0);
    p->signals.blocked.add(SIGUSR1);
    EXPECT_TRUE(bool(send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
    uint64_t set = SigSet::mask(SIGUSR1);
    UserSigInfo info{};
    struct { int64_t sec, nsec; } zero{0, 0}, bad{0, 1000000000};
    EXPECT_EQ(sys_rt_sigtimedwait(uptr(&set), uptr(&info), uptr(&zero), 8, 0, 0), SIGUSR1);
    EXPECT_EQ(info.si_signo, SIGUSR1);
    EXPECT_EQ(info.si_code, SI_USER);
    EXPECT_FALSE(pending_in(p, SIGUSR1));
    EXPECT_EQ(sys_rt_sigtimedwait(uptr(&set), uptr(&info), uptr(&zero), 8, 0, 0), -long(Errno::EAGAIN));
    EXPECT_EQ(sys_rt_sigtimedwait(uptr(&set), uptr(&info), uptr(&bad), 8, 0, 0), kEINVAL);
    EXPECT_TRUE(p->signals.blocked.has(SIGUSR1));  // the mask is as it was
}
