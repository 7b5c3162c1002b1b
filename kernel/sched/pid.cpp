// PID allocation (a bitmap searched cyclically) and lookup (a hash of task lists).
#include <sched/pid.hpp>

SpinLock tasklist_lock;

namespace {

constexpr unsigned kPidHashBuckets = 256;  // power of two
using PidChain = IntrusiveList<Task, &Task::pid_node>;

uint64_t pid_bitmap[PID_MAX_DEFAULT / 64];
int last_pid = 0;
PidChain pid_hash[kPidHashBuckets];
TaskList task_list;

bool pid_in_use(int pid) { return pid_bitmap[pid / 64] & (uint64_t(1) << (pid % 64)); }
void mark_pid(int pid, bool used) {
    uint64_t bit = uint64_t(1) << (pid % 64);
    if (used)
        pid_bitmap[pid / 64] |= bit;
    else
        pid_bitmap[pid / 64] &= ~bit;
}

PidChain& chain_of(int pid) { return pid_hash[unsigned(pid) & (kPidHashBuckets - 1)]; }

// The next free PID after last_pid, wrapping to kPidReserved; 0 if all are taken.
int next_free_pid() {
    int pid = last_pid + 1;
    for (int tried = 0; tried < PID_MAX_DEFAULT; tried++, pid++) {
        if (pid >= PID_MAX_DEFAULT) pid = kPidReserved;
        if (!pid_in_use(pid)) return pid;
    }
    return 0;
}

}  // namespace

TaskList& all_tasks() { return task_list; }

Result<int> attach_pid(Task* p) {
    int pid = next_free_pid();
    if (!pid) return Errno::EAGAIN;  // what fork(2) reports when pid_max is exhausted
    mark_pid(pid, true);
    last_pid = pid;
    p->pid = pid;
    chain_of(pid).push_back(*p);
    task_list.push_back(*p);
    return pid;
}

void detach_pid(Task* p) {
    if (!p->pid) return;
    chain_of(p->pid).remove(*p);
    task_list.remove(*p);
    mark_pid(p->pid, false);
}

void exchange_pids(Task* a, Task* b) {
    chain_of(a->pid).remove(*a);
    chain_of(b->pid).remove(*b);
    int pid = a->pid;
    a->pid = b->pid;
    b->pid = pid;
    chain_of(a->pid).push_back(*a);
    chain_of(b->pid).push_back(*b);
}

Task* find_task_by_pid(int pid) {
    if (pid <= 0 || pid >= PID_MAX_DEFAULT) return nullptr;
    for (Task& t : chain_of(pid))
        if (t.pid == pid) return &t;
    return nullptr;
}

Task* get_task_by_pid(int pid) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    Task* p = find_task_by_pid(pid);
    if (p) get_task_struct(p);
    return p;
}

int get_last_pid() {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    return last_pid;
}

unsigned nr_tasks() {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    return unsigned(task_list.size());
}

void set_last_pid(int pid) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    if (pid >= 0 && pid < PID_MAX_DEFAULT) last_pid = pid;
}
