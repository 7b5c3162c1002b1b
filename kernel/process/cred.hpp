#pragma once
// Credentials (Linux's struct cred): who a task is for permission checks. Shared between tasks until one
// changes its own (copy on write, as Linux does): setuid() and friends make a new Credentials.
#include <lib/atomic.hpp>
#include <lib/result.hpp>
#include <sched/task.hpp>
#include <stdint.h>

constexpr unsigned kMaxGroups = 32;

struct Credentials {
    uint32_t uid = 0, gid = 0;      // real
    uint32_t euid = 0, egid = 0;    // effective: what permission checks use
    uint32_t suid = 0, sgid = 0;    // saved set-IDs
    uint32_t fsuid = 0, fsgid = 0;  // file system checks (follow euid/egid unless set apart)
    uint32_t groups[kMaxGroups] = {};
    unsigned ngroups = 0;
    Atomic<int> usage{1};

    bool in_group(uint32_t group) const {
        if (group == fsgid) return true;
        for (unsigned i = 0; i < ngroups; i++)
            if (groups[i] == group) return true;
        return false;
    }
};

// The credentials of the boot tasks and kernel threads: root.
extern Credentials init_cred;

// --- Reference counting and replacement (process/cred.cpp) ------------------------------------------
// A task's credentials never change in place: a change builds a new Credentials (prepare_creds), edits
// it, and installs it (commit_creds). Readers therefore see a consistent set without locking as long as
// they hold a reference (or are the task itself).

// The credentials of `task` (init_cred for a task that has none yet).
inline Credentials* task_cred(const Task* task) { return task->cred ? task->cred : &init_cred; }
Credentials* current_cred();
inline Credentials* get_cred(Credentials* cred) {
    cred->usage.fetch_add(1, MemoryOrder::Relaxed);
    return cred;
}
void put_cred(Credentials* cred);
// Another task's credentials with a reference (put_cred when done): /proc reads them while the task may
// be replacing them. Takes the task's alloc_lock, which commit_creds holds while it swaps.
Credentials* get_task_cred(Task* task);
// A private copy of the current task's credentials (usage 1) to edit, or nullptr (ENOMEM).
Credentials* prepare_creds();
// Installs `cred` (from prepare_creds) as the current task's credentials, taking over its reference.
// Moves the task between the per-user process counts when the real uid changes.
void commit_creds(Credentials* cred);
// Drops an unused prepare_creds() result.
inline void abort_creds(Credentials* cred) { put_cred(cred); }
// Copies the ids and groups (not the reference count).
void copy_cred_ids(Credentials& dst, const Credentials& src);

// Processes (tasks, as Linux counts them) per real uid: RLIMIT_NPROC's count (Linux's ucounts).
Result<void> nproc_charge(uint32_t uid);  // +1; ENOMEM if the uid's counter cannot be created
void nproc_uncharge(uint32_t uid);        // -1
unsigned nproc_count(uint32_t uid);
