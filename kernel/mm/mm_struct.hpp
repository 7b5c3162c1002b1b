#pragma once
// MmStruct: one user address space (Linux's mm_struct): its page table, its areas, the mmap lock that
// serialises every change to both, reference counts, the layout exec and brk keep, and counters.
//
// Two reference counts, as Linux:
//   mm_users  tasks (and /proc readers) using the address space: Task::mm holds one. When the last
//             goes (mmput), the areas, their pages and the user half's page tables are freed at once.
//   mm_count  holders of the MmStruct itself: all users together hold one, and so does every CPU that
//             has the page table loaded (also while a kernel thread runs on it: lazy TLB). When the
//             last goes (mmdrop), the page-table root and the struct are freed.
//
// Lock order: mmap_lock, then the page allocator's and kmalloc's locks; a ShmemObject's lock and the
// page cache's lock nest inside mmap_lock. A page fault takes mmap_lock, so nothing may touch user
// memory while holding it (copy_to_user and friends run after it is released).
#include <lib/atomic.hpp>
#include <locking/mutex.hpp>
#include <mm/mm.hpp>
#include <mm/page.hpp>
#include <mm/user_pgtable.hpp>
#include <mm/vma.hpp>
#include <stdint.h>

struct File;

struct MmStruct {
    PgdHandle pgd = 0;
    VmaTree vmas;
    // Serialises changes to the areas and the page table (Linux's mmap_lock, a rwsem there; a mutex
    // here: faults of different threads of one process take turns).
    Mutex mmap_lock;

    Atomic<int> mm_users{1};
    Atomic<int> mm_count{1};

    MmLayout layout{};
    uint64_t mmap_base = 0;   // top-down mmap searches start below this (under the stack's gap)
    uint64_t task_size = TASK_SIZE;

    uint64_t total_vm = 0;        // pages in areas (mmap lock)
    Atomic<uint64_t> rss{0};      // pages mapped that are not the zero page (readable without the lock)
    uint64_t hiwater_rss = 0;     // highest rss seen (ru_maxrss)

    // The program exec loaded into this address space (/proc/<pid>/exe), referenced; fork's copy
    // takes a reference of its own, and the last mmput drops it. Set before the address space is
    // visible to anyone else and never changed, so a holder of a user reference may read it.
    File* exe_file = nullptr;

    // CPUs that have this page table loaded (bit = CPU id): TLB shootdowns go to these.
    Atomic<uint64_t> cpu_mask{0};
};

// --- reference counting --------------------------------------------------------------------------
inline void mmgrab(MmStruct* mm) { mm->mm_count.fetch_add(1, MemoryOrder::Relaxed); }
void mmdrop(MmStruct* mm);
// Takes a user reference unless the address space is already being torn down (for /proc readers).
bool mmget_not_zero(MmStruct* mm);
// The address space of `task` with a user reference (mmput when done), or nullptr for kernel threads
// and tasks past exit_mm (Linux's get_task_mm). Safe on any task the caller holds a reference to.
MmStruct* get_task_mm(Task* task);

// The executable of `mm` with a reference (unref when done), or nullptr. The caller holds a user
// reference on `mm` (Linux's get_mm_exe_file).
File* get_mm_exe_file(MmStruct* mm);
// Makes `file` (may be null) the executable of a new address space, taking a reference.
void set_mm_exe_file(MmStruct* mm, File* file);

// --- the mmap lock (names as Linux's; all take the one mutex) ------------------------------------
inline void mmap_write_lock(MmStruct* mm) { mm->mmap_lock.lock(); }
inline void mmap_write_unlock(MmStruct* mm) { mm->mmap_lock.unlock(); }
inline void mmap_read_lock(MmStruct* mm) { mm->mmap_lock.lock(); }
inline void mmap_read_unlock(MmStruct* mm) { mm->mmap_lock.unlock(); }

class [[nodiscard]] MmapLockGuard {
public:
    explicit MmapLockGuard(MmStruct* mm) : mm_(mm) { mmap_write_lock(mm_); }
    ~MmapLockGuard() { mmap_write_unlock(mm_); }
    MmapLockGuard(const MmapLockGuard&) = delete;
    MmapLockGuard& operator=(const MmapLockGuard&) = delete;

private:
    MmStruct* mm_;
};

// --- task side (process/ and sched/ call these) ---------------------------------------------------
// The scheduler's part of a context switch (Linux's context_switch mm handling): a task with an address
// space gets it loaded; a kernel thread keeps what is loaded (active_mm). Returns the address space
// this CPU stopped using, whose CPU reference the scheduler must mmdrop() once the switch is complete,
// or nullptr. Interrupts off, runqueue lock held.
MmStruct* context_switch_mm(Task* prev, Task* next);
// exit: the current task stops using its address space and drops its user reference. It keeps running
// on the page table (this CPU's reference keeps it) until its last switch away.
void exit_mm();

// Where a new address space's mmap area starts: below the stack, leaving room for it to grow to
// RLIMIT_STACK plus the guard gap (at least 128 MiB, as Linux), page-aligned.
uint64_t mmap_base_for(uint64_t stack_rlimit);
// The top of the user stack exec sets up (Linux without randomisation: the end of the user half).
constexpr uint64_t STACK_TOP = TASK_SIZE;

// Tears down every area and page of `mm` (exit_mmap; used by mmput and on failed dup_mm).
void exit_mmap(MmStruct* mm);

// Counters kept with the page table (mmap lock held).
void mm_inc_rss(MmStruct* mm);
inline void mm_dec_rss(MmStruct* mm) { mm->rss.fetch_sub(1, MemoryOrder::Relaxed); }
