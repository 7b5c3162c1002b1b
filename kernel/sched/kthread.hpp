#pragma once
// Kernel threads (Linux's kernel/kthread.c).
//
// kthread_create() asks kthreadd (PID 2) to create the thread, so every kernel thread starts from the
// same clean context, as a child of kthreadd, whatever the creator's state. The new thread is created
// asleep; wake_up_process() (or kthread_run()) starts threadfn(data). A thread that others may stop
// loops until kthread_should_stop() and returns; kthread_stop() makes that true, wakes the thread and
// waits for it to exit, returning threadfn's result.
#include <lib/result.hpp>
#include <sched/completion.hpp>
#include <sched/task.hpp>

struct Kthread {
    int (*threadfn)(void*) = nullptr;
    void* data = nullptr;
    int result = 0;
    Atomic<bool> should_stop{false};
    Completion exited;  // completed by do_exit()
    struct KthreadCreateRequest* create = nullptr;  // until the new thread has reported in
};

// Creates a kernel thread named by the printf-style format, asleep. Fails with ENOMEM.
Result<Task*> kthread_create(int (*threadfn)(void*), void* data, const char* namefmt, ...)
    __attribute__((format(printf, 3, 4)));
// kthread_create() and wake it up.
template <class... Args>
Result<Task*> kthread_run(int (*threadfn)(void*), void* data, const char* namefmt, Args... args) {
    Result<Task*> t = kthread_create(threadfn, data, namefmt, args...);
    if (t) wake_up_process(t.value());
    return t;
}
// Makes a thread just returned by kthread_create() (not woken yet) run on `cpu`, which must be online:
// it is woken there and stays there (there is no load balancing yet to move it).
void kthread_bind(Task* p, unsigned cpu);
// Tells k to stop, wakes it and waits until it has exited; returns its threadfn's result (-EINTR if it
// was stopped before it ever ran). k must not have exited on its own before this call.
int kthread_stop(Task* k);
// In a kernel thread: has kthread_stop() been called for it?
bool kthread_should_stop();
// Ends the current kernel thread with `result` (what kthread_stop() returns).
[[noreturn]] void kthread_exit(int result);

// PID 2: creates kernel threads on request. Started by start_kthreadd() from rest_init().
extern Task* kthreadd_task;
// Creates kthreadd; kernel threads can be created once it has run. Returns its PID.
Result<int> start_kthreadd();
// Blocks until start_kthreadd() has completed (kernel_init waits for it before the initcalls).
void wait_for_kthreadd();

// Internal: do_exit()'s part for kernel threads, and freeing with the task.
void kthread_exited(Task* p, int code);
void free_kthread_struct(Kthread* k);
