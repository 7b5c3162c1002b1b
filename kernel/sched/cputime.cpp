// task_cputime: see cputime.hpp.
#include <sched/cputime.hpp>
#include <sched/task.hpp>

TaskCputime task_cputime(const Task* task) {
    TaskCputime t;
    t.utime_ns = task->se.sum_exec_runtime;  // no user/system tick samples yet
    return t;
}
