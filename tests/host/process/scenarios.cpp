// The kernel side of the life-cycle host tests (see scenarios.hpp).
#include "process/scenarios.hpp"

#include <process/cred.hpp>
#include <process/process.hpp>
#include <process/process_internal.hpp>
#include <process/rlimit.hpp>
#include <process/rusage.hpp>
#include <process/wait.hpp>
#include <process/wait_status.hpp>
#include <sched/completion.hpp>
#include <sched/pid.hpp>
#include <sched/sched.hpp>
#include <sched/task_internal.hpp>
#include <signal/signal_struct.hpp>

#include <functional>

namespace {

int run_function(void* arg) {
    auto* f = static_cast<std::function<int()>*>(arg);
    int code = (*f)();
    delete f;
    return code;  // do_exit(code): the status word a parent sees
}

// A child process (or thread, with CLONE_THREAD) of the current task running fn; fn's return value is
// its exit status. Returns the PID or -errno.
int spawn(std::function<int()> fn, uint64_t flags = SIGCHLD) {
    auto* heap = new std::function<int()>(std::move(fn));
    Result<int> pid = user_mode_thread(run_function, heap, flags);
    if (pid.is_error()) {
        delete heap;
        return -int(pid.error());
    }
    return pid.value();
}

void start(std::function<void()> body) {
    spawn([body] {
        body();
        return 0;
    });
}

// What signal/'s job control records when a process stops or continues.
void set_job_control_state(Task* t, unsigned flag, int stop_signal) {
    SpinLockIrqSaveGuard guard(t->sighand->siglock);
    t->signal->flags = (t->signal->flags & ~(SIGNAL_STOP_STOPPED | SIGNAL_STOP_CONTINUED)) | flag;
    t->signal->group_exit_code = stop_signal;
}

Task* task_of(int pid) {
    SpinLockIrqSaveGuard guard(tasklist_lock);
    return find_task_by_pid(pid);
}

// A Result as one number: the value, or -errno.
long num(const Result<int>& r) { return r.is_error() ? -long(r.error()) : r.value(); }
long num(const Result<void>& r) { return r.is_error() ? -long(r.error()) : 0; }

long wait4(int pid, unsigned options, WaitResult* out = nullptr) {
    WaitResult local;
    return num(kernel_wait4(pid, options, out ? *out : local));
}

}  // namespace

void start_wait4_reaps_exited_child(Facts& f) {
    start([&f] {
        f["child"] = spawn([] { return exit_code_status(42); });
        WaitResult r;
        f["reaped"] = wait4(-1, 0, &r);
        f["status"] = r.status;
        f["again"] = wait4(-1, 0);
    });
}

void start_zombie_stays_until_reaped(Facts& f) {
    start([&f] {
        int child = spawn([] { return exit_code_status(3); });
        f["child"] = child;
        WaitResult peek;
        f["peek"] = num(kernel_waitid(P_PID, child, WEXITED | WNOWAIT, peek));
        f["peek_code"] = peek.cld_code;
        f["peek_status"] = peek.cld_status;
        Task* t = task_of(child);
        f["in_table"] = t != nullptr;
        f["exit_state"] = t ? t->exit_state : 0;
        f["reaped"] = wait4(child, 0);
    });
}

void start_wnohang_while_child_runs(Facts& f) {
    start([&f] {
        Completion go;
        int child = spawn([&go] {
            wait_for_completion(go);
            return 0;
        });
        f["child"] = child;
        f["first"] = wait4(child, WNOHANG);
        complete(go);
        f["later"] = wait4(child, 0);
    });
}

void start_wait_for_one_child(Facts& f) {
    start([&f] {
        f["a"] = spawn([] { return exit_code_status(1); });
        f["b"] = spawn([] { return exit_code_status(2); });
        WaitResult r;
        f["got_b"] = wait4(int(f["b"]), 0, &r);
        f["status_b"] = r.status;
        f["got_a"] = wait4(-1, 0, &r);
        f["status_a"] = r.status;
    });
}

