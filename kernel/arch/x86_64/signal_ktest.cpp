// Self-tests of signal delivery with real ring-3 code (entry/user_programs_ktest.S): handlers and
// rt_sigreturn, fatal faults, job control stop/continue with system-call restart, SIGKILL.
#include <arch/x86_64/entry/user_mode.hpp>
#include <kunit/ktest.hpp>
#include <sched/task.hpp>
#include <sched/timeout.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>
#include <signal/uapi.hpp>

using namespace x86::usertest;

#define USER_PROGRAM(name) extern "C" const char user_prog_##name##_start[], user_prog_##name##_end[];
USER_PROGRAM(signal)
USER_PROGRAM(segv)
USER_PROGRAM(segv_handler)
USER_PROGRAM(pause)

namespace {

constexpr long kDiedOfSigill = SIGILL | 0x80;

KernelSigInfo user_sent(int sig) {
    KernelSigInfo info;
    info.signo = sig;
    info.code = SI_USER;
    return info;
}

// Waits until the task is in `state` (e.g. asleep in pause, or stopped).
bool wait_for_state(Task* t, unsigned state, unsigned timeout_ms = 5000) {
    for (unsigned waited = 0; waited <= timeout_ms; waited += 2) {
        if (task_state(t) == state) return true;
        msleep(2);
    }
    return false;
}

}  // namespace

KTEST(signal, handler_runs_and_sigreturn_restores_registers) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_signal_start, user_prog_signal_end));
    KASSERT_TRUE(p.start("utest-sig"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(0), 0);        // kill() returned 0 after the handler
    KEXPECT_EQ(p.data(8), SIGUSR1);  // handler's first argument
    KEXPECT_EQ(p.data(16), SIGUSR1); // siginfo->si_signo
    KEXPECT_EQ(long(int32_t(p.data(40))), SI_USER);
    KEXPECT_EQ(p.data(24), 1);       // ran exactly once
    KEXPECT_EQ(p.data(32), 1);       // registers the handler clobbered came back
    KEXPECT_EQ(p.data(48), 0);       // ABI stack alignment at handler entry
}

KTEST(signal, user_fault_kills_only_that_task) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_segv_start, user_prog_segv_end));
    KASSERT_TRUE(p.start("utest-segv"));
    KEXPECT_EQ(p.wait_exit(), SIGSEGV | 0x80);  // terminated by SIGSEGV, core bit set
    // We (another task) are still here, and so is the rest of the system.
    KEXPECT_TRUE(current() != p.task());
}

KTEST(signal, sigsegv_handler_gets_fault_address) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_segv_handler_start, user_prog_segv_handler_end));
    KASSERT_TRUE(p.start("utest-segvh"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);  // the handler ends in ud2
    KEXPECT_EQ(p.data(0), 0x5008);             // si_addr
    KEXPECT_EQ(p.data(8), SEGV_MAPERR);
    KEXPECT_EQ(p.data(16), SIGSEGV);
}

// pause() is interrupted by SIGSTOP (no handler: the call restarts after SIGCONT) and then by SIGUSR1,
// whose handler runs, so pause returns EINTR. The group stop is visible to wait (task_stopped_code).
KTEST(signal, stop_continue_restart_then_eintr) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_pause_start, user_prog_pause_end));
    KASSERT_TRUE(p.start("utest-pause"));
    KASSERT_TRUE(p.wait_data(0));
    Task* t = p.task();
    KASSERT_TRUE(wait_for_state(t, TASK_INTERRUPTIBLE));

    KEXPECT_TRUE(bool(send_sig_info(SIGSTOP, user_sent(SIGSTOP), t)));
    KEXPECT_TRUE(wait_for_state(t, TASK_STOPPED));
    KEXPECT_EQ(task_stopped_code(t, false), SIGSTOP);
    KEXPECT_EQ(task_stopped_code(t, true), SIGSTOP);
    KEXPECT_EQ(task_stopped_code(t, false), 0);  // consumed

    KEXPECT_TRUE(bool(send_sig_info(SIGCONT, user_sent(SIGCONT), t)));
    KEXPECT_TRUE(wait_for_state(t, TASK_INTERRUPTIBLE));  // back in the restarted pause()
    KEXPECT_TRUE(task_continued(t, true));
    KEXPECT_EQ(p.data(8), 0);   // pause has not returned
    KEXPECT_EQ(p.data(24), 0);  // and no handler ran

    KEXPECT_TRUE(bool(send_sig_info(SIGUSR1, user_sent(SIGUSR1), t)));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(long(p.data(8)), -long(Errno::EINTR));
    KEXPECT_EQ(p.data(24), 1);
}

