// Creating processes and threads: fork, vfork, clone, clone3 (Linux's kernel/fork.c). Kernel threads
// come from sched/fork.cpp's copy_process(); this file builds tasks that are (or will become, through
// exec) user processes: with credentials, a thread group, an address space, files and signal state.
#include <lib/uaccess.hpp>
#include <mm/gfp.hpp>
#include <mm/mm.hpp>
#include <process/cred.hpp>
#include <process/process_internal.hpp>
#include <process/rlimit.hpp>
#include <sched/completion.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>
#include <syscalls/syscall.hpp>

namespace {

// Flags Tern does not implement: namespaces, pidfds, cgroups. Linux would honour them; refusing them
// with EINVAL is what a kernel built without those features does.
constexpr uint64_t CLONE_NEWTIME = 0x00000080, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000,
                   CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000,
                   CLONE_NEWNET = 0x40000000, CLONE_IO = 0x80000000;
constexpr uint64_t CLONE_CLEAR_SIGHAND = 0x100000000ull, CLONE_INTO_CGROUP = 0x200000000ull;
constexpr uint64_t kUnsupportedFlags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
                                       CLONE_NEWPID | CLONE_NEWNET | CLONE_PIDFD | CLONE_INTO_CGROUP;

Result<void> check_clone_flags(const KernelCloneArgs& args) {
    uint64_t f = args.flags;
    if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)) return Errno::EINVAL;
    // Threads share signal handlers; shared handlers need a shared address space to run in.
    if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND)) return Errno::EINVAL;
    if ((f & CLONE_SIGHAND) && !(f & CLONE_VM)) return Errno::EINVAL;
    if ((f & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) return Errno::EINVAL;
    // init's siblings would have no parent to reap them (Linux: SIGNAL_UNKILLABLE).
    if ((f & CLONE_PARENT) && current()->tgid == 1) return Errno::EINVAL;
    if (f & kUnsupportedFlags) return Errno::EINVAL;
    return {};
}

// Linux's max_threads, computed once: fork fails with EAGAIN beyond it.
uint64_t max_threads() {
    static uint64_t value = 0;
    if (!value) value = max_threads_for_pages(totalram_pages());
    return value;
}

Result<void> copy_mm(uint64_t flags, Task* p) {
    MmStruct* mm = current()->mm;
    if (!mm) return {};  // a process still running kernel code (user_mode_thread) has none yet
    if (flags & CLONE_VM) {
        mmget(mm);
        p->mm = mm;
    } else {
        p->mm = TRY(dup_mm(mm));
    }
    p->active_mm = p->mm;
    return {};
}

// Undoes a copy_user_process() that failed before the task was linked anywhere.
void free_unborn_task(Task* p, bool charged) {
    if (p->mm) mmput(p->mm);
    p->mm = p->active_mm = nullptr;
    exit_files(p);
    exit_fs(p);
    if (charged) nproc_uncharge(task_cred(p)->uid);
    put_task_struct(p);  // the only reference: frees stack, credentials, thread group
}

// Links a fully built task into the task table, its parent's children and its thread group.
Result<void> attach_new_task(uint64_t flags, Task* p, int exit_signal) {
    Task* self = current();
    ThreadGroup* parent_tg = self->thread_group;
    SpinLockIrqSaveGuard guard(tasklist_lock);
    // A process on its way out (exit_group, a fatal signal) creates nothing more.
    if (self->signal && (self->signal->flags & SIGNAL_GROUP_EXIT)) return Errno::EINTR;
    TRY(attach_pid(p));
    ThreadGroup* tg = p->thread_group;
    if (flags & (CLONE_PARENT | CLONE_THREAD)) {
        p->real_parent = self->real_parent;
        p->signals.exit_signal = (flags & CLONE_THREAD) ? -1 : self->group_leader->signals.exit_signal;
    } else {
        p->real_parent = self;
        p->signals.exit_signal = exit_signal;
    }
    p->parent = p->real_parent;
    if (flags & CLONE_THREAD) {
        p->tgid = self->tgid;
        p->group_leader = self->group_leader;
        signal_link_thread(p);  // copy_signal() put a new process's leader on the list already
    } else {
        p->tgid = p->pid;
        p->group_leader = p;
        tg->pgid = parent_tg ? parent_tg->pgid : 0;
        tg->sid = parent_tg ? parent_tg->sid : 0;
        p->real_parent->children.push_back(*p);
    }
    tg->nr_threads++;
    tg->nr_members++;
    // The task table's reference: a zombie outlives its last switch until release_task().
    get_task_struct(p);
    return {};
}

