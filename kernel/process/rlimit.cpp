// Resource limits: defaults, the change rules, and access under the process's lock.
#include <mm/gfp.hpp>
#include <mm/mm_hooks.hpp>
#include <process/cred.hpp>
#include <process/rlimit.hpp>
#include <process/thread_group.hpp>
#include <sched/task.hpp>

uint64_t max_threads_for_pages(uint64_t total_pages) {
    // Linux's set_max_threads(): at most 1/8 of memory for kernel stacks.
    constexpr uint64_t kStackPages = 16 * 1024 / 4096;
    uint64_t threads = total_pages / (8 * kStackPages);
    if (threads < 20) threads = 20;
    if (threads > 0x3fffffff) threads = 0x3fffffff;  // FUTEX_TID_MASK
    return threads;
}

void init_rlimits(Rlimit (&rlim)[RLIM_NLIMITS]) {
    for (Rlimit& r : rlim) r = {RLIM_INFINITY, RLIM_INFINITY};
    rlim[RLIMIT_STACK] = {kStackLimitDefault, RLIM_INFINITY};
    rlim[RLIMIT_CORE] = {0, RLIM_INFINITY};
    rlim[RLIMIT_NOFILE] = {1024, 4096};                 // INR_OPEN_CUR, INR_OPEN_MAX
    rlim[RLIMIT_MEMLOCK] = {8ull << 20, 8ull << 20};    // MLOCK_LIMIT
    rlim[RLIMIT_MSGQUEUE] = {819200, 819200};           // MQ_BYTES_MAX
    rlim[RLIMIT_NICE] = {0, 0};
    rlim[RLIMIT_RTPRIO] = {0, 0};
    uint64_t half = max_threads_for_pages(totalram_pages()) / 2;
    rlim[RLIMIT_NPROC] = {half, half};
    rlim[RLIMIT_SIGPENDING] = {half, half};
}

Result<void> rlimit_check_change(int resource, const Rlimit& old, const Rlimit& requested, bool privileged) {
    if (resource < 0 || resource >= RLIM_NLIMITS) return Errno::EINVAL;
    if (requested.rlim_cur > requested.rlim_max) return Errno::EINVAL;
    if (resource == RLIMIT_NOFILE && requested.rlim_max > kNrOpenCeiling) return Errno::EPERM;
    if (requested.rlim_max > old.rlim_max && !privileged) return Errno::EPERM;
    return {};
}

namespace {

// Limits of tasks without a process (kernel threads): the boot defaults, computed once.
const Rlimit& kernel_thread_limit(int resource) {
    static Rlimit defaults[RLIM_NLIMITS];
    static bool ready = false;
    if (!ready) {
        init_rlimits(defaults);
        ready = true;
    }
    return defaults[resource];
}

Rlimit read_limit(const Task* task, int resource) {
    ThreadGroup* tg = task ? task->thread_group : nullptr;  // no task at all: before the scheduler
    if (!tg) return kernel_thread_limit(resource);
    SpinLockIrqSaveGuard guard(tg->lock);
    return tg->rlim[resource];
}

}  // namespace

uint64_t rlimit(const Task* task, int resource) { return read_limit(task, resource).rlim_cur; }
uint64_t rlimit_max(const Task* task, int resource) { return read_limit(task, resource).rlim_max; }

Result<void> do_prlimit(Task* target, int resource, const Rlimit* new_rlim, Rlimit* old_rlim) {
    if (resource < 0 || resource >= RLIM_NLIMITS) return Errno::EINVAL;
    ThreadGroup* tg = target->thread_group;
    if (!tg) {
        if (new_rlim) return Errno::EPERM;  // kernel threads keep the defaults
        if (old_rlim) *old_rlim = kernel_thread_limit(resource);
        return {};
    }
    bool privileged = current_cred()->euid == 0;  // CAP_SYS_RESOURCE
    SpinLockIrqSaveGuard guard(tg->lock);
    Rlimit& limit = tg->rlim[resource];
    if (new_rlim) TRY(rlimit_check_change(resource, limit, *new_rlim, privileged));
    if (old_rlim) *old_rlim = limit;
    if (new_rlim) limit = *new_rlim;
    return {};
}

// The limits mm/ enforces (mm/mm_hooks.hpp), for the current process.
uint64_t mm_rlimit_stack() { return rlimit(current(), RLIMIT_STACK); }
uint64_t mm_rlimit_as() { return rlimit(current(), RLIMIT_AS); }
uint64_t mm_rlimit_data() { return rlimit(current(), RLIMIT_DATA); }
