#pragma once
// Shared by the files of signal/: locking helpers and the steps of generation and delivery.
#include <arch/arch.hpp>
#include <signal/signal_struct.hpp>

struct Credentials;

// sighand->siglock taken with interrupts off, released early with unlock() when a path must sleep or
// call out (the parent notification, do_group_exit).
class SiglockGuard {
public:
    explicit SiglockGuard(SigHand* sighand) : lock_(&sighand->siglock), flags_(arch::irq_save()) { lock_->lock(); }
    ~SiglockGuard() { unlock(); }
    void unlock() {
        if (!lock_) return;
        lock_->raw_unlock();
        arch::irq_restore(flags_);
        preempt_enable();
        lock_ = nullptr;
    }
    SiglockGuard(const SiglockGuard&) = delete;
    SiglockGuard& operator=(const SiglockGuard&) = delete;

private:
    SpinLock* lock_;
    arch::IrqFlags flags_;
};

// A signal chosen for delivery with a handler (get_signal).
struct KSignal {
    int sig = 0;
    KSigAction ka;
    UserSigInfo info{};
};

// --- generation (signal.cpp), siglock held -------------------------------------------------------------
// Queues sig for t (group: for its whole thread group) unless ignored; wakes a thread that can take it.
Result<void> send_signal_locked(int sig, const UserSigInfo& info, Task* t, bool group);
// Recomputes t->signals.sigpending (only ever clears it for the current task, whose view is exact).
void recalc_sigpending(Task* t);
// Marks t as having a signal to look at and wakes it from an interruptible sleep (fatal: from any
// killable sleep or a stop too).
void signal_wake_up(Task* t, bool fatal);
// Takes the next deliverable signal (not in `blocked`) from the thread's then the process's queue.
int dequeue_signal(Task* t, SigSet blocked, UserSigInfo& info);
// Removes the signals in `mask` from a pending set (and their queue entries).
void flush_sigqueue_mask(SigSet mask, SigPending& pending);
void flush_sigqueue(SigPending& pending);
// siginfo for a signal the kernel describes with a KernelSigInfo.
UserSigInfo to_user_siginfo(int sig, const KernelSigInfo& info);

// --- delivery (deliver.cpp) --------------------------------------------------------------------------
// Dequeues the next signal for the current task and carries out default actions (stop, terminate)
// itself; returns true with the signal and its action when a handler is to run. Interrupts on.
bool get_signal(KSignal& ksig);
// After the architecture set up (or failed to set up) the handler's frame: block the handler's mask,
// or kill the task with SIGSEGV if the frame could not be written.
void signal_setup_done(bool failed, const KSignal& ksig);
// SIGCHLD/wake-up for a stopped or continued group (tasklist_lock not held).
void do_notify_parent_cldstop(Task* t, int why);

// SIGPIPE to the current thread (the pipe code's hook after EPIPE).
void send_sigpipe_to_current();

// --- permissions and identity ------------------------------------------------------------------------
uint32_t task_uid(const Task* t);
bool kill_permitted(const Task* target, int sig, const UserSigInfo& info);
// True if a signal from user space with this si_code, or one the kernel raised (SI_KERNEL or a fault).
bool si_from_kernel(const UserSigInfo& info);

// --- the architecture's part ----------------------------------------------------------------------------
// Prints Linux's "<comm>[pid]: segfault at <addr> ip ... sp ... error ..." line for a fault signal that
// will kill the current task (rate-limited). x86: arch/x86_64/signal.cpp.
void show_unhandled_fault(int sig, int code, uint64_t addr);

// --- alternate signal stack (sigaltstack.cpp) ------------------------------------------------------------
bool on_sig_stack(const Task* t, uint64_t sp);
// sigaltstack(2) with the caller's current user stack pointer.
long do_sigaltstack(uint64_t uss, uint64_t uoss, uint64_t user_sp);