Result<Task*> copy_user_process(const KernelCloneArgs& args) {
    TRY(check_clone_flags(args));
    uint64_t flags = args.flags;
    Task* self = current();
    Credentials* cred = task_cred(self);
    // RLIMIT_NPROC counts the tasks of the caller's real uid; root is exempt (Linux: the init user,
    // CAP_SYS_RESOURCE, CAP_SYS_ADMIN).
    if (cred->uid != 0 && nproc_count(cred->uid) >= rlimit(self, RLIMIT_NPROC)) return Errno::EAGAIN;
    if (nr_tasks() >= max_threads()) return Errno::EAGAIN;

    Task* p = alloc_task_struct();
    if (!p) return Errno::ENOMEM;
    p->stack = alloc_thread_stack();
    if (!p->stack) {
        free_task_struct(p);
        return Errno::ENOMEM;
    }
    set_task_comm(p, self->comm);
    p->flags = (self->flags & ~(PF_IDLE | PF_EXITING | PF_KTHREAD)) | PF_FORKNOEXEC;
    p->cred = get_cred(cred);
    if (!nproc_charge(cred->uid)) {
        put_task_struct(p);
        return Errno::ENOMEM;
    }
    sched_fork(p);

    if (flags & CLONE_THREAD) {
        get_thread_group(self->thread_group);
        p->thread_group = self->thread_group;
    } else {
        p->thread_group = alloc_thread_group(self->thread_group);
        if (!p->thread_group) {
            free_unborn_task(p, true);
            return Errno::ENOMEM;
        }
    }

    Result<void> step = copy_mm(flags, p);
    if (step) step = copy_files(flags, p);
    if (step) step = copy_fs(flags, p);
    if (step) {
        if (args.fn) {
            arch::init_thread_stack(p, args.fn, args.fn_arg);
        } else {
            uint64_t sp = args.stack ? args.stack + args.stack_size : 0;
            step = arch::copy_thread(p, sp, flags & CLONE_SETTLS, args.tls);
        }
    }
    // Signal state last: signal/ offers no way to drop it again before the task is freed.
    if (step) step = copy_sighand(flags, p);
    if (step) step = copy_signal(flags, p);
    if (step && (flags & CLONE_CLEAR_SIGHAND)) flush_signal_handlers(p);
    if (step) {
        p->set_child_tid = (flags & CLONE_CHILD_SETTID) ? args.child_tid : 0;
        p->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? args.child_tid : 0;
        step = attach_new_task(flags, p, args.exit_signal);
    }
    if (!step) {
        free_unborn_task(p, true);
        return step.error();
    }
    return p;
}

}  // namespace

Result<int> kernel_clone(const KernelCloneArgs& args) {
    Task* p = TRY(copy_user_process(args));
    int nr = p->pid;
    // The child exists whatever happens to this store (Linux ignores its failure too).
    if (args.flags & CLONE_PARENT_SETTID) (void)put_user(nr, UserPtr<int>(args.parent_tid));
    Completion vfork;
    if (args.flags & CLONE_VFORK) {
        p->vfork_done = &vfork;
        get_task_struct(p);
    }
    wake_up_new_task(p);
    if (args.flags & CLONE_VFORK) {
        // The child borrows our address space until it execs or exits (mm_release completes this).
        // Linux sleeps killably; Tern's completions have no killable wait yet, and the child
        // always completes it on its way out.
        wait_for_completion(vfork);
        put_task_struct(p);
    }
    return nr;
}

Result<void> become_user_process(Task* self) {
    if (self->thread_group) return {};
    ThreadGroup* tg = alloc_thread_group(nullptr);
    if (!tg) return Errno::ENOMEM;
    if (!self->cred) self->cred = get_cred(&init_cred);
    if (Result<void> r = nproc_charge(self->cred->uid); r.is_error()) {
        put_thread_group(tg);
        return r.error();
    }
    Result<void> r = self->sighand ? Result<void>() : copy_sighand(0, self);
    if (r && !self->signal) r = copy_signal(0, self);  // puts self on its new thread list
    if (r.is_error()) {
        nproc_uncharge(self->cred->uid);
        put_thread_group(tg);
        return r.error();
    }
    if (self->pid == 1) {
        // Linux's SIGNAL_UNKILLABLE for the child reaper: signals it has no handler for are dropped.
        SpinLockIrqSaveGuard guard(self->sighand->siglock);
        self->signal->flags |= SIGNAL_UNKILLABLE;
    }
    SpinLockIrqSaveGuard guard(tasklist_lock);
    tg->nr_threads = tg->nr_members = 1;
    self->thread_group = tg;
    self->group_leader = self;
    get_task_struct(self);  // the task table's reference, as for any process (release_task drops it)
    return {};
}

