// poll(2)/select(2)'s wait-queue entries (see poll_wait.hpp).
#include <fs/poll_wait.hpp>
#include <lib/errno.hpp>
#include <mm/slab.hpp>
#include <sched/timeout.hpp>
#include <time/clocksource_api.hpp>
#include <time/jiffies.hpp>
#include <type_traits>

struct PollWaits::Entry {
    WaitQueueEntry wait;  // first: the wake function gets &wait
    WaitQueueHead* head;
    File* file;           // a reference, so the queue outlives the entry
    PollWaits* owner;
};
static_assert(std::is_standard_layout_v<PollWaits::Entry>);

struct PollWaits::Chunk {
    static constexpr unsigned kEntries = 24;
    Chunk* next;
    unsigned used;
    Entry entries[kEntries];
};

PollWaits::PollWaits() : task_(current()) { table_.queue_proc = queue_proc; }

PollWaits::~PollWaits() {
    while (Chunk* c = chunks_) {
        for (unsigned i = 0; i < c->used; i++) {
            Entry& e = c->entries[i];
            remove_wait_queue(*e.head, e.wait);
            e.file->unref();
            e.~Entry();
        }
        chunks_ = c->next;
        kfree(c);
    }
}

PollWaits::Entry* PollWaits::alloc_entry() {
    if (!chunks_ || chunks_->used == Chunk::kEntries) {
        auto* c = static_cast<Chunk*>(kmalloc(sizeof(Chunk)));
        if (!c) return nullptr;
        c->next = chunks_;
        c->used = 0;
        chunks_ = c;
    }
    return &chunks_->entries[chunks_->used++];
}

void PollWaits::queue_proc(File* file, WaitQueueHead& wq, PollTable* table) {
    PollWaits* self = reinterpret_cast<PollWaits*>(table);
    Entry* e = self->alloc_entry();
    if (!e) {
        self->error_ = int(Errno::ENOMEM);
        __atomic_store_n(&self->triggered_, true, __ATOMIC_SEQ_CST);
        return;
    }
    new (e) Entry{};
    e->wait.task = self->task_;
    e->wait.func = wake;
    e->head = &wq;
    file->ref();
    e->file = file;
    e->owner = self;
    add_wait_queue(wq, e->wait);
}

int PollWaits::wake(WaitQueueEntry* wait, unsigned mode, int wake_flags, void* key) {
    Entry* e = reinterpret_cast<Entry*>(wait);
    // The flag before the wake-up: the poller checks it after setting its state (see schedule()).
    __atomic_store_n(&e->owner->triggered_, true, __ATOMIC_SEQ_CST);
    return default_wake_function(wait, mode, wake_flags, key);
}

bool PollWaits::schedule(int64_t deadline) {
    if (deadline == kPollNoWait) return false;
    set_current_state(TASK_INTERRUPTIBLE);
    if (!__atomic_load_n(&triggered_, __ATOMIC_SEQ_CST)) {
        long ticks = MAX_SCHEDULE_TIMEOUT;
        if (deadline != kPollForever) {
            int64_t left = deadline - int64_t(ktime_get_ns());
            if (left <= 0) {
                __set_current_state(TASK_RUNNING);
                return false;
            }
            // Whole ticks, rounded up, plus one: the current tick is already partly over.
            constexpr int64_t kTickNs = 1000000000 / HZ;
            ticks = long((left + kTickNs - 1) / kTickNs) + 1;
        }
        schedule_timeout(ticks);
    }
    __set_current_state(TASK_RUNNING);
    __atomic_store_n(&triggered_, false, __ATOMIC_SEQ_CST);
    return deadline == kPollForever || int64_t(ktime_get_ns()) < deadline;
}

int64_t poll_deadline_after(int64_t timeout_ns) {
    if (timeout_ns <= 0) return kPollNoWait;
    int64_t now = int64_t(ktime_get_ns());
    if (timeout_ns > INT64_MAX - now) return kPollForever;
    return now + timeout_ns;
}
