#pragma once
// The poll side of a file (Linux's poll_table): a file's poll operation calls poll_wait() for every
// wait queue whose wake-ups may change its answer, then returns the events ready now (POLLIN, ...).
// poll(2), select(2) and epoll supply the queueing function (it adds an entry of theirs to the queue);
// a null table only asks what is ready.
#include <fs/file.hpp>
#include <sched/wait.hpp>

struct PollTable {
    void (*queue_proc)(File* file, WaitQueueHead& wq, PollTable* table);
};

inline void poll_wait(File* file, WaitQueueHead& wq, PollTable* table) {
    if (table && table->queue_proc) table->queue_proc(file, wq, table);
}