Result<int> user_mode_thread(int (*fn)(void*), void* arg, uint64_t flags) {
    KernelCloneArgs args;
    args.flags = (flags | CLONE_VM | CLONE_UNTRACED) & ~CSIGNAL;
    args.exit_signal = int(flags & CSIGNAL);
    args.fn = fn;
    args.fn_arg = arg;
    return kernel_clone(args);
}

void schedule_tail_process(Task* p) {
    // CLONE_CHILD_SETTID: the store has to happen here, in the child's own address space (after fork
    // the parent's copy is not the child's). A bad address is the child's problem, as in Linux.
    (void)put_user(p->pid, UserPtr<int>(p->set_child_tid));
}

// --- System calls --------------------------------------------------------------------------------------

namespace {

// struct clone_args (linux/sched.h) and its published sizes.
struct CloneArgs {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
        cgroup;
};
constexpr size_t CLONE_ARGS_SIZE_VER0 = 64;
constexpr uint64_t kLegacyFlags = 0xffffffffull;
constexpr size_t kPageSize = 4096;

// clone3's copy_struct_from_user(): a smaller (older) struct is zero-extended, a larger (newer) one
// is accepted only if the part Tern does not know is zero (E2BIG otherwise).
Result<void> copy_clone_args(CloneArgs& out, UserPtr<const void> uargs, size_t usize) {
    if (usize > kPageSize) return Errno::E2BIG;
    if (usize < CLONE_ARGS_SIZE_VER0) return Errno::EINVAL;
    out = {};
    size_t known = usize < sizeof(CloneArgs) ? usize : sizeof(CloneArgs);
    TRY(copy_from_user(&out, uargs, known));
    for (size_t off = sizeof(CloneArgs); off < usize; off++) {
        uint8_t byte;
        TRY(copy_from_user(&byte, uargs.offset(int64_t(off)), 1));
        if (byte) return Errno::E2BIG;
    }
    return {};
}

Result<KernelCloneArgs> clone3_args(UserPtr<const void> uargs, size_t usize) {
    CloneArgs a;
    TRY(copy_clone_args(a, uargs, usize));
    if (a.set_tid_size || a.set_tid) return Errno::EINVAL;  // choosing PIDs: Tern has no PID namespaces
    if ((a.exit_signal & ~CSIGNAL) || a.exit_signal > uint64_t(kNumSignals)) return Errno::EINVAL;
    if (a.flags & ~(kLegacyFlags | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) return Errno::EINVAL;
    // clone3 frees CLONE_DETACHED and the CSIGNAL bits (except CLONE_NEWTIME) for future use.
    if (a.flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))) return Errno::EINVAL;
    if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal) return Errno::EINVAL;
    if (a.flags & CLONE_NEWTIME) return Errno::EINVAL;
    if (a.stack ? (a.stack_size == 0 || !access_ok(a.stack, a.stack_size)) : a.stack_size != 0) return Errno::EINVAL;
    KernelCloneArgs k;
    k.flags = a.flags;
    k.pidfd = a.pidfd;
    k.child_tid = a.child_tid;
    k.parent_tid = a.parent_tid;
    k.exit_signal = int(a.exit_signal);
    k.stack = a.stack;
    k.stack_size = a.stack_size;
    k.tls = a.tls;
    return k;
}

}  // namespace

SYSCALL_DEFINE0(fork) {
    KernelCloneArgs args;
    args.exit_signal = SIGCHLD;
    return kernel_clone(args).to_syscall_return();
}

SYSCALL_DEFINE0(vfork) {
    KernelCloneArgs args;
    args.flags = CLONE_VFORK | CLONE_VM;
    args.exit_signal = SIGCHLD;
    return kernel_clone(args).to_syscall_return();
}

// x86-64's argument order: flags, newsp, parent_tidptr, child_tidptr, tls.
SYSCALL_DEFINE5(clone, uint64_t, clone_flags, uint64_t, newsp, uint64_t, parent_tidptr, uint64_t, child_tidptr,
                uint64_t, tls) {
    KernelCloneArgs args;
    args.flags = (clone_flags & kLegacyFlags) & ~CSIGNAL;
    args.pidfd = parent_tidptr;
    args.child_tid = child_tidptr;
    args.parent_tid = parent_tidptr;
    args.exit_signal = int(clone_flags & CSIGNAL);
    args.stack = newsp;
    args.tls = tls;
    return kernel_clone(args).to_syscall_return();
}

SYSCALL_DEFINE2(clone3, UserPtr<const void>, uargs, size_t, size) {
    Result<KernelCloneArgs> args = clone3_args(uargs, size);
    if (args.is_error()) return -long(args.error());
    return kernel_clone(args.value()).to_syscall_return();
}
