#pragma once
// The waiting side of poll(2) and select(2) (Linux's poll_wqueues): a PollTable whose queueing function
// puts one entry per wait queue a polled file offers on that queue; any wake-up on one of them marks
// the poller triggered and wakes it, and it then polls every file again.
//
// Use: pass table() to the first round of vfs_poll calls (none after one reported an event), then
// sleep with schedule() until triggered, a signal, or the deadline; release() (the destructor) takes
// every entry off its queue and drops the file references the entries hold.
#include <fs/poll.hpp>
#include <sched/wait.hpp>
#include <stdint.h>

constexpr int64_t kPollForever = -1;  // a deadline that never comes
constexpr int64_t kPollNoWait = 0;    // poll once, do not sleep

class PollWaits {
public:
    PollWaits();
    ~PollWaits();
    PollWaits(const PollWaits&) = delete;
    PollWaits& operator=(const PollWaits&) = delete;

    PollTable* table() { return &table_; }
    // ENOMEM when an entry could not be allocated (the poller must not sleep on a queue it is not on).
    int error() const { return error_; }
    // Sleeps (interruptibly) until a queue it is on is woken or `deadline` (ktime ns; kPollForever)
    // passes. Returns false once the deadline has passed.
    bool schedule(int64_t deadline);

    struct Entry;
    struct Chunk;

private:
    static void queue_proc(File* file, WaitQueueHead& wq, PollTable* table);
    static int wake(WaitQueueEntry* wait, unsigned mode, int wake_flags, void* key);
    Entry* alloc_entry();

    PollTable table_;  // first: the queueing function finds the PollWaits from it
    Task* task_;
    bool triggered_ = false;  // set by wake(), atomically
    int error_ = 0;
    Chunk* chunks_ = nullptr;
};

// ktime ns `timeout_ns` from now, as a deadline (kPollNoWait for 0).
int64_t poll_deadline_after(int64_t timeout_ns);
