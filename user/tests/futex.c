/* futex: futex(2) through raw system calls, the way glibc's locks use it: EAGAIN when the word moved,
 * wake counts, timeouts (relative and absolute), requeue, wake-op, bitsets, a shared futex on MAP_SHARED
 * memory across fork, bad addresses, and robust-list owner death. Waiters are threads made with clone
 * (CLONE_VM) so that the cases need no libpthread internals. */
#include "utest.h"

#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

static long futex(uint32_t* uaddr, int op, uint32_t val, const void* timeout_or_val2, uint32_t* uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static int64_t now_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --- waiter threads (clone with CLONE_VM) ------------------------------------------------------- */
struct waiter {
    uint32_t* word;
    int op;
    uint32_t val;
    uint32_t bitset;
    _Atomic int started;
    _Atomic long result; /* syscall result, or errno negated */
    _Atomic int done;
    char stack[64 * 1024] __attribute__((aligned(16)));
};

static int waiter_main(void* arg) {
    struct waiter* w = arg;
    atomic_store(&w->started, 1);
    long r = futex(w->word, w->op, w->val, NULL, NULL, w->bitset);
    atomic_store(&w->result, r < 0 ? -errno : r);
    atomic_store(&w->done, 1);
    syscall(SYS_exit, 0);
    return 0;
}

static struct waiter* start_waiter(uint32_t* word, int op, uint32_t val, uint32_t bitset) {
    struct waiter* w = mmap(NULL, sizeof *w, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    UT_ASSERT(w != MAP_FAILED, "mmap");
    w->word = word;
    w->op = op;
    w->val = val;
    w->bitset = bitset;
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
    UT_ASSERT(clone(waiter_main, w->stack + sizeof w->stack, flags, w) > 0, "clone: %s", strerror(errno));
    while (!atomic_load(&w->started))
        sched_yield();
    return w;
}

/* Gives waiters time to reach their sleep: a wake sent too early finds nobody and returns 0. */
static void settle(void) {
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void expect_done(struct waiter* w, long result) {
    for (int i = 0; i < 400 && !atomic_load(&w->done); i++)
        settle();
    UT_ASSERT(atomic_load(&w->done), "waiter still asleep");
    UT_EQ(atomic_load(&w->result), result);
}

static void expect_asleep(struct waiter* w) {
    settle();
    UT_ASSERT(!atomic_load(&w->done), "waiter returned %ld", (long)atomic_load(&w->result));
}

static uint32_t word_a, word_b;

/* --- cases --------------------------------------------------------------------------------------- */
UTEST_CASE(wait_eagain_when_value_differs) {
    word_a = 1;
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0), EAGAIN);
    UT_ERRNO(futex(&word_a, FUTEX_WAIT, 2, NULL, NULL, 0), EAGAIN);
}

UTEST_CASE(wake_without_waiters_is_zero) {
    UT_EQ(futex(&word_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
    UT_EQ(futex(&word_a, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0), 0);
}

UTEST_CASE(wake_count) {
    word_a = 0;
    struct waiter* w[3];
    for (int i = 0; i < 3; i++)
        w[i] = start_waiter(&word_a, FUTEX_WAIT_PRIVATE, 0, 0);
    settle();
    UT_EQ(futex(&word_a, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0), 2);
    settle();
    int done = 0;
    for (int i = 0; i < 3; i++)
        done += atomic_load(&w[i]->done);
    UT_EQ(done, 2);
    UT_EQ(futex(&word_a, FUTEX_WAKE_PRIVATE, 5, NULL, NULL, 0), 1);
    for (int i = 0; i < 3; i++)
        expect_done(w[i], 0);
}

UTEST_CASE(private_wake_does_not_wake_shared_waiter) {
    word_a = 0;
    struct waiter* w = start_waiter(&word_a, FUTEX_WAIT, 0, 0);
    settle();
    UT_EQ(futex(&word_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
    expect_asleep(w);
    UT_EQ(futex(&word_a, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
    expect_done(w, 0);
}

UTEST_CASE(relative_timeout) {
    word_a = 0;
    struct timespec ts = {0, 100 * 1000 * 1000};
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0), ETIMEDOUT);
    int64_t slept = now_ns(CLOCK_MONOTONIC) - t0;
    UT_ASSERT(slept >= 100 * 1000 * 1000 && slept < 5000LL * 1000 * 1000, "slept %lld ns", (long long)slept);
}

UTEST_CASE(absolute_timeouts_of_wait_bitset) {
    word_a = 0;
    int64_t deadline = now_ns(CLOCK_MONOTONIC) + 80 * 1000 * 1000;
    struct timespec ts = {deadline / 1000000000, deadline % 1000000000};
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
    UT_ASSERT(now_ns(CLOCK_MONOTONIC) >= deadline, "woke before the deadline");
    deadline = now_ns(CLOCK_REALTIME) + 80 * 1000 * 1000;
    ts.tv_sec = deadline / 1000000000;
    ts.tv_nsec = deadline % 1000000000;
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY),
             ETIMEDOUT);
    UT_ASSERT(now_ns(CLOCK_REALTIME) >= deadline, "woke before the realtime deadline");
    /* A deadline already past: at once. */
    ts.tv_sec = 0;
    ts.tv_nsec = 0;
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
}

UTEST_CASE(invalid_arguments) {
    word_a = 0;
    struct timespec bad = {0, 1000000000};
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_PRIVATE, 0, &bad, NULL, 0), EINVAL);
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), EINVAL); /* empty bitset */
    UT_ERRNO(futex(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0), EINVAL);
    UT_ERRNO(futex((uint32_t*)((char*)&word_a + 1), FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EINVAL);
    UT_ERRNO(futex(&word_a, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0), ENOSYS);
    UT_ERRNO(futex(&word_a, 99, 0, NULL, NULL, 0), ENOSYS);
    UT_ERRNO(futex(&word_a, FUTEX_REQUEUE_PRIVATE, (uint32_t)-1, (void*)1, &word_b, 0), EINVAL);
}

