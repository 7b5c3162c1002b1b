// Signal generation and the delivery decisions, with tasks that never run (signal/signal.cpp,
// signal/deliver.cpp): what is queued, merged, dropped, which thread is told, what get_signal returns.
#include "signal_fixture.hpp"

namespace {

UserSigInfo take(Task* t, int& sig) {
    UserSigInfo info{};
    SiglockGuard guard(t->sighand);
    sig = dequeue_signal(t, t->signals.blocked, info);
    return info;
}

void set_handler(Task* t, int sig, uint64_t handler, uint64_t flags = SA_RESTORER) {
    SiglockGuard guard(t->sighand);
    t->sighand->action[sig - 1].handler = handler;
    t->sighand->action[sig - 1].flags = flags;
}

}  // namespace

TEST_F(SignalTest, ClassicSignalsMergeRealtimeSignalsQueue) {
    Task* p = new_process();
    become(p);
    set_handler(p, SIGUSR1, 0x1000);
    set_handler(p, SIGRTMIN, 0x1000);
    for (int i = 0; i < 3; i++) {
        EXPECT_TRUE(bool(send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
        EXPECT_TRUE(bool(send_sig_info(SIGRTMIN, from_user(SIGRTMIN), p)));
    }
    EXPECT_TRUE(signal_pending(p));
    int sig, usr1 = 0, rt = 0;
    while (take(p, sig), sig) {
        if (sig == SIGUSR1) usr1++;
        if (sig == SIGRTMIN) rt++;
    }
    EXPECT_EQ(usr1, 1);
    EXPECT_EQ(rt, 3);
    EXPECT_FALSE(signal_pending(p));  // the current task's flag is exact once nothing is left
}

TEST_F(SignalTest, SynchronousSignalsAreDeliveredFirst) {
    Task* p = new_process();
    become(p);
    for (int s : {SIGHUP, SIGUSR1, SIGSEGV}) set_handler(p, s, 0x1000);
    EXPECT_TRUE(bool(send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
    EXPECT_TRUE(bool(send_sig_info(SIGHUP, from_user(SIGHUP), p)));
    force_sig_fault(SIGSEGV, SEGV_MAPERR, 0xdead);
    int sig;
    UserSigInfo info = take(p, sig);
    EXPECT_EQ(sig, SIGSEGV);
    EXPECT_EQ(info.si_code, SEGV_MAPERR);
    EXPECT_EQ(info.fault.addr, 0xdeadu);
    take(p, sig);
    EXPECT_EQ(sig, SIGHUP);
    take(p, sig);
    EXPECT_EQ(sig, SIGUSR1);
}

TEST_F(SignalTest, IgnoredSignalsAreDroppedButBlockedOnesAreKept) {
    Task* p = new_process();
    become(p);
    // SIGCHLD's default is "ignore"; SIGUSR2 explicitly ignored.
    set_handler(p, SIGUSR2, SIG_IGN);
    EXPECT_TRUE(bool(send_sig_info(SIGCHLD, from_user(SIGCHLD), p)));
    EXPECT_TRUE(bool(send_sig_info(SIGUSR2, from_user(SIGUSR2), p)));
    EXPECT_FALSE(pending_in(p, SIGCHLD));
    EXPECT_FALSE(pending_in(p, SIGUSR2));
    // Blocked: kept, the handler may change before it is unblocked.
    p->signals.blocked.add(SIGUSR2);
    EXPECT_TRUE(bool(send_sig_info(SIGUSR2, from_user(SIGUSR2), p)));
    EXPECT_TRUE(pending_in(p, SIGUSR2));
}

TEST_F(SignalTest, StopAndContinueCancelEachOther) {
    Task* p = new_process();
    become(p);
    p->signals.blocked.add(SIGTSTP);  // keep it pending
    EXPECT_TRUE(bool(group_send_sig_info(SIGTSTP, from_user(SIGTSTP), p)));
    EXPECT_TRUE(group_pending(p, SIGTSTP));
    set_handler(p, SIGCONT, 0x1000);
    EXPECT_TRUE(bool(group_send_sig_info(SIGCONT, from_user(SIGCONT), p)));
    EXPECT_FALSE(group_pending(p, SIGTSTP));
    EXPECT_TRUE(group_pending(p, SIGCONT));
    EXPECT_TRUE(bool(group_send_sig_info(SIGTSTP, from_user(SIGTSTP), p)));
    EXPECT_FALSE(group_pending(p, SIGCONT));
}

TEST_F(SignalTest, FatalGroupSignalKillsEveryThreadAtOnce) {
    Task* p = new_process();
    Task* t2 = new_thread(p);
    Task* t3 = new_thread(p);
    EXPECT_EQ(p->signal->nr_threads, 3);
    become(&root);
    EXPECT_TRUE(bool(group_send_sig_info(SIGTERM, from_user(SIGTERM), p)));
    EXPECT_TRUE(p->signal->flags & SIGNAL_GROUP_EXIT);
    EXPECT_EQ(p->signal->group_exit_code, SIGTERM);
    for (Task* t : {p, t2, t3}) {
        EXPECT_TRUE(pending_in(t, SIGKILL));
        EXPECT_TRUE(signal_pending(t));
        EXPECT_TRUE(fatal_signal_pending(t));
    }
    // Once dying, nothing but SIGKILL is queued.
    set_handler(p, SIGUSR1, 0x1000);
    EXPECT_TRUE(bool(group_send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
    EXPECT_FALSE(group_pending(p, SIGUSR1));
}

TEST_F(SignalTest, GroupSignalGoesToAThreadThatDoesNotBlockIt) {
    Task* p = new_process();
    Task* t2 = new_thread(p);
    set_handler(p, SIGUSR1, 0x1000);
    p->signals.blocked.add(SIGUSR1);
    become(&root);
    EXPECT_TRUE(bool(group_send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
    EXPECT_TRUE(group_pending(p, SIGUSR1));
    EXPECT_FALSE(signal_pending(p));  // blocks it: not bothered
    EXPECT_TRUE(signal_pending(t2));  // takes it
}

TEST_F(SignalTest, GetSignalRunsHandlersAndDefaultIgnores) {
    Task* p = new_process();
    become(p);
    set_handler(p, SIGUSR1, 0x4000, SA_RESTORER | SA_RESETHAND | SA_SIGINFO);
    EXPECT_TRUE(bool(send_sig_info(SIGUSR1, from_user(SIGUSR1), p)));
    KSignal ksig;
    ASSERT_TRUE(get_signal(ksig));
    EXPECT_EQ(ksig.sig, SIGUSR1);
    EXPECT_EQ(ksig.ka.handler, 0x4000u);
    EXPECT_EQ(ksig.info.si_code, SI_USER);
    // SA_RESETHAND: the next one gets the default action.
    EXPECT_EQ(p->sighand->action[SIGUSR1 - 1].handler, SIG_DFL);
    // A blocked SIGWINCH (default: ignore) stays; unblocked, get_signal discards it.
    p->signals.blocked.add(SIGWINCH);
    EXPECT_TRUE(bool(send_sig_info(SIGWINCH, from_user(SIGWINCH), p)));
    EXPECT_FALSE(get_signal(ksig));
    EXPECT_TRUE(pending_in(p, SIGWINCH));
    set_current_blocked(SigSet{});
    EXPECT_FALSE(get_signal(ksig));
    EXPECT_FALSE(pending_in(p, SIGWINCH));
}

TEST_F(SignalTest, SignalSetupDoneBlocksTheHandlerMask) {
    Task* p = new_process();
    become(p);
    KSignal ksig;
    ksig.sig = SIGUSR1;
    ksig.ka.mask.add(SIGUSR2);
    ksig.ka.mask.add(SIGKILL);  // never blockable
    signal_setup_done(false, ksig);
    EXPECT_TRUE(p->signals.blocked.has(SIGUSR1));
    EXPECT_TRUE(p->signals.blocked.has(SIGUSR2));
    EXPECT_FALSE(p->signals.blocked.has(SIGKILL));
    set_current_blocked(SigSet{});
    ksig.ka.flags = SA_NODEFER;
    signal_setup_done(false, ksig);
    EXPECT_FALSE(p->signals.blocked.has(SIGUSR1));
}

TEST_F(SignalTest, ForcedFaultOverridesIgnoreAndBlock) {
    Task* p = new_process();
    become(p);
    set_handler(p, SIGSEGV, SIG_IGN);
    p->signals.blocked.add(SIGBUS);
    force_sig_fault(SIGSEGV, SEGV_ACCERR, 0x10);
    force_sig_fault(SIGBUS, BUS_ADRERR, 0x20);
    EXPECT_TRUE(pending_in(p, SIGSEGV));
    EXPECT_TRUE(pending_in(p, SIGBUS));
    EXPECT_EQ(p->sighand->action[SIGSEGV - 1].handler, SIG_DFL);
    EXPECT_FALSE(p->signals.blocked.has(SIGBUS));
}

TEST_F(SignalTest, NotifyParentHonoursSigchldDisposition) {
    Task* parent = new_process();
    become(parent);
    Task* child = new_process();
    become(&root);
    // Default SIGCHLD: a zombie, and SIGCHLD queued with the child's status.
    set_handler(parent, SIGCHLD, 0x1000);
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        EXPECT_FALSE(do_notify_parent(child, CLD_EXITED, 3));
    }
    ASSERT_TRUE(group_pending(parent, SIGCHLD));
    const SigQueue* q = parent->signal->shared_pending.list.front();
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->info.si_code, CLD_EXITED);
    EXPECT_EQ(q->info.chld.pid, child->tgid);
    EXPECT_EQ(q->info.chld.status, 3);
    // SA_NOCLDWAIT: reaped at once, the signal still sent.
    {
        SiglockGuard g(parent->sighand);
        flush_sigqueue(parent->signal->shared_pending);
    }
    set_handler(parent, SIGCHLD, 0x1000, SA_RESTORER | SA_NOCLDWAIT);
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        EXPECT_TRUE(do_notify_parent(child, CLD_KILLED, SIGTERM));
    }
    EXPECT_TRUE(group_pending(parent, SIGCHLD));
    // SIG_IGN: reaped at once, nothing sent.
    {
        SiglockGuard g(parent->sighand);
        flush_sigqueue(parent->signal->shared_pending);
    }
    set_handler(parent, SIGCHLD, SIG_IGN);
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        EXPECT_TRUE(do_notify_parent(child, CLD_EXITED, 0));
    }
    EXPECT_FALSE(group_pending(parent, SIGCHLD));
}

TEST_F(SignalTest, SigpipeGoesToTheWritingThread) {
    Task* p = new_process(1000);
    Task* t2 = new_thread(p);
    become(t2);
    send_sigpipe_to_current();
    EXPECT_TRUE(pending_in(t2, SIGPIPE));  // the thread's own queue, not the process's
    EXPECT_FALSE(group_pending(p, SIGPIPE));
    const SigQueue* q = t2->signals.pending.list.front();
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->info.si_code, SI_USER);
    EXPECT_EQ(q->info.rt.pid, p->tgid);
    EXPECT_EQ(q->info.rt.uid, 1000u);
}
