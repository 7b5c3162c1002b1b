// Self-tests of the system-call path with real ring-3 code (user_programs_ktest.S): the SYSCALL entry
// and SYSRET/IRET return, the dispatcher, and a few simple calls.
#include <arch/x86_64/entry/user_mode.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <sched/task.hpp>
#include <sched/kthread.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <smp/cpumask.hpp>
#include <smp/smp.hpp>
#include <sched/preempt.hpp>
#include <signal/signal.hpp>
#include <syscalls/dispatch.hpp>
#include <syscalls/trace.hpp>

using namespace x86::usertest;

#define USER_PROGRAM(name) extern "C" const char user_prog_##name##_start[], user_prog_##name##_end[];
USER_PROGRAM(syscalls)
USER_PROGRAM(efault)
USER_PROGRAM(fsbase)
USER_PROGRAM(spin)

namespace {
constexpr long kDiedOfSigill = SIGILL | 0x80;  // ud2 at the end of every program: core-dump signal
}

KTEST(syscall, round_trip_getpid_gettid_enosys_uname) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_syscalls_start, user_prog_syscalls_end));
    KASSERT_TRUE(p.start("utest-sys"));
    int pid = p.task()->pid;
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(0), pid);                     // getpid: the thread group, its own
    KEXPECT_EQ(p.data(8), pid);                     // gettid
    KEXPECT_EQ(long(p.data(16)), -long(Errno::ENOSYS));
    KEXPECT_EQ(long(p.data(40)), -long(Errno::ENOSYS));
    KEXPECT_EQ(p.data(24), 0);                      // uname succeeded
    KEXPECT_EQ(p.data(32), 1);                      // callee-saved registers survived every call
    char sysname[8], machine[8];
    for (int i = 0; i < 8; i++) {
        sysname[i] = char(p.data(64 + i) & 0xff);
        machine[i] = char(p.data(64 + 4 * 65 + i) & 0xff);
    }
    KEXPECT_EQ(memcmp(sysname, "Linux", 6), 0);
    KEXPECT_EQ(memcmp(machine, "x86_64", 7), 0);
}

KTEST(syscall, bad_user_pointers_are_efault) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_efault_start, user_prog_efault_end));
    KASSERT_TRUE(p.start("utest-efault"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(long(p.data(0)), -long(Errno::EFAULT));   // unmapped user address
    KEXPECT_EQ(long(p.data(8)), -long(Errno::EFAULT));   // kernel address
    KEXPECT_EQ(long(p.data(16)), -long(Errno::EFAULT));  // read-only page
}

KTEST(syscall, arch_prctl_fs_base) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_fsbase_start, user_prog_fsbase_end));
    KASSERT_TRUE(p.start("utest-fs"));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(0), 0);
    KEXPECT_EQ(p.data(8), 0x5eed);                       // %fs:0x100 reads the data page
    KEXPECT_EQ(p.data(16), kDataAddr);                   // ARCH_GET_FS
    KEXPECT_EQ(p.data(24), 0);
    KEXPECT_EQ(long(p.data(32)), -long(Errno::EPERM));   // no kernel addresses as a user base
}

// A user task that never makes a system call is still preempted by the tick and killed by a signal
// sent from another task: both arrive through the interrupt return path.
KTEST(syscall, user_loop_is_preempted_and_killed) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_spin_start, user_prog_spin_end));
    KASSERT_TRUE(p.start("utest-spin"));
    KASSERT_TRUE(p.wait_data(0));
    uint64_t before = p.data(8);
    msleep(20);  // we run at all only because the spinning task is preempted
    KEXPECT_TRUE(p.data(8) != before);
    KernelSigInfo info;
    info.code = SI_USER;
    KEXPECT_TRUE(bool(send_sig_info(SIGKILL, info, p.task())));
    KEXPECT_EQ(p.wait_exit(), SIGKILL);
}

KTEST(syscall, trace_formats_arguments) {
    char buf[64];
    format_syscall_arg(buf, sizeof buf, 'd', uint64_t(-1));
    KEXPECT_EQ(strcmp(buf, "-1"), 0);
    format_syscall_arg(buf, sizeof buf, 'p', 0);
    KEXPECT_EQ(strcmp(buf, "NULL"), 0);
    format_syscall_arg(buf, sizeof buf, 'x', 0x1002);
    KEXPECT_EQ(strcmp(buf, "0x1002"), 0);
    format_syscall_arg(buf, sizeof buf, 'o', 0755);
    KEXPECT_EQ(strcmp(buf, "0755"), 0);
    format_syscall_arg(buf, sizeof buf, 's', 0xffff888000000000ull);  // not a user string: the address
    KEXPECT_EQ(strcmp(buf, "0xffff888000000000"), 0);
    KEXPECT_TRUE(syscall_name(39) && strcmp(syscall_name(39), "getpid") == 0);
    KEXPECT_TRUE(syscall_name(100000) == nullptr);
}

namespace {

// Runs the round-trip program from a kernel thread bound to one CPU, so its child starts there.
int round_trip_on_this_cpu(void* arg) {
    auto* ok = static_cast<bool*>(arg);
    UserProcess p;
    if (!p.load(user_prog_syscalls_start, user_prog_syscalls_end) || !p.start("utest-cpu")) return 0;
    int pid = p.task()->pid;
    *ok = p.wait_exit() == kDiedOfSigill && p.data(0) == uint64_t(pid) && p.data(32) == 1;
    while (!kthread_should_stop()) msleep(1);
    return 0;
}

}  // namespace

