// Wait-queue operations. See sched/wait.hpp for the rules.
#include <sched/wait.hpp>

void __add_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry) {
    entry.head = &wq;
    wq.list.push_front(entry);
}

void __add_wait_queue_entry_tail(WaitQueueHead& wq, WaitQueueEntry& entry) {
    entry.head = &wq;
    wq.list.push_back(entry);
}

void __remove_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry) {
    wq.list.remove(entry);
    entry.head = nullptr;
}

void add_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry) {
    SpinLockIrqSaveGuard guard(wq.lock);
    entry.flags &= ~WQ_FLAG_EXCLUSIVE;
    __add_wait_queue(wq, entry);
}

void add_wait_queue_exclusive(WaitQueueHead& wq, WaitQueueEntry& entry) {
    SpinLockIrqSaveGuard guard(wq.lock);
    entry.flags |= WQ_FLAG_EXCLUSIVE;
    __add_wait_queue_entry_tail(wq, entry);
}

void remove_wait_queue(WaitQueueHead& wq, WaitQueueEntry& entry) {
    SpinLockIrqSaveGuard guard(wq.lock);
    if (entry.node.linked()) __remove_wait_queue(wq, entry);
}

// The state is set with the queue lock held, after queueing: a waker that takes the lock after us sees
// the entry and (through try_to_wake_up) the new state.
void prepare_to_wait(WaitQueueHead& wq, WaitQueueEntry& entry, unsigned state) {
    SpinLockIrqSaveGuard guard(wq.lock);
    entry.flags &= ~WQ_FLAG_EXCLUSIVE;
    if (!entry.node.linked()) __add_wait_queue(wq, entry);
    set_current_state(state);
}

void prepare_to_wait_exclusive(WaitQueueHead& wq, WaitQueueEntry& entry, unsigned state) {
    SpinLockIrqSaveGuard guard(wq.lock);
    entry.flags |= WQ_FLAG_EXCLUSIVE;
    if (!entry.node.linked()) __add_wait_queue_entry_tail(wq, entry);
    set_current_state(state);
}

// Always under the lock: Linux peeks at the entry locklessly first, but a waker may still be writing
// to an entry it is unlinking, and the entry lives on our stack, which we are about to leave.
void finish_wait(WaitQueueHead& wq, WaitQueueEntry& entry) {
    __set_current_state(TASK_RUNNING);
    SpinLockIrqSaveGuard guard(wq.lock);
    if (entry.node.linked()) __remove_wait_queue(wq, entry);
}

int default_wake_function(WaitQueueEntry* entry, unsigned mode, int wake_flags, void*) {
    return try_to_wake_up(entry->task, mode, unsigned(wake_flags)) ? 1 : 0;
}

int autoremove_wake_function(WaitQueueEntry* entry, unsigned mode, int wake_flags, void* key) {
    int woken = default_wake_function(entry, mode, wake_flags, key);
    if (woken) __remove_wait_queue(*entry->head, *entry);
    return woken;
}

int __wake_up_locked(WaitQueueHead& wq, unsigned mode, int nr_exclusive, void* key) {
    int woken = 0;
    // The wake function may unlink its own entry (autoremove), never another: walk with the successor
    // fetched first.
    ListNode* head = wq.list.end().node();
    for (ListNode* n = head->next; n != head;) {
        ListNode* next = n->next;
        WaitQueueEntry* entry = wq.list.owner(n);
        unsigned flags = entry->flags;  // read before the call: a woken entry may go away
        int ret = entry->func(entry, mode, 0, key);
        if (ret < 0) break;
        if (ret) {
            woken++;
            if ((flags & WQ_FLAG_EXCLUSIVE) && --nr_exclusive == 0) break;
        }
        n = next;
    }
    return woken;
}

int __wake_up(WaitQueueHead& wq, unsigned mode, int nr_exclusive, void* key) {
    SpinLockIrqSaveGuard guard(wq.lock);
    return __wake_up_locked(wq, mode, nr_exclusive, key);
}
