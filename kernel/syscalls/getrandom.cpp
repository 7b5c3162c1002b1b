// getrandom(2): random bytes from the kernel's generator (lib/random.hpp).
//
// Linux's rules: until the generator has been seeded with enough entropy, getrandom(0) waits (collecting
// jitter entropy meanwhile, interruptibly) and GRND_NONBLOCK fails with EAGAIN; GRND_INSECURE never
// waits. GRND_RANDOM is accepted and means nothing more (as since Linux 5.6).
#include <lib/random.hpp>
#include <lib/uaccess.hpp>
#include <sched/sched.hpp>
#include <sched/task.hpp>
#include <signal/restart.hpp>
#include <syscalls/syscall.hpp>

namespace {
constexpr unsigned GRND_NONBLOCK = 0x1, GRND_RANDOM = 0x2, GRND_INSECURE = 0x4;
constexpr size_t kMaxRequest = 0x7ffff000;  // Linux's MAX_RW_COUNT
}  // namespace

SYSCALL_DEFINE3(getrandom, uint64_t, ubuf, size_t, count, unsigned, flags) {
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -long(Errno::EINVAL);
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM)) return -long(Errno::EINVAL);
    if (!(flags & GRND_INSECURE) && !crng_ready()) {
        if (flags & GRND_NONBLOCK) return -long(Errno::EAGAIN);
        while (!crng_try_to_seed()) {
            if (signal_pending(current())) return -long(ERESTARTSYS);
            cond_resched();
        }
    }
    if (count > kMaxRequest) count = kMaxRequest;
    uint8_t chunk[256];
    size_t done = 0;
    while (done < count) {
        // A large request may be cut short by a signal (with what was produced so far).
        if (done && signal_pending(current())) break;
        size_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
        get_random_bytes(chunk, n);
        if (Result<void> r = copy_to_user(UserPtr<void>(ubuf + done), chunk, n); !r) {
            if (!done) return -long(r.error());
            break;
        }
        done += n;
    }
    // Do not leave the key stream on the kernel stack.
    __builtin_memset(chunk, 0, sizeof chunk);
    asm volatile("" : : "r"(chunk) : "memory");
    return long(done);
}
