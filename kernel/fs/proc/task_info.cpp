// Gathering a TaskSnapshot (task_info.hpp).
#include <drivers/tty/tty.hpp>
#include <fs/proc/internal.hpp>
#include <fs/proc/task_info.hpp>
#include <fs/fs_struct.hpp>
#include <fs/task_files.hpp>
#include <mm/mm_struct.hpp>
#include <process/cred.hpp>
#include <process/rlimit.hpp>
#include <process/rusage.hpp>
#include <process/thread_group.hpp>
#include <sched/pid.hpp>
#include <signal/signal.hpp>
#include <signal/signal_struct.hpp>
#include <lib/string.hpp>

namespace {

void copy_family(Task* task, TaskSnapshot& s) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* parent = task->group_leader ? task->group_leader->real_parent : task->real_parent;
    s.ppid = parent ? parent->tgid : 0;
    if (ThreadGroup* tg = task->thread_group) {
        s.pgrp = tg->pgid;
        s.session = tg->sid;
    }
    if (SignalStruct* sig = task->signal) s.num_threads = sig->nr_threads;
}

void copy_signals(Task* task, TaskSnapshot& s) {
    SigHand* sh = task->sighand;
    if (!sh) return;
    SpinLockIrqSaveGuard guard(sh->siglock);
    s.pending = task->signals.pending.signal;
    s.blocked = task->signals.blocked;
    for (const SigQueue& q : task->signals.pending.list) (void)q, s.sigq++;
    if (SignalStruct* sig = task->signal) {
        s.shared_pending = sig->shared_pending.signal;
        for (const SigQueue& q : sig->shared_pending.list) (void)q, s.sigq++;
    }
    for (int sig = 1; sig <= kNumSignals; sig++) {
        uint64_t handler = sh->action[sig - 1].handler;
        if (handler == SIG_IGN) s.ignored.add(sig);
        else if (handler != SIG_DFL) s.caught.add(sig);
    }
}

}  // namespace

MmCounters mm_counters(MmStruct* mm) {
    MmCounters c;
    MmapLockGuard guard(mm);
    const MmLayout& l = mm_layout(mm);
    for (VmArea* vma = mm->vmas.first(); vma; vma = mm->vmas.next(*vma)) {
        uint64_t pages = vma->pages();
        c.total_vm += pages;
        uint64_t f = vma->flags;
        if (f & VM_GROWSDOWN) c.stack_vm += pages;
        else if ((f & (VM_WRITE | VM_SHARED)) == VM_WRITE) c.data_vm += pages;
        else if ((f & (VM_EXEC | VM_WRITE)) == VM_EXEC) c.exec_vm += pages;
    }
    c.hiwater_vm = c.total_vm;  // the peak is not tracked: the current size is the best lower bound
    c.rss = mm->rss.load(MemoryOrder::Relaxed);
    c.hiwater_rss = mm->hiwater_rss > c.rss ? mm->hiwater_rss : c.rss;
    // Tern counts resident pages without telling anonymous from file pages: all count as anonymous.
    c.rss_anon = c.rss;
    c.text_bytes = l.end_code > l.start_code ? ((l.end_code + 4095) & ~4095ull) - (l.start_code & ~4095ull) : 0;
    uint64_t exec_bytes = c.exec_vm << 12;
    c.lib_bytes = exec_bytes > c.text_bytes ? exec_bytes - c.text_bytes : 0;
    return c;
}

Result<TaskSnapshot> task_snapshot(Task* task, bool whole) {
    if (!proc_task_alive(task)) return Errno::ESRCH;
    TaskSnapshot s;
    s.pid = s.tid = task->pid;
    s.tgid = task->tgid;
    memcpy(s.comm, task->comm, sizeof s.comm);
    s.comm[TASK_COMM_LEN - 1] = '\0';
    char state = task_state_char(task);
    s.state = state == 'N' ? 'R' : state;  // a task not yet started reports as running, as on Linux
    s.sleeping = state != 'R' && state != 'N' && state != 'Z' && state != 'X';
    s.flags = task->flags;
    copy_family(task, s);
    s.tty_nr = int(task_tty_nr(task));
    s.tpgid = task_tty_pgrp(task);

    TaskUsage self = task_rusage(task, whole ? RUSAGE_SELF : RUSAGE_THREAD).value();
    TaskUsage children = task_rusage(task, RUSAGE_CHILDREN).value();
    s.minflt = self.minflt, s.majflt = self.majflt;
    s.utime_ns = self.utime_ns, s.stime_ns = self.stime_ns;
    s.nvcsw = self.nvcsw, s.nivcsw = self.nivcsw;
    if (whole) {
        s.cminflt = children.minflt, s.cmajflt = children.majflt;
        s.cutime_ns = children.utime_ns, s.cstime_ns = children.stime_ns;
    }

    s.policy = unsigned(task->policy);
    s.rt_priority = task->rt_priority;
    s.priority = task->rt_priority ? -int(task->rt_priority) - 1 : task->prio - MAX_RT_PRIO;
    s.nice = task_nice(task);
    s.start_time_ns = task->start_time;
    s.processor = task_cpu(task);
    s.exit_signal = task->signals.exit_signal;
    s.exit_code = task->exit_state ? int(task->exit_code) : 0;
    s.rsslim = rlimit(task, RLIMIT_RSS);

    Credentials* cred = get_task_cred(task);
    s.euid = cred->euid;
    put_cred(cred);
    copy_signals(task, s);

    if (MmStruct* mm = get_task_mm(task)) {
        s.has_mm = true;
        s.mm = mm_counters(mm);
        {
            MmapLockGuard guard(mm);
            s.layout = mm_layout(mm);
        }
        s.vsize = s.mm.total_vm << 12;
        s.rss_pages = s.mm.rss;
        mmput(mm);
    }
    // The fd table and fs_struct, referenced under the task's alloc_lock (task_files.hpp); a kernel
    // thread works in init_fs, as on Linux.
    if (RefPtr<FdTable> files = get_task_files(task)) s.fd_size = files->capacity();
    RefPtr<FsStruct> fs = get_task_fs(task);
    if (fs) s.umask = int(fs->umask());
    else if ((task->flags & PF_KTHREAD) && init_fs()) s.umask = int(init_fs()->umask());
    return s;
}
