// threads: POSIX threads and C++ std::thread on clone(CLONE_THREAD), futexes, TLS and exit_group:
// create/join with return values, a mutex-protected shared counter, condition variables, distinct
// thread IDs in one process, per-thread storage, and exit() from a thread ending the whole process.
#include "utest.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <vector>

static void* return_arg_plus_one(void* arg) { return (void*)((long)arg + 1); }

UTEST_CASE(create_and_join_return_value) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++)
        UT_EQ(pthread_create(&t[i], nullptr, return_arg_plus_one, (void*)(i * 10)), 0);
    for (long i = 0; i < 4; i++) {
        void* ret = nullptr;
        UT_EQ(pthread_join(t[i], &ret), 0);
        UT_EQ((long)ret, i * 10 + 1);
    }
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
enum { THREADS = 4, INCREMENTS = 20000 };

static void* add_to_counter(void*) {
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        if (i % 64 == 0)
            sched_yield(); /* invite contention inside the critical section */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return nullptr;
}

UTEST_CASE(mutex_protects_shared_counter) {
    pthread_t t[THREADS];
    for (auto& th : t)
        UT_EQ(pthread_create(&th, nullptr, add_to_counter, nullptr), 0);
    for (auto& th : t)
        UT_EQ(pthread_join(th, nullptr), 0);
    UT_EQ(counter, (long)THREADS * INCREMENTS);
}

UTEST_CASE(std_thread_and_atomic) {
    std::atomic<long> total{0};
    std::vector<std::thread> workers;
    for (int i = 0; i < THREADS; i++)
        workers.emplace_back([&total] {
            for (int n = 0; n < INCREMENTS; n++)
                total.fetch_add(1, std::memory_order_relaxed);
        });
    for (auto& w : workers)
        w.join();
    UT_EQ(total.load(), (long)THREADS * INCREMENTS);
}

UTEST_CASE(condition_variable_ping_pong) {
    std::mutex m;
    std::condition_variable cv;
    int turn = 0; // 0: main's turn, 1: the thread's
    int rounds = 0;
    std::thread other([&] {
        for (int i = 0; i < 200; i++) {
            std::unique_lock<std::mutex> lk(m);
            cv.wait(lk, [&] { return turn == 1; });
            rounds++;
            turn = 0;
            cv.notify_one();
        }
    });
    for (int i = 0; i < 200; i++) {
        std::unique_lock<std::mutex> lk(m);
        turn = 1;
        cv.notify_one();
        cv.wait(lk, [&] { return turn == 0; });
    }
    other.join();
    UT_EQ(rounds, 200);
}

static void* report_ids(void* out) {
    long* ids = static_cast<long*>(out);
    ids[0] = getpid();
    ids[1] = syscall(SYS_gettid);
    return nullptr;
}

UTEST_CASE(threads_share_pid_have_own_tid) {
    long ids[2] = {0, 0};
    pthread_t t;
    UT_EQ(pthread_create(&t, nullptr, report_ids, ids), 0);
    UT_EQ(pthread_join(t, nullptr), 0);
    UT_EQ(ids[0], getpid());
    UT_ASSERT(ids[1] != getpid() && ids[1] > 0, "thread's tid %ld, pid %d", ids[1], (int)getpid());
}

static thread_local int tls_value = 5;

UTEST_CASE(thread_local_storage_is_per_thread) {
    tls_value = 42;
    int seen_in_thread = -1;
    std::thread t([&] {
        seen_in_thread = tls_value; // a fresh copy, initialised from the template
        tls_value = 99;
    });
    t.join();
    UT_EQ(seen_in_thread, 5);
    UT_EQ(tls_value, 42);
}

UTEST_CASE(threads_share_memory_and_fds) {
    int p[2];
    UT_OK(pipe(p));
    static char* heap_text = nullptr;
    std::thread t([&] {
        heap_text = strdup("from the thread");
        write(p[1], "t", 1);
    });
    t.join();
    UT_ASSERT(heap_text && strcmp(heap_text, "from the thread") == 0, "heap not shared");
    char c = 0;
    UT_EQ(read(p[0], &c, 1), 1);
    UT_EQ(c, 't');
}

UTEST_CASE(exit_from_thread_ends_process) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        std::thread t([] { exit(33); });
        for (;;)
            pause(); // the main thread would wait forever: exit_group must end it
    }
    int status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 33, "%s", ut_status_str(status));
}

UTEST_CASE(main_thread_exit_waits_for_pthread_exit) {
    // The main thread calls pthread_exit; the process lives on until the last thread ends.
    int p[2];
    UT_OK(pipe(p));
    pid_t pid = ut_fork();
    if (pid == 0) {
        close(p[0]);
        pthread_t t;
        pthread_create(
            &t, nullptr,
            [](void* fd) -> void* {
                ut_sleep_ms(50);
                write((int)(long)fd, "late", 4);
                return nullptr;
            },
            (void*)(long)p[1]);
        pthread_exit(nullptr);
    }
    close(p[1]);
    char buf[8] = {0};
    UT_EQ(ut_read_all(p[0], buf, sizeof buf), 4);
    int status = ut_wait(pid);
    UT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", ut_status_str(status));
}

UTEST_CASE(signal_kills_all_threads) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        std::thread t([] {
            for (;;)
                pause();
        });
        for (;;)
            pause();
    }
    ut_sleep_ms(50);
    UT_OK(kill(pid, SIGTERM));
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "%s", ut_status_str(status));
}
