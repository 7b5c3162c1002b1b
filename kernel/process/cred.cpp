// Credentials: the boot credentials, copy-on-write replacement, and the per-user process counts behind
// RLIMIT_NPROC.
#include <lib/list.hpp>
#include <locking/spinlock.hpp>
#include <mm/slab.hpp>
#include <process/cred.hpp>

// Root. Its count starts high so that no sequence of put_cred() can free it.
Credentials init_cred{.usage{1 << 30}};

void copy_cred_ids(Credentials& dst, const Credentials& src) {
    dst.uid = src.uid, dst.gid = src.gid;
    dst.euid = src.euid, dst.egid = src.egid;
    dst.suid = src.suid, dst.sgid = src.sgid;
    dst.fsuid = src.fsuid, dst.fsgid = src.fsgid;
    dst.ngroups = src.ngroups;
    for (unsigned i = 0; i < src.ngroups; i++) dst.groups[i] = src.groups[i];
}

void put_cred(Credentials* cred) {
    if (cred->usage.fetch_sub(1, MemoryOrder::AcqRel) == 1) kdelete(cred);
}

Credentials* current_cred() { return task_cred(current()); }

Credentials* prepare_creds() {
    Credentials* cred = knew<Credentials>();
    if (cred) copy_cred_ids(*cred, *current_cred());
    return cred;
}

Credentials* get_task_cred(Task* task) {
    SpinLockIrqSaveGuard guard(task->alloc_lock);
    return get_cred(task_cred(task));
}

void commit_creds(Credentials* cred) {
    Task* self = current();
    Credentials* old = task_cred(self);
    if (cred->uid != old->uid) {
        // The task moves to the new user's count. nproc_charge() cannot fail for a uid that already
        // has processes; for a new uid it may (ENOMEM), and then the task is simply not counted
        // (RLIMIT_NPROC errs on the generous side rather than failing setuid after its checks).
        if (nproc_charge(cred->uid)) nproc_uncharge(old->uid);
    }
    bool had_reference = self->cred != nullptr;  // task_cred() lends init_cred to tasks without one
    {
        SpinLockIrqSaveGuard guard(self->alloc_lock);  // get_task_cred() readers on other CPUs
        self->cred = cred;
    }
    if (had_reference) put_cred(old);
}

// --- Processes per user ------------------------------------------------------------------------------

namespace {

struct UserCount {
    uint32_t uid;
    unsigned processes;
    ListNode node;
};

SpinLock user_counts_lock;
IntrusiveList<UserCount, &UserCount::node> user_counts;

UserCount* find_user_locked(uint32_t uid) {
    for (UserCount& u : user_counts)
        if (u.uid == uid) return &u;
    return nullptr;
}

}  // namespace

Result<void> nproc_charge(uint32_t uid) {
    {
        SpinLockIrqSaveGuard guard(user_counts_lock);
        if (UserCount* u = find_user_locked(uid)) {
            u->processes++;
            return {};
        }
    }
    UserCount* fresh = knew<UserCount>();
    if (!fresh) return Errno::ENOMEM;
    fresh->uid = uid;
    fresh->processes = 0;
    SpinLockIrqSaveGuard guard(user_counts_lock);
    UserCount* u = find_user_locked(uid);  // someone may have added it meanwhile
    if (!u) {
        user_counts.push_back(*fresh);
        u = fresh;
        fresh = nullptr;
    }
    u->processes++;
    if (fresh) {
        // Freed outside the lock would be nicer, but kfree never sleeps.
        kdelete(fresh);
    }
    return {};
}

void nproc_uncharge(uint32_t uid) {
    UserCount* dead = nullptr;
    {
        SpinLockIrqSaveGuard guard(user_counts_lock);
        UserCount* u = find_user_locked(uid);
        if (!u || u->processes == 0) return;
        if (--u->processes == 0) {
            user_counts.remove(*u);
            dead = u;
        }
    }
    kdelete(dead);
}

unsigned nproc_count(uint32_t uid) {
    SpinLockIrqSaveGuard guard(user_counts_lock);
    UserCount* u = find_user_locked(uid);
    return u ? u->processes : 0;
}
