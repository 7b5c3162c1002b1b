#pragma once
// The process life cycle (Linux's kernel/fork.c, exec.c, exit.c): contract used by the syscall layer,
// kernel_init and the signal code. Implemented in process/.
#include <lib/result.hpp>
#include <stdint.h>

#if defined(TERN_HOST)
// Host builds also see the C library's <sched.h>, whose CLONE_* macros (the same values) would clash with
// the constants below. Take it in first and drop them; its include guard keeps them away.
#include <sched.h>
#undef CSIGNAL
#undef CLONE_VM
#undef CLONE_FS
#undef CLONE_FILES
#undef CLONE_SIGHAND
#undef CLONE_PIDFD
#undef CLONE_PTRACE
#undef CLONE_VFORK
#undef CLONE_PARENT
#undef CLONE_THREAD
#undef CLONE_NEWNS
#undef CLONE_SYSVSEM
#undef CLONE_SETTLS
#undef CLONE_PARENT_SETTID
#undef CLONE_CHILD_CLEARTID
#undef CLONE_DETACHED
#undef CLONE_UNTRACED
#undef CLONE_CHILD_SETTID
#undef CLONE_NEWCGROUP
#undef CLONE_NEWUTS
#undef CLONE_NEWIPC
#undef CLONE_NEWUSER
#undef CLONE_NEWPID
#undef CLONE_NEWNET
#undef CLONE_IO
#undef CLONE_NEWTIME
#endif

struct Task;

// clone flags (Linux's values, linux/sched.h).
constexpr uint64_t CSIGNAL = 0x000000ff, CLONE_VM = 0x00000100, CLONE_FS = 0x00000200, CLONE_FILES = 0x00000400,
                   CLONE_SIGHAND = 0x00000800, CLONE_PIDFD = 0x00001000, CLONE_PTRACE = 0x00002000,
                   CLONE_VFORK = 0x00004000, CLONE_PARENT = 0x00008000, CLONE_THREAD = 0x00010000,
                   CLONE_NEWNS = 0x00020000, CLONE_SYSVSEM = 0x00040000, CLONE_SETTLS = 0x00080000,
                   CLONE_PARENT_SETTID = 0x00100000, CLONE_CHILD_CLEARTID = 0x00200000,
                   CLONE_DETACHED = 0x00400000, CLONE_UNTRACED = 0x00800000, CLONE_CHILD_SETTID = 0x01000000;

struct KernelCloneArgs {
    uint64_t flags = 0;
    uint64_t pidfd = 0;        // user address
    uint64_t child_tid = 0;    // user address
    uint64_t parent_tid = 0;   // user address
    int exit_signal = 0;       // sent to the parent at exit (SIGCHLD for fork)
    uint64_t stack = 0;        // new user stack pointer (0: the parent's)
    uint64_t stack_size = 0;
    uint64_t tls = 0;
    // A task that starts in the kernel, running fn(fn_arg) before it (possibly) execs: Linux's
    // user_mode_thread(). Without fn the child returns to user space from the calling system call.
    int (*fn)(void*) = nullptr;
    void* fn_arg = nullptr;
};

// fork/vfork/clone/clone3: returns the child's PID (TID for a thread) in the caller's namespace.
Result<int> kernel_clone(const KernelCloneArgs& args);

// Replaces the current task's program. From kernel_init (PID 1) with kernel strings: on success the
// caller returns from its kernel-thread function into user space at the new program's entry.
Result<void> kernel_execve(const char* filename, const char* const argv[], const char* const envp[]);

// exit_group(2): every thread of the current process exits with `code` (a wait status's exit byte or a
// signal, encoded as Linux encodes it).
[[noreturn]] void do_group_exit(int code);

// A process (not a kernel thread) running fn(arg) in the kernel, child of the current task; on return
// from fn it exits with fn's value, or continues in user space if fn exec'd. Returns its PID.
Result<int> user_mode_thread(int (*fn)(void*), void* arg, uint64_t flags);

// Process groups and sessions (kept in the process's ThreadGroup, under tasklist_lock). 0 for kernel
// threads, and for PID 1 until it calls setsid(), as in Linux.
int task_pgrp(const Task* task);
int task_session(const Task* task);
// POSIX's orphaned process group, for the caller's group: no member has a parent in another group of
// the same session (that could continue it after a stop); init as a parent does not count, as in Linux.
// Job-control stop signals to such a group are discarded, and its terminal reads get EIO. Takes
// tasklist_lock.
bool is_current_pgrp_orphaned();
// POSIX 3.2.2.2: when an exit orphans a process group that has stopped members, the group gets SIGHUP
// and then SIGCONT (nobody would ever continue it otherwise). `exiting` is the leader of the exiting
// process with `parent` null (its own group), or a child being re-parented away from `parent`.
// tasklist_lock held.
void kill_orphaned_pgrp(Task* task, Task* parent);

// --- Hooks in the scheduler's task life cycle (sched/), implemented in process/ --------------------------
// do_exit(), after PF_EXITING: releases what a process holds (mm, files, fs, signals, CLONE_CHILD_CLEARTID,
// the vfork parent). Nothing for kernel threads.
void exit_process_resources(Task* p);
// do_exit()'s exit_notify() for a process: children to a sibling thread or init, then zombie (or
// released at once when nobody will wait: a thread, an ignored SIGCHLD, a kernel-thread parent).
void exit_notify_process(Task* p);
// __put_task_struct(): drops the task's credentials and its ThreadGroup reference.
void free_task_process(Task* p);
// schedule_tail() in a new task: CLONE_CHILD_SETTID's store, in the child's own address space.
void schedule_tail_process(Task* p);

// --- The file side of a process, implemented by fs/ -------------------------------------------------------
// fork shares (CLONE_FILES / CLONE_FS) or copies the current task's fd table and fs_struct into `child`;
// exit drops them; exec closes the close-on-exec descriptors (fs/task_files.cpp). A kernel thread has
// neither (nullptr): a process it starts gets an empty table and a copy of init's fs_struct.
Result<void> copy_files(uint64_t clone_flags, Task* child);
Result<void> copy_fs(uint64_t clone_flags, Task* child);
void exit_files(Task* task);
void exit_fs(Task* task);
void do_close_on_exec(Task* task);

// --- The futex side of exit and exec, implemented by futex/ -------------------------------------------------
// CLONE_CHILD_CLEARTID's wake-up: after an exiting (or exec'ing) thread zeroes its TID word, one waiter
// of a FUTEX_WAIT on that word is woken (pthread_join).
void futex_wake_tid(uint64_t uaddr);
// The robust futexes the task (current, leaving its memory at exit or exec) still holds get
// FUTEX_OWNER_DIED and one waiter each is woken (set_robust_list); the registration is cleared.
void exit_robust_list(Task* task);
