// Self-tests of the process life cycle on the real kernel (any number of CPUs): processes that run
// kernel functions (user_mode_thread), their exit statuses through wait4, orphans adopted by the real
// init (PID 1, the task running these tests), vfork, and exec's errors.
#include <kunit/ktest.hpp>
#include <process/process.hpp>
#include <process/process_internal.hpp>
#include <process/wait.hpp>
#include <sched/completion.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>

namespace {

// What a test process found, handed back to the test (which runs in PID 1, a kernel thread).
struct Outcome {
    Completion done;
    long values[8] = {};
};

struct Job {
    void (*body)(Outcome&);
    Outcome* outcome;
};

int run_job(void* arg) {
    auto* job = static_cast<Job*>(arg);
    job->body(*job->outcome);
    complete(job->outcome->done);
    return 0;
}

// Runs body in a new process and waits for it to finish.
bool run_in_process(void (*body)(Outcome&), Outcome& outcome) {
    Job job{body, &outcome};
    Result<int> pid = user_mode_thread(run_job, &job, SIGCHLD);
    if (pid.is_error()) return false;
    wait_for_completion(outcome.done);
    return true;
}

int exit_with_arg(void* arg) { return int(reinterpret_cast<long>(arg)); }

long wait_for(int pid, unsigned options, int* status = nullptr) {
    WaitResult r;
    Result<int> got = kernel_wait4(pid, options, r);
    if (status) *status = r.status;
    return got.is_error() ? -long(got.error()) : got.value();
}

void statuses(Outcome& o) {
    int a = user_mode_thread(exit_with_arg, reinterpret_cast<void*>(long(exit_code_status(7))), SIGCHLD).value();
    int b = user_mode_thread(exit_with_arg, reinterpret_cast<void*>(long(signal_status(SIGKILL, false))), SIGCHLD)
                .value();
    int sa = 0, sb = 0;
    o.values[0] = wait_for(b, 0, &sb) == b;
    o.values[1] = wait_for(a, 0, &sa) == a;
    o.values[2] = sa;
    o.values[3] = sb;
    o.values[4] = wait_for(-1, 0);
}

KTEST(process, exit_statuses_reach_wait4) {
    Outcome o;
    KASSERT_TRUE(run_in_process(statuses, o));
    KEXPECT_TRUE(o.values[0]);
    KEXPECT_TRUE(o.values[1]);
    KEXPECT_EQ(o.values[2], 7 << 8);
    KEXPECT_EQ(o.values[3], SIGKILL);
    KEXPECT_EQ(o.values[4], -long(Errno::ECHILD));
}

Completion release_orphan;
Completion orphan_started;
int orphan(void*) {
    complete(orphan_started);
    wait_for_completion(release_orphan);
    return 0;
}
int orphan_parent(void* arg) {
    *static_cast<int*>(arg) = user_mode_thread(orphan, nullptr, SIGCHLD).value();
    return 0;
}

void orphans(Outcome& o) {
    int grandchild = 0;
    int child = user_mode_thread(orphan_parent, &grandchild, SIGCHLD).value();
    o.values[0] = wait_for(child, 0) == child;
    wait_for_completion(orphan_started);
    Task* g = get_task_by_pid(grandchild);
    o.values[1] = g != nullptr;
    if (g) {
        SpinLockIrqSaveGuard guard(tasklist_lock);
        o.values[2] = g->real_parent->pid;
        o.values[3] = g->real_parent == g->parent;
    }
    if (g) put_task_struct(g);
    complete(release_orphan);
}

KTEST(process, orphans_are_adopted_by_init) {
    reinit_completion(release_orphan);
    reinit_completion(orphan_started);
    Outcome o;
    KASSERT_TRUE(run_in_process(orphans, o));
    KEXPECT_TRUE(o.values[0]);
    KEXPECT_TRUE(o.values[1]);
    KEXPECT_EQ(o.values[2], 1);  // this test runs in init, which adopted the orphan
    KEXPECT_TRUE(o.values[3]);
}

int vfork_child(void* arg) {
    msleep(20);  // the parent would run meanwhile if vfork did not hold it
    *static_cast<volatile int*>(arg) = 1;
    return 0;
}

void vforks(Outcome& o) {
    volatile int done = 0;
    int child = user_mode_thread(vfork_child, const_cast<int*>(&done), CLONE_VFORK | SIGCHLD).value();
    o.values[0] = done;
    o.values[1] = wait_for(child, 0) == child;
}

KTEST(process, vfork_parent_waits_for_the_child) {
    Outcome o;
    KASSERT_TRUE(run_in_process(vforks, o));
    KEXPECT_EQ(o.values[0], 1);
    KEXPECT_TRUE(o.values[1]);
}

void exec_errors(Outcome& o) {
    const char* argv[] = {"x", nullptr};
    const char* envp[] = {nullptr};
    Result<void> missing = kernel_execve("/no/such/program", argv, envp);
    o.values[0] = missing.is_error() ? -long(missing.error()) : 0;
    Result<void> root = kernel_execve("/", argv, envp);
    o.values[1] = root.is_error() ? -long(root.error()) : 0;
    o.values[2] = current()->mm == nullptr;  // nothing changed: still no address space
}

KTEST(process, failed_exec_changes_nothing) {
    Outcome o;
    KASSERT_TRUE(run_in_process(exec_errors, o));
    KEXPECT_EQ(o.values[0], -long(Errno::ENOENT));
    KEXPECT_TRUE(o.values[1] == -long(Errno::EACCES) || o.values[1] == -long(Errno::ENOENT));
    KEXPECT_TRUE(o.values[2]);
}

void many_children(Outcome& o) {
    constexpr int kChildren = 40;
    int pids[kChildren];
    for (int i = 0; i < kChildren; i++)
        pids[i] = user_mode_thread(exit_with_arg, reinterpret_cast<void*>(long(exit_code_status(i))), SIGCHLD).value();
    long sum = 0, reaped = 0;
    for (;;) {
        int status = 0;
        long pid = wait_for(-1, 0, &status);
        if (pid < 0) break;
        reaped++;
        sum += status >> 8;
    }
    o.values[0] = reaped;
    o.values[1] = sum;
    o.values[2] = pids[0] > 0;
}

KTEST(process, many_children_are_all_reaped) {
    Outcome o;
    KASSERT_TRUE(run_in_process(many_children, o));
    KEXPECT_EQ(o.values[0], 40);
    KEXPECT_EQ(o.values[1], 40 * 39 / 2);
    KEXPECT_TRUE(o.values[2]);
}

}  // namespace
