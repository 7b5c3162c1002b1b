// schedule_timeout(): a one-shot kernel timer whose callback wakes the sleeper.
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <time/jiffies.hpp>
#include <time/timer.hpp>

namespace {
void process_timeout(KernelTimer* timer) { wake_up_process(static_cast<Task*>(timer->data)); }
}  // namespace

long schedule_timeout(long timeout) {
    if (timeout == MAX_SCHEDULE_TIMEOUT) {
        schedule();
        return timeout;
    }
    if (timeout < 0) {
        __set_current_state(TASK_RUNNING);
        return 0;
    }
    uint64_t expire = jiffies + uint64_t(timeout);
    KernelTimer timer;
    timer_setup(timer, process_timeout, current());
    mod_timer(timer, expire);
    schedule();
    // Woken early (or by the timer): either way the timer must be gone before `timer` goes out of scope.
    del_timer_sync(timer);
    long left = long(expire - jiffies);
    return left < 0 ? 0 : left;
}

long schedule_timeout_interruptible(long timeout) {
    set_current_state(TASK_INTERRUPTIBLE);
    return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout) {
    set_current_state(TASK_UNINTERRUPTIBLE);
    return schedule_timeout(timeout);
}

void msleep(unsigned int msecs) {
    // +1: the current jiffy is already partly over, and the sleep must last at least msecs.
    long timeout = long(msecs_to_jiffies(msecs)) + 1;
    while (timeout) timeout = schedule_timeout_uninterruptible(timeout);
}

unsigned long msleep_interruptible(unsigned int msecs) {
    long timeout = long(msecs_to_jiffies(msecs)) + 1;
    while (timeout && !signal_pending(current())) timeout = schedule_timeout_interruptible(timeout);
    return jiffies_to_msecs(uint64_t(timeout));
}