void start_wait_by_process_group(Facts& f) {
    start([&f] {
        f["setsid"] = num(do_setsid());
        int a = spawn([] { return exit_code_status(5); });
        int b = spawn([] { return exit_code_status(6); });
        f["a"] = a;
        f["b"] = b;
        f["setpgid"] = num(do_setpgid(b, b));  // b leads a group of its own
        WaitResult r;
        f["got_group_b"] = wait4(-b, 0, &r);
        f["status_b"] = r.status;
        f["got_own_group"] = wait4(0, 0);
        f["group_b_again"] = wait4(-b, 0);
    });
}

void start_wait_for_non_child(Facts& f) {
    start([&f] { f["self"] = wait4(current()->pid, 0); });
}

void start_invalid_wait_options(Facts& f) {
    start([&f] {
        WaitResult out;
        f["wait4_wnowait"] = num(kernel_wait4(-1, WNOWAIT, out));
        f["waitid_pid0"] = num(kernel_waitid(P_PID, 0, WEXITED, out));
        f["waitid_no_event"] = num(kernel_waitid(P_ALL, 0, WNOHANG, out));
        f["waitid_bad_which"] = num(kernel_waitid(7, 0, WEXITED, out));
        f["wait4_int_min"] = wait4(-2147483647 - 1, 0);
    });
}

void start_clone_children_need_wclone(Facts& f) {
    start([&f] {
        f["child"] = spawn([] { return 0; }, 0);  // exit signal 0: a "clone" child
        f["plain"] = wait4(-1, WNOHANG);
        f["wclone"] = wait4(-1, __WCLONE);
    });
}

void start_orphans_go_to_reaper(Facts& f) {
    start([&f] {
        auto* release = new Completion;
        auto* started = new Completion;
        int child = spawn([&f, release, started] {
            f["grandchild"] = spawn([release, started] {
                complete(*started);
                wait_for_completion(*release);
                delete release;
                return 0;
            });
            return 0;
        });
        f["child_reaped"] = wait4(child, 0) == child;
        wait_for_completion(*started);
        delete started;
        Task* g = task_of(int(f["grandchild"]));
        f["parent_is_idle"] = g && g->real_parent == init_task_ptr();
        complete(*release);
    });
}

void start_threads_share_tgid(Facts& f) {
    start([&f] {
        f["leader"] = current()->pid;
        Completion done;
        f["tid"] = spawn(
            [&] {
                f["thread_tgid"] = current()->tgid;
                f["thread_leader_pid"] = current()->group_leader->pid;
                complete(done);
                return 0;
            },
            CLONE_THREAD | CLONE_SIGHAND | CLONE_VM);
        wait_for_completion(done);
        f["wait_thread"] = wait4(-1, __WALL | WNOHANG);
    });
}

void start_leader_reported_after_last_thread(Facts& f) {
    start([&f] {
        auto* release = new Completion;
        auto* started = new Completion;
        int child = spawn([release, started] {
            spawn(
                [release, started] {
                    complete(*started);
                    wait_for_completion(*release);
                    delete release;
                    return 0;
                },
                CLONE_THREAD | CLONE_SIGHAND | CLONE_VM);
            return exit_code_status(9);  // the leader exits first
        });
        f["child"] = child;
        wait_for_completion(*started);
        delete started;
        for (int i = 0; i < 5; i++) yield();  // let the leader reach its exit
        Task* leader = task_of(child);
        f["leader_zombie"] = leader && leader->exit_state == EXIT_ZOMBIE;
        f["while_thread_runs"] = wait4(child, WNOHANG);
        complete(*release);
        WaitResult r;
        f["after"] = wait4(child, 0, &r);
        f["status"] = r.status;
    });
}

void start_vfork_parent_waits(Facts& f) {
    start([&f] {
        bool child_done = false;
        int child = spawn(
            [&] {
                for (int i = 0; i < 3; i++) yield();  // the parent would run meanwhile if it could
                child_done = true;
                return 0;
            },
            CLONE_VFORK | SIGCHLD);
        f["child_done_at_return"] = child_done;
        f["reaped"] = wait4(child, 0) == child;
    });
}

