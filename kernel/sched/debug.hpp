#pragma once
// What the scheduler is doing, for people: Linux's SysRq-T task list.
#include <sched/task.hpp>

// One line for p: comm, state letter, PID, parent PID, class, priority, CPU time, switches.
void sched_show_task(const Task* p);
// sched_show_task() for every CPU's idle task and every other task, then each runqueue's summary.
void show_state();