KTEST(signal, sigkill_ends_a_stopped_task) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_pause_start, user_prog_pause_end));
    KASSERT_TRUE(p.start("utest-kill"));
    KASSERT_TRUE(p.wait_data(0));
    KASSERT_TRUE(wait_for_state(p.task(), TASK_INTERRUPTIBLE));
    // (SIGSTOP: a TSTP would be discarded, as the test process, whose parent is a kernel thread, is in an
    // orphaned process group.)
    KEXPECT_TRUE(bool(send_sig_info(SIGSTOP, user_sent(SIGSTOP), p.task())));
    KEXPECT_TRUE(wait_for_state(p.task(), TASK_STOPPED));
    KEXPECT_TRUE(bool(send_sig_info(SIGKILL, user_sent(SIGKILL), p.task())));
    KEXPECT_EQ(p.wait_exit(), SIGKILL);
}

USER_PROGRAM(fpu)
USER_PROGRAM(altstack)
USER_PROGRAM(mask)

// The interrupted FPU/SSE state is saved in the frame and restored by sigreturn; the handler starts
// with the initial state.
KTEST(signal, fpu_state_survives_a_handler) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_fpu_start, user_prog_fpu_end));
    KASSERT_TRUE(p.start("utest-fpu"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(24), 1);
    KEXPECT_EQ(p.data(0), 0x1122334455667788ull);  // xmm0 back after the handler clobbered it
    KEXPECT_EQ(p.data(8), 0);                      // clean in the handler
    KEXPECT_EQ(p.data(16) & 0xffffffff, 0x1f80);   // default MXCSR in the handler
    KEXPECT_EQ(p.data(48) & 0xffffffff, 0x7f80);   // the program's MXCSR back afterwards
}

KTEST(signal, sa_onstack_runs_on_the_alternate_stack) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_altstack_start, user_prog_altstack_end));
    KASSERT_TRUE(p.start("utest-alt"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(0), 0);
    KEXPECT_EQ(p.data(32), 1);
    uint64_t sp = p.data(8);
    KEXPECT_TRUE(sp >= kDataAddr + 2048 && sp < kDataAddr + 4096);
    KEXPECT_EQ(p.data(16), 0);           // interrupted code was not on it
    KEXPECT_EQ(p.data(24), SS_ONSTACK);  // the handler is
}

KTEST(signal, blocked_signal_is_delivered_when_unblocked) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_mask_start, user_prog_mask_end));
    KASSERT_TRUE(p.start("utest-mask"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(0), 0);                               // blocked: not run
    KEXPECT_EQ(p.data(8), SigSet::mask(SIGUSR1));           // but pending
    KEXPECT_EQ(p.data(16), 1);                              // run on unblocking
}

USER_PROGRAM(bad_sigreturn)

// A sigreturn to a non-canonical address is refused on the way out (IRET would fault in ring 0 on real
// CPUs): the task dies of SIGSEGV, the kernel carries on. (QEMU's TCG raises that #GP after the switch
// to user mode instead, so under TCG this checks the outcome, not which path produced it.)
KTEST(signal, sigreturn_to_noncanonical_rip_is_sigsegv) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_bad_sigreturn_start, user_prog_bad_sigreturn_end));
    KASSERT_TRUE(p.start("utest-badret"));
    KEXPECT_EQ(p.wait_exit(), SIGSEGV | 0x80);
    KEXPECT_EQ(p.data(0), 1);
}
