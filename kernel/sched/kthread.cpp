// Kernel threads and kthreadd.
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <mm/slab.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <sched/exit.hpp>
#include <sched/fork.hpp>
#include <sched/kthread.hpp>
#include <sched/pid.hpp>
#include <sched/preempt.hpp>
#include <sched/runqueue.hpp>
#include <sched/sched.hpp>
#include <smp/cpumask.hpp>
#include <stdarg.h>

// A request to kthreadd, on the creator's stack until `done` completes.
struct KthreadCreateRequest {
    int (*threadfn)(void*);
    void* data;
    char name[TASK_COMM_LEN];
    Task* result = nullptr;
    Errno error = Errno::OK;
    Completion done;
    ListNode node;
};

Task* kthreadd_task = nullptr;

namespace {

SpinLock kthread_create_lock;
IntrusiveList<KthreadCreateRequest, &KthreadCreateRequest::node> kthread_create_list;
Completion kthreadd_done;

// Every thread made by kthread_create() starts here, in its own context.
int kthread_main(void* arg) {
    Kthread* self = static_cast<Kthread*>(arg);
    KthreadCreateRequest* create = self->create;
    self->create = nullptr;

    // Report in, then sleep until the creator (or kthread_stop) wakes us. The state is set before the
    // creator can know about us, so its wake_up_process() cannot be lost; preemption is off so the
    // creator, woken by complete(), does not run before we are asleep.
    __set_current_state(TASK_UNINTERRUPTIBLE);
    create->result = current();
    preempt_disable();
    complete(create->done);  // `create` is gone after this
    schedule_preempt_disabled();
    preempt_enable();

    int ret = -int(Errno::EINTR);
    if (!self->should_stop.load()) ret = self->threadfn(self->data);
    kthread_exit(ret);
}

void create_kthread(KthreadCreateRequest* req) {
    Kthread* k = knew<Kthread>();
    if (!k) {
        req->error = Errno::ENOMEM;
        complete(req->done);
        return;
    }
    k->threadfn = req->threadfn;
    k->data = req->data;
    k->create = req;
    Result<Task*> t = copy_process(kthread_main, k, req->name, PF_KTHREAD);
    if (t.is_error()) {
        kdelete(k);
        req->error = t.error();
        complete(req->done);
        return;
    }
    t.value()->kthread = k;
    wake_up_new_task(t.value());
}

int kthreadd(void*) {
    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        bool idle;
        {
            SpinLockIrqSaveGuard guard(kthread_create_lock);
            idle = kthread_create_list.empty();
        }
        if (idle) schedule();
        __set_current_state(TASK_RUNNING);

        for (;;) {
            KthreadCreateRequest* req;
            {
                SpinLockIrqSaveGuard guard(kthread_create_lock);
                req = kthread_create_list.pop_front();
            }
            if (!req) break;
            create_kthread(req);
        }
    }
}

}  // namespace

Result<Task*> kthread_create(int (*threadfn)(void*), void* data, const char* namefmt, ...) {
    KthreadCreateRequest req;
    req.threadfn = threadfn;
    req.data = data;
    va_list args;
    va_start(args, namefmt);
    kvsnprintf(req.name, sizeof req.name, namefmt, args);
    va_end(args);
    {
        SpinLockIrqSaveGuard guard(kthread_create_lock);
        kthread_create_list.push_back(req);
    }
    wake_up_process(kthreadd_task);
    wait_for_completion(req.done);
    if (req.error != Errno::OK) return req.error;
    return req.result;
}

void kthread_bind(Task* p, unsigned cpu) {
    if (WARN_ON(!cpu_online(cpu))) return;
    // Like Linux's wait_task_inactive(): until the new thread has switched out for good (it may still
    // be on its way into its first sleep), then move it while nothing can wake it.
    for (;;) {
        arch::IrqFlags flags = arch::irq_save();
        p->pi_lock.raw_lock();
        RunQueue& rq = task_rq(p);
        rq.lock.raw_lock();
        bool inactive = !p->on_rq && !p->on_cpu.load(MemoryOrder::Acquire);
        if (inactive) p->cpu = cpu;
        rq.lock.raw_unlock();
        p->pi_lock.raw_unlock();
        arch::irq_restore(flags);
        if (inactive) return;
        arch::cpu_relax();
    }
}

bool kthread_should_stop() {
    Kthread* k = current()->kthread;
    return k && k->should_stop.load();
}

int kthread_stop(Task* k) {
    Kthread* kt = k->kthread;
    get_task_struct(k);
    kt->should_stop.store(true);
    wake_up_process(k);
    wait_for_completion(kt->exited);
    int ret = kt->result;
    put_task_struct(k);
    return ret;
}

void kthread_exit(int result) {
    if (Kthread* k = current()->kthread) k->result = result;
    do_exit(result);
}

void kthread_exited(Task* p, int) { complete_all(p->kthread->exited); }

void free_kthread_struct(Kthread* k) { kdelete(k); }

Result<int> start_kthreadd() {
    int pid = TRY(kernel_thread(kthreadd, nullptr, "kthreadd"));
    {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        kthreadd_task = find_task_by_pid(pid);
    }
    complete_all(kthreadd_done);
    return pid;
}

void wait_for_kthreadd() { wait_for_completion(kthreadd_done); }
