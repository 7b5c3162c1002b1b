// Who am I and where: getpid, gettid, getppid, set_tid_address, getcpu, sched_yield.
#include <lib/uaccess.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <syscalls/syscall.hpp>

SYSCALL_DEFINE0(getpid) { return current()->tgid; }
SYSCALL_DEFINE0(gettid) { return current()->pid; }

SYSCALL_DEFINE0(getppid) {
    // The parent may exit and the process be reparented concurrently: read the link under the lock.
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* parent = current()->group_leader->real_parent;
    return parent ? parent->tgid : 0;
}

// glibc registers the thread's TID word here: zeroed and futex-woken when the thread exits.
SYSCALL_DEFINE1(set_tid_address, uint64_t, tidptr) {
    current()->clear_child_tid = tidptr;
    return current()->pid;
}

SYSCALL_DEFINE3(getcpu, UserPtr<unsigned>, cpu, UserPtr<unsigned>, node, uint64_t, unused_cache) {
    (void)unused_cache;
    unsigned this_cpu_id = smp_processor_id();
    if (!cpu.is_null()) TRY_SYSCALL(put_user(this_cpu_id, cpu));
    if (!node.is_null()) TRY_SYSCALL(put_user(0u, node));  // one NUMA node
    return 0;
}

SYSCALL_DEFINE0(sched_yield) {
    yield();
    return 0;
}
