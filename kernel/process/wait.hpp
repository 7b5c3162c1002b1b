#pragma once
// Waiting for children: wait4(2) and waitid(2) (Linux's do_wait()).
//
// A parent sleeps interruptibly on its process's wait queue (ThreadGroup::wait_chldexit) until one of
// the children it may wait for (those of every thread of the process, unless __WNOTHREAD) has something
// to report: an exit (WEXITED; wait4 always), a stop (WUNTRACED/WSTOPPED) or a continue (WCONTINUED).
// Reaping an exited child (unless WNOWAIT) frees it and adds its usage to the parent's children totals.
// Which children: wait4's pid > 0 (that one), -1 (any), 0 (the caller's process group), < -1 (group
// -pid); waitid's P_ALL, P_PID, P_PGID (0: the caller's). __WCLONE selects children whose exit signal
// is not SIGCHLD, __WALL both kinds. ECHILD if no child matches at all; WNOHANG returns 0 instead of
// sleeping; a signal ends the sleep with ERESTARTSYS.
#include <lib/result.hpp>
#include <process/thread_group.hpp>
#include <stdint.h>

#if defined(TERN_HOST)
// The C library's <stdlib.h> defines the W* option macros (the same values): drop them for the constants
// below.
#include <stdlib.h>
#undef WNOHANG
#undef WUNTRACED
#undef WSTOPPED
#undef WEXITED
#undef WCONTINUED
#undef WNOWAIT
#undef __WNOTHREAD
#undef __WALL
#undef __WCLONE
#endif

constexpr unsigned WNOHANG = 0x00000001, WUNTRACED = 0x00000002, WSTOPPED = WUNTRACED, WEXITED = 0x00000004,
                   WCONTINUED = 0x00000008, WNOWAIT = 0x01000000, __WNOTHREAD = 0x20000000,
                   __WALL = 0x40000000, __WCLONE = 0x80000000;
constexpr int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

// What a successful wait found.
struct WaitResult {
    int pid = 0;
    uint32_t uid = 0;
    int status = 0;   // wait4's status word
    int cld_code = 0;  // waitid: CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED
    int cld_status = 0;
    TaskUsage usage;  // the child's (with its reaped children), for wait4's rusage
};

// Return the child's PID, 0 (WNOHANG, nothing yet) or an error.
Result<int> kernel_wait4(int upid, unsigned options, WaitResult& out);
Result<int> kernel_waitid(int which, int upid, unsigned options, WaitResult& out);
