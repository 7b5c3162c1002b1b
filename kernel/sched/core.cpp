// Scheduler core. (Bring-up placeholder: the scheduling-class core replaces this file.)
#include <sched/preempt.hpp>

void preempt_schedule() { this_cpu()->need_resched = false; }
