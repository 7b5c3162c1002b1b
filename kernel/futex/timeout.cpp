// Futex timeouts. FUTEX_WAIT's timeout is relative and measured on CLOCK_MONOTONIC; FUTEX_WAIT_BITSET's
// is an absolute time on CLOCK_MONOTONIC, or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME (so that
// pthread_cond_timedwait follows the wall clock when asked to). Both become a FutexDeadline, which a
// waiter keeps across wake-ups and restarts. Sleeps end on the tick, never before the deadline.
#include <futex/futex.hpp>
#include <lib/uaccess.hpp>
#include <sched/timeout.hpp>
#include <time/clocksource_api.hpp>
#include <time/jiffies.hpp>

namespace {

constexpr int64_t kNsecPerSec = 1000000000;
constexpr int64_t kTickNsec = kNsecPerSec / HZ;

struct UserTimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

int64_t clock_now(bool realtime) {
    if (!realtime) return int64_t(ktime_get_ns());
    Timespec64 ts = ktime_get_real_ts64();
    return ts.tv_sec * kNsecPerSec + ts.tv_nsec;
}

// a + b without overflow (Linux's ktime_add_safe): far deadlines saturate.
int64_t add_saturating(int64_t a, int64_t b) {
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

}  // namespace

bool FutexDeadline::passed() const { return clock_now(realtime) >= ns; }

bool FutexDeadline::sleep() const {
    int64_t now = clock_now(realtime);
    if (now >= ns) return false;
    // Whole ticks, rounded up, plus one: the current tick is already partly over.
    int64_t ticks = (ns - now) / kTickNsec + 2;
    schedule_timeout(ticks > int64_t(MAX_SCHEDULE_TIMEOUT - 1) ? MAX_SCHEDULE_TIMEOUT - 1 : long(ticks));
    return true;
}

Result<FutexDeadline> futex_read_timeout(uint64_t utime, int cmd, unsigned flags) {
    UserTimespec ts;
    TRY(copy_from_user(&ts, UserPtr<const void>(utime), sizeof ts));
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= kNsecPerSec) return Errno::EINVAL;
    int64_t ns = ts.tv_sec > INT64_MAX / kNsecPerSec - 1 ? INT64_MAX : ts.tv_sec * kNsecPerSec + ts.tv_nsec;
    FutexDeadline d;
    if (cmd == FUTEX_WAIT) {
        d.ns = add_saturating(clock_now(false), ns);
    } else {
        d.realtime = flags & FLAGS_CLOCKRT;
        d.ns = ns;
    }
    return d;
}