UTEST_CASE(bad_addresses_fault) {
    UT_ERRNO(futex(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
    UT_ERRNO(futex((uint32_t*)0xffff800000000000ull, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
    UT_ERRNO(futex(NULL, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT); /* shared keys need a mapping */
    struct timespec* bad_ts = (struct timespec*)8;
    word_a = 0;
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_PRIVATE, 0, bad_ts, NULL, 0), EFAULT);
}

UTEST_CASE(bitsets_select_waiters) {
    word_a = 0;
    struct waiter* w1 = start_waiter(&word_a, FUTEX_WAIT_BITSET_PRIVATE, 0, 0x1);
    struct waiter* w2 = start_waiter(&word_a, FUTEX_WAIT_BITSET_PRIVATE, 0, 0x2);
    settle();
    UT_EQ(futex(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 0x4), 0);
    UT_EQ(futex(&word_a, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 0x2), 1);
    expect_done(w2, 0);
    expect_asleep(w1);
    UT_EQ(futex(&word_a, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 1); /* plain wake: any bitset */
    expect_done(w1, 0);
}

UTEST_CASE(requeue_moves_waiters) {
    word_a = 0;
    word_b = 0;
    struct waiter* w[3];
    for (int i = 0; i < 3; i++)
        w[i] = start_waiter(&word_a, FUTEX_WAIT_PRIVATE, 0, 0);
    settle();
    /* Wake 1, move 1 (nr_requeue travels in the timeout argument). */
    UT_EQ(futex(&word_a, FUTEX_REQUEUE_PRIVATE, 1, (void*)1, &word_b, 0), 2);
    settle();
    UT_ERRNO(futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void*)5, &word_b, 7), EAGAIN);
    UT_EQ(futex(&word_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 1); /* the one moved */
    UT_EQ(futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void*)5, &word_b, 0), 1);
    UT_EQ(futex(&word_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 1);
    for (int i = 0; i < 3; i++)
        expect_done(w[i], 0);
}

UTEST_CASE(wake_op) {
    word_a = 0;
    word_b = 5;
    struct waiter* wa = start_waiter(&word_a, FUTEX_WAIT_PRIVATE, 0, 0);
    struct waiter* wb = start_waiter(&word_b, FUTEX_WAIT_PRIVATE, 5, 0);
    settle();
    /* word_b += 1 (old 5); wake word_a's waiter; wake word_b's if old > 4. */
    uint32_t op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 4);
    UT_EQ(futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void*)1, &word_b, op), 2);
    UT_EQ(word_b, 6);
    expect_done(wa, 0);
    expect_done(wb, 0);
    /* Comparison false: only the first futex is woken; OPARG_SHIFT sets bit 3. */
    op = FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_EQ, 0);
    UT_EQ(futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void*)1, &word_b, op), 0);
    UT_EQ(word_b, 6 | 8);
    UT_ERRNO(futex(&word_a, FUTEX_WAKE_OP_PRIVATE, 1, (void*)1, NULL, op), EFAULT);
}

UTEST_CASE(shared_futex_across_fork) {
    uint32_t* shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    UT_ASSERT(shared != MAP_FAILED, "mmap");
    shared[1] = 0;
    pid_t pid = ut_fork();
    if (pid == 0) {
        /* The child sleeps on the word until the parent changes it and wakes it. */
        while (__atomic_load_n(&shared[1], __ATOMIC_SEQ_CST) == 0) {
            long r = futex(&shared[1], FUTEX_WAIT, 0, NULL, NULL, 0);
            if (r < 0 && errno != EAGAIN && errno != EINTR)
                _exit(2);
        }
        _exit(__atomic_load_n(&shared[1], __ATOMIC_SEQ_CST) == 42 ? 0 : 3);
    }
    settle();
    __atomic_store_n(&shared[1], 42, __ATOMIC_SEQ_CST);
    long woken = futex(&shared[1], FUTEX_WAKE, 1, NULL, NULL, 0);
    int status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", ut_status_str(status));
    UT_EQ(woken, 1);
}