// Every CPU's SYSCALL MSRs are programmed (syscall_init on the boot CPU and in each CPU's bring-up).
KTEST(syscall, round_trip_on_every_cpu) {
    for (unsigned cpu = 0; cpu < kMaxCpus; cpu++) {
        if (!cpu_online(cpu)) continue;
        bool ok = false;
        Result<Task*> k = kthread_create(round_trip_on_this_cpu, &ok, "utest-cpu%u", cpu);
        KASSERT_TRUE(bool(k));
        kthread_bind(k.value(), cpu);
        wake_up_process(k.value());
        msleep(50);
        for (int i = 0; i < 100 && !ok; i++) msleep(10);
        kthread_stop(k.value());
        KEXPECT_TRUE(ok);
    }
}

USER_PROGRAM(sleep)
USER_PROGRAM(sleep_restart)

namespace {

int64_t ns_of(const UserProcess& p, size_t offset) { return int64_t(p.data(offset)) * 1000000000 + int64_t(p.data(offset + 8)); }

bool wait_for_state(Task* t, unsigned state) {
    for (int i = 0; i < 2500; i++) {
        if (task_state(t) == state) return true;
        msleep(2);
    }
    return false;
}
bool wait_for_sleep(Task* t) { return wait_for_state(t, TASK_INTERRUPTIBLE); }

}  // namespace

KTEST(syscall, clocks_and_interrupted_nanosleep) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_sleep_start, user_prog_sleep_end));
    KASSERT_TRUE(p.start("utest-sleep"));
    KASSERT_TRUE(p.wait_data(32));
    KASSERT_TRUE(wait_for_sleep(p.task()));
    KernelSigInfo info;
    info.code = SI_USER;
    KEXPECT_TRUE(bool(send_sig_info(SIGUSR1, info, p.task())));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(0), 0);
    int64_t slept = ns_of(p, 80) - ns_of(p, 64);
    KEXPECT_TRUE(slept >= 20000000);                     // at least what was asked
    KEXPECT_TRUE(p.data(8) > 1600000000);                // time(): after 2020
    KEXPECT_EQ(p.data(16), 0);
    int64_t tv_sec = int64_t(p.data(96));
    KEXPECT_TRUE(tv_sec >= int64_t(p.data(8)) && tv_sec <= int64_t(p.data(8)) + 1);
    KEXPECT_TRUE(p.data(104) < 1000000);                 // tv_usec
    KEXPECT_EQ(long(p.data(24)), -long(Errno::EINTR));   // a handler ran: no restart
    KEXPECT_EQ(p.data(40), 1);
    int64_t left = ns_of(p, 112);
    KEXPECT_TRUE(left > 0 && left <= 5000000000ll);      // the remaining time is reported
}

// Stopped and continued without a handler, nanosleep goes on (restart_syscall) to its first deadline.
KTEST(syscall, nanosleep_restarts_after_stop) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_sleep_restart_start, user_prog_sleep_restart_end));
    KASSERT_TRUE(p.start("utest-restart"));
    KASSERT_TRUE(p.wait_data(0));
    KASSERT_TRUE(wait_for_sleep(p.task()));
    KernelSigInfo info;
    info.code = SI_USER;
    KEXPECT_TRUE(bool(send_sig_info(SIGSTOP, info, p.task())));
    KEXPECT_TRUE(wait_for_state(p.task(), TASK_STOPPED));
    KEXPECT_TRUE(bool(send_sig_info(SIGCONT, info, p.task())));
    KEXPECT_EQ(p.wait_exit(), kDiedOfSigill);
    KEXPECT_EQ(p.data(8), 0);
    int64_t slept = ns_of(p, 80) - ns_of(p, 64);
    KEXPECT_TRUE(slept >= 300000000);
}

namespace {

struct RemoteSpin {
    UserProcess* p;
    bool started = false;
};

int start_spin_here(void* arg) {
    auto* r = static_cast<RemoteSpin*>(arg);
    r->started = r->p->start("utest-remote");
    while (!kthread_should_stop()) msleep(1);
    return 0;
}

}  // namespace

// A signal for a task running user code on another CPU reaches it through an IPI (kick), not only at
// that CPU's next tick.
KTEST(syscall, signal_to_another_cpu_kicks_it) {
    unsigned target = kMaxCpus;
    for (unsigned cpu = 0; cpu < kMaxCpus; cpu++)
        if (cpu_online(cpu) && cpu != smp_processor_id()) target = cpu;
    if (target == kMaxCpus) return;  // one CPU: nothing to kick
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_spin_start, user_prog_spin_end));
    RemoteSpin r{&p};
    Result<Task*> k = kthread_create(start_spin_here, &r, "utest-kick");
    KASSERT_TRUE(bool(k));
    kthread_bind(k.value(), target);
    wake_up_process(k.value());
    KASSERT_TRUE(p.wait_data(0));  // spinning in user mode on `target` (its parent's CPU)
    kthread_stop(k.value());
    KASSERT_TRUE(r.started);
    // Stay on this CPU while comparing counts (the kick must cross CPUs).
    PreemptGuard guard;
    uint64_t before = smp_ipi_counts(task_cpu(p.task())).reschedule;
    KernelSigInfo info;
    info.code = SI_USER;
    KEXPECT_TRUE(bool(send_sig_info(SIGKILL, info, p.task())));
    bool kicked = false;
    for (int i = 0; i < 1000000 && !kicked; i++) {
        kicked = smp_ipi_counts(task_cpu(p.task())).reschedule > before;
        arch::cpu_relax();
    }
    KEXPECT_TRUE(kicked);
}
