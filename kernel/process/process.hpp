#pragma once
// The process life cycle (Linux's kernel/fork.c, exec.c, exit.c): contract used by the syscall layer,
// kernel_init and the signal code. Implemented in process/.
#include <lib/result.hpp>
#include <stdint.h>

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
};

// fork/vfork/clone/clone3: returns the child's PID (TID for a thread) in the caller's namespace.
Result<int> kernel_clone(const KernelCloneArgs& args);

// Replaces the current task's program. From kernel_init (PID 1) with kernel strings: on success the
// caller returns from its kernel-thread function into user space at the new program's entry.
Result<void> kernel_execve(const char* filename, const char* const argv[], const char* const envp[]);

// exit_group(2): every thread of the current process exits with `code` (a wait status's exit byte or a
// signal, encoded as Linux encodes it).
[[noreturn]] void do_group_exit(int code);

// Process groups and sessions (kept on the thread-group leader, under tasklist_lock).
int task_pgrp(const Task* task);
int task_session(const Task* task);
