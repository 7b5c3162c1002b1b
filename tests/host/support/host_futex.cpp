// The futex side of exit and exec (process/process.hpp) for the host build, which has no futex/ code:
// no task of a host test ever waits on a futex or registers a robust list.
#include <process/process.hpp>
#include <sched/task.hpp>

void futex_wake_tid(uint64_t) {}
void exit_robust_list(Task* task) { task->robust_list = 0; }