static void on_alarm(int sig) { (void)sig; }

UTEST_CASE(signal_interrupts_wait) {
    /* A handler without SA_RESTART: FUTEX_WAIT without a timeout returns EINTR. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    UT_OK(sigaction(SIGALRM, &sa, NULL));
    word_a = 0;
    alarm(1);
    UT_ERRNO(futex(&word_a, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EINTR);
}

/* --- robust lists -------------------------------------------------------------------------------- */
struct robust_mutex {
    struct robust_list list; /* at offset 0: futex_offset is 8 */
    uint32_t lock;
};

UTEST_CASE(set_and_get_robust_list) {
    struct robust_list_head head = {{&head.list}, 8, NULL};
    UT_ERRNO(syscall(SYS_set_robust_list, &head, sizeof head - 1), EINVAL);
    UT_OK(syscall(SYS_set_robust_list, &head, sizeof head));
    struct robust_list_head* got = NULL;
    size_t len = 0;
    UT_OK(syscall(SYS_get_robust_list, 0, &got, &len));
    UT_ASSERT(got == &head, "head %p", (void*)got);
    UT_EQ(len, sizeof head);
    UT_ERRNO(syscall(SYS_get_robust_list, 0x3fffffff, &got, &len), ESRCH);
}

UTEST_CASE(robust_list_owner_died) {
    /* Shared memory: the robust mutex and the list head of a child that dies holding the lock. */
    struct {
        struct robust_list_head head;
        struct robust_mutex m;
    }* s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    UT_ASSERT(s != MAP_FAILED, "mmap");
    pid_t pid = ut_fork();
    if (pid == 0) {
        s->head.list.next = &s->m.list;
        s->head.futex_offset = offsetof(struct robust_mutex, lock) - offsetof(struct robust_mutex, list);
        s->head.list_op_pending = NULL;
        s->m.list.next = &s->head.list;
        __atomic_store_n(&s->m.lock, (uint32_t)syscall(SYS_gettid) | FUTEX_WAITERS, __ATOMIC_SEQ_CST);
        if (syscall(SYS_set_robust_list, &s->head, sizeof s->head) != 0)
            _exit(2);
        _exit(0); /* dies holding the lock */
    }
    int status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", ut_status_str(status));
    uint32_t v = __atomic_load_n(&s->m.lock, __ATOMIC_SEQ_CST);
    UT_ASSERT(v == (FUTEX_OWNER_DIED | FUTEX_WAITERS), "lock word %#x", v);
}

UTEST_CASE(robust_death_wakes_a_waiter) {
    struct {
        struct robust_list_head head;
        struct robust_mutex m;
        _Atomic int ready;
    }* s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    UT_ASSERT(s != MAP_FAILED, "mmap");
    pid_t pid = ut_fork();
    if (pid == 0) {
        s->head.list.next = &s->m.list;
        s->head.futex_offset = offsetof(struct robust_mutex, lock);
        s->m.list.next = &s->head.list;
        __atomic_store_n(&s->m.lock, (uint32_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
        if (syscall(SYS_set_robust_list, &s->head, sizeof s->head) != 0)
            _exit(2);
        atomic_store(&s->ready, 1);
        while (!(__atomic_load_n(&s->m.lock, __ATOMIC_SEQ_CST) & FUTEX_WAITERS))
            sched_yield();
        _exit(0); /* a waiter is there: die holding the lock */
    }
    while (!atomic_load(&s->ready))
        sched_yield();
    uint32_t v = __atomic_or_fetch(&s->m.lock, FUTEX_WAITERS, __ATOMIC_SEQ_CST);
    long r;
    do {
        r = futex(&s->m.lock, FUTEX_WAIT, v, NULL, NULL, 0);
        v = __atomic_load_n(&s->m.lock, __ATOMIC_SEQ_CST);
    } while (!(v & FUTEX_OWNER_DIED) && (r == 0 || errno == EAGAIN || errno == EINTR));
    UT_ASSERT(v & FUTEX_OWNER_DIED, "lock word %#x", v);
    int status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", ut_status_str(status));
}

UTEST_CASE(pi_operations_are_unsupported_or_work) {
    /* Tern returns ENOSYS for the PI operations; Linux implements them. Either is fine for this suite,
     * but nothing else: on Linux, FUTEX_TRYLOCK_PI on a free word takes it. */
    word_a = 0;
    long r = futex(&word_a, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    UT_ASSERT(r == 0 || errno == ENOSYS, "r=%ld errno=%s", r, ut_errno_name(errno));
}
