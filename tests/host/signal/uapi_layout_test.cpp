// The user-visible signal structures against the C library's headers (glibc uses the kernel's layouts
// for these): a mismatch would corrupt every handler's view of its siginfo and ucontext.
#include <arch/x86_64/signal_frame.hpp>
#include <signal/uapi.hpp>

#include <gtest/gtest.h>
#include <stddef.h>
#include <sys/ucontext.h>

#include <signal.h>

TEST(SignalUapiLayout, SiginfoMatchesLibc) {
    EXPECT_EQ(sizeof(UserSigInfo), sizeof(siginfo_t));
    EXPECT_EQ(offsetof(UserSigInfo, si_signo), offsetof(siginfo_t, si_signo));
    EXPECT_EQ(offsetof(UserSigInfo, si_errno), offsetof(siginfo_t, si_errno));
    EXPECT_EQ(offsetof(UserSigInfo, si_code), offsetof(siginfo_t, si_code));
    EXPECT_EQ(offsetof(UserSigInfo, rt.pid), offsetof(siginfo_t, si_pid));
    EXPECT_EQ(offsetof(UserSigInfo, rt.uid), offsetof(siginfo_t, si_uid));
    EXPECT_EQ(offsetof(UserSigInfo, rt.value), offsetof(siginfo_t, si_value));
    EXPECT_EQ(offsetof(UserSigInfo, chld.status), offsetof(siginfo_t, si_status));
    EXPECT_EQ(offsetof(UserSigInfo, chld.utime), offsetof(siginfo_t, si_utime));
    EXPECT_EQ(offsetof(UserSigInfo, chld.stime), offsetof(siginfo_t, si_stime));
    EXPECT_EQ(offsetof(UserSigInfo, fault.addr), offsetof(siginfo_t, si_addr));
}

TEST(SignalUapiLayout, StackMatchesLibc) {
    EXPECT_EQ(sizeof(UserStack), sizeof(stack_t));
    EXPECT_EQ(offsetof(UserStack, ss_sp), offsetof(stack_t, ss_sp));
    EXPECT_EQ(offsetof(UserStack, ss_flags), offsetof(stack_t, ss_flags));
    EXPECT_EQ(offsetof(UserStack, ss_size), offsetof(stack_t, ss_size));
}

TEST(SignalUapiLayout, SigcontextMatchesLibc) {
    using x86::SigContext;
    EXPECT_EQ(sizeof(SigContext), sizeof(struct sigcontext));
    EXPECT_EQ(offsetof(SigContext, r8), offsetof(struct sigcontext, r8));
    EXPECT_EQ(offsetof(SigContext, rdi), offsetof(struct sigcontext, rdi));
    EXPECT_EQ(offsetof(SigContext, rax), offsetof(struct sigcontext, rax));
    EXPECT_EQ(offsetof(SigContext, rsp), offsetof(struct sigcontext, rsp));
    EXPECT_EQ(offsetof(SigContext, rip), offsetof(struct sigcontext, rip));
    EXPECT_EQ(offsetof(SigContext, eflags), offsetof(struct sigcontext, eflags));
    EXPECT_EQ(offsetof(SigContext, cs), offsetof(struct sigcontext, cs));
    EXPECT_EQ(offsetof(SigContext, err), offsetof(struct sigcontext, err));
    EXPECT_EQ(offsetof(SigContext, trapno), offsetof(struct sigcontext, trapno));
    EXPECT_EQ(offsetof(SigContext, oldmask), offsetof(struct sigcontext, oldmask));
    EXPECT_EQ(offsetof(SigContext, cr2), offsetof(struct sigcontext, cr2));
    EXPECT_EQ(offsetof(SigContext, fpstate), offsetof(struct sigcontext, fpstate));
}

// glibc's ucontext_t has the kernel's layout up to uc_sigmask (it then continues with its own fields).
TEST(SignalUapiLayout, UcontextPrefixMatchesLibc) {
    using x86::UContext;
    EXPECT_EQ(offsetof(UContext, uc_flags), offsetof(ucontext_t, uc_flags));
    EXPECT_EQ(offsetof(UContext, uc_link), offsetof(ucontext_t, uc_link));
    EXPECT_EQ(offsetof(UContext, uc_stack), offsetof(ucontext_t, uc_stack));
    EXPECT_EQ(offsetof(UContext, uc_mcontext), offsetof(ucontext_t, uc_mcontext));
    EXPECT_EQ(offsetof(UContext, uc_sigmask), offsetof(ucontext_t, uc_sigmask));
    // mcontext_t's gregs are the sigcontext's first 23 words, in REG_* order.
    EXPECT_EQ(offsetof(UContext, uc_mcontext.r8), offsetof(ucontext_t, uc_mcontext.gregs[REG_R8]));
    EXPECT_EQ(offsetof(UContext, uc_mcontext.rip), offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]));
    EXPECT_EQ(offsetof(UContext, uc_mcontext.rsp), offsetof(ucontext_t, uc_mcontext.gregs[REG_RSP]));
    EXPECT_EQ(offsetof(UContext, uc_mcontext.eflags), offsetof(ucontext_t, uc_mcontext.gregs[REG_EFL]));
    EXPECT_EQ(offsetof(UContext, uc_mcontext.cr2), offsetof(ucontext_t, uc_mcontext.gregs[REG_CR2]));
    EXPECT_EQ(offsetof(UContext, uc_mcontext.fpstate), offsetof(ucontext_t, uc_mcontext.fpregs));
}

TEST(SignalUapiLayout, ConstantsMatchLibc) {
    // <signal.h>'s macros were dropped by signal/uapi.hpp; the numbers are the ABI's, written out.
    EXPECT_EQ(SA_SIGINFO, 4u);
    EXPECT_EQ(SA_ONSTACK, 0x08000000u);
    EXPECT_EQ(SA_RESTART, 0x10000000u);
    EXPECT_EQ(SA_NODEFER, 0x40000000u);
    EXPECT_EQ(SA_RESETHAND, 0x80000000u);
    EXPECT_EQ(SI_USER, 0);
    EXPECT_EQ(SI_KERNEL, 0x80);
    EXPECT_EQ(SI_TKILL, -6);
    EXPECT_EQ(CLD_STOPPED, 5);
    EXPECT_EQ(SS_DISABLE, 2);
}
