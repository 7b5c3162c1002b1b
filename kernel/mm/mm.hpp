#pragma once
// User address spaces (Linux's mm_struct and its VMAs). Contract between the memory manager (mm/),
// the process lifecycle (process/: fork, exec, exit) and the syscall layer; implemented in mm/.
#include <lib/result.hpp>
#include <stdint.h>

struct MmStruct;
struct File;
struct Task;

// Linux's values (asm-generic/mman-common.h, mman.h).
constexpr int PROT_NONE = 0x0, PROT_READ = 0x1, PROT_WRITE = 0x2, PROT_EXEC = 0x4;
constexpr int PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
constexpr int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_FIXED = 0x10,
              MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x0100, MAP_DENYWRITE = 0x0800, MAP_EXECUTABLE = 0x1000,
              MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_NONBLOCK = 0x10000,
              MAP_STACK = 0x20000, MAP_HUGETLB = 0x40000, MAP_FIXED_NOREPLACE = 0x100000;

// The user half of the address space: [0, TASK_SIZE). (Linux's 47-bit layout; the last page below the
// canonical hole stays unmapped.)
constexpr uint64_t TASK_SIZE = 0x00007ffffffff000ull;

// An empty address space: no VMAs, the kernel half shared with every other.
Result<MmStruct*> mm_alloc();
void mmget(MmStruct* mm);
void mmput(MmStruct* mm);  // the last reference frees VMAs, pages and page tables

// fork: a copy of `old` following the seeds' copy_mm: MAP_SHARED and read-only private pages are
// shared, writable private pages become copy-on-write (VMA writable, PTE read-only) in both.
Result<MmStruct*> dup_mm(MmStruct* old);

// Loads `next` on this CPU (CR3). Called by the scheduler's context switch when the address space
// changes (a kernel thread keeps using the previous task's: active_mm). The CPU holds a reference on
// the address space it has loaded: switch_mm takes one on `next`; the caller drops the one on `prev`
// (mmdrop, mm_struct.hpp) once it no longer runs on it.
void switch_mm(MmStruct* prev, MmStruct* next);
// exec: the current task (a process, or a kernel thread becoming one) switches to `mm`, whose user
// reference it hands over, and drops its old address space if it had one.
void exec_mmap(MmStruct* mm);

// Maps a region of `mm` (mmap's semantics: MAP_FIXED, hints, file pages from the page cache at `pgoff`
// pages into `file`, anonymous zero-fill-on-demand). Returns the address.
Result<uint64_t> vm_mmap(MmStruct* mm, uint64_t addr, uint64_t len, int prot, int flags, File* file, uint64_t pgoff);
Result<void> vm_munmap(MmStruct* mm, uint64_t addr, uint64_t len);

// Where things are, for exec, brk and /proc/<pid>/{stat,cmdline,environ,maps}.
struct MmLayout {
    uint64_t start_code, end_code, start_data, end_data;
    uint64_t start_brk, brk, start_stack;
    uint64_t arg_start, arg_end, env_start, env_end;
};
MmLayout& mm_layout(MmStruct* mm);

// Resident pages and total mapped size, for /proc and getrusage.
uint64_t mm_rss_pages(const MmStruct* mm);
uint64_t mm_total_vm_pages(const MmStruct* mm);