void start_stop_and_continue_reported_once(Facts& f) {
    start([&f] {
        Completion go;
        int child = spawn([&] {
            wait_for_completion(go);
            return 0;
        });
        f["child"] = child;
        Task* c = task_of(child);
        set_job_control_state(c, SIGNAL_STOP_STOPPED, SIGTSTP);  // as a SIGTSTP's group stop leaves it
        WaitResult r;
        f["stopped_pid"] = wait4(child, WUNTRACED, &r);
        f["stopped_status"] = r.status;
        f["stopped_again"] = wait4(child, WUNTRACED | WNOHANG);
        WaitResult info;
        set_job_control_state(c, SIGNAL_STOP_CONTINUED, 0);  // as SIGCONT leaves it
        f["continued_waitid"] = num(kernel_waitid(P_PID, child, WCONTINUED | WNOWAIT, info));
        f["continued_code"] = info.cld_code;
        f["continued_pid"] = wait4(child, WCONTINUED, &r);
        f["continued_status"] = r.status;
        complete(go);
        f["exited"] = wait4(child, 0);
    });
}

void start_setpgid_setsid_rules(Facts& f) {
    start([&f] {
        f["setsid"] = num(do_setsid());
        f["setsid_again"] = num(do_setsid());  // now a group (and session) leader
        auto* go = new Completion;
        int child = spawn([go] {
            wait_for_completion(*go);
            return 0;
        });
        int execd = spawn([go] {
            wait_for_completion(*go);
            return 0;
        });
        task_of(execd)->flags &= ~PF_FORKNOEXEC;  // as exec does
        f["after_exec"] = num(do_setpgid(execd, execd));
        f["no_such_pid"] = num(do_setpgid(31999, 0));
        f["missing_group"] = num(do_setpgid(child, 31998));
        f["negative_pgid"] = num(do_setpgid(child, -4));
        f["own_group"] = num(do_setpgid(child, 0));
        f["child_pgid"] = task_pgrp(task_of(child));
        f["child_sid"] = task_session(task_of(child));
        f["join_back"] = num(do_setpgid(child, current()->pid));
        f["child_pgid_after"] = task_pgrp(task_of(child));
        f["self"] = current()->pid;
        complete_all(*go);
        wait4(-1, 0);
        wait4(-1, 0);
        delete go;
    });
}

void start_rlimit_nproc(Facts& f) {
    start([&f] {
        Credentials* c = prepare_creds();
        c->uid = c->euid = c->suid = c->fsuid = 1000;
        commit_creds(c);
        Rlimit two = {2, 2};
        f["prlimit"] = num(do_prlimit(current(), RLIMIT_NPROC, &two, nullptr));
        f["count_before"] = nproc_count(1000);
        f["allowed"] = spawn([] { return 0; });  // uid 1000 now has 2 tasks
        f["refused"] = spawn([] { return 0; });
        wait4(-1, 0);
    });
}

void start_rusage_children(Facts& f) {
    start([&f] {
        f["before"] = long(task_rusage(current(), RUSAGE_CHILDREN).value().utime_ns);
        int child = spawn([] {
            // Blocks (a voluntary switch) waiting for a grandchild, whose usage becomes ours.
            wait4(spawn([] { return 0; }), 0);
            return 0;
        });
        WaitResult r;
        f["reaped"] = wait4(child, 0, &r) == child;
        f["child_switches"] = long(r.usage.nvcsw + r.usage.nivcsw);
        f["child_utime"] = long(r.usage.utime_ns);
        f["after"] = long(task_rusage(current(), RUSAGE_CHILDREN).value().utime_ns);
    });
}

bool pid_in_use_now(long pid) { return task_of(int(pid)) != nullptr; }
unsigned nproc_count_of(unsigned uid) { return nproc_count(uid); }
