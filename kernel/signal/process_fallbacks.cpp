// Weak stand-ins for the process-lifecycle functions signals need (process/process.hpp), used until the
// process code defines them: a fatal signal must be able to end a thread group, and kill(0, ...) needs a
// process group. The process code's strong definitions replace these at link time.
#include <process/process.hpp>
#include <sched/exit.hpp>
#include <signal/internal.hpp>

// exit_group's semantics for the signal state: the first thread to get here fixes the group's exit code
// and sends SIGKILL to the others; everyone exits with that code.
[[gnu::weak]] void do_group_exit(int code) {
    Task* t = current();
    if (t->sighand && t->signal) {
        SiglockGuard guard(t->sighand);
        SignalStruct* signal = t->signal;
        if (signal->flags & SIGNAL_GROUP_EXIT) {
            code = signal->group_exit_code;
        } else {
            signal->flags = SIGNAL_GROUP_EXIT;
            signal->group_exit_code = code;
            zap_other_threads(t);
        }
    }
    exit_signals(t);
    do_exit(code);
}

// Without process groups every process is its own group (and session).
[[gnu::weak]] int task_pgrp(const Task* task) { return task->group_leader->tgid; }
[[gnu::weak]] int task_session(const Task* task) { return task->group_leader->tgid; }
