// /proc/meminfo (Linux's fs/proc/meminfo.c): every line Linux 6.1 prints on x86-64, in its order, so
// tools that look lines up by name (free, top, ps) and those that read them by position both work.
// Values Tern does not have (swap, huge pages, page-cache LRU lists) are 0, which is what they are.
#include <fs/proc/internal.hpp>
#include <arch/thread.hpp>
#include <mm/gfp.hpp>
#include <mm/slab.hpp>
#include <sched/pid.hpp>

namespace {

void show_kb(SeqBuf& m, const char* label, uint64_t kb) { m.printf("%-16s%8llu kB\n", label, (unsigned long long)kb); }
void show_pages(SeqBuf& m, const char* label, uint64_t pages) { show_kb(m, label, pages * 4); }

}  // namespace

Result<void> proc_meminfo_show(SeqBuf& m, ProcInode*) {
    uint64_t total = totalram_pages();
    uint64_t free = nr_free_pages();
    uint64_t slab = slab_nr_pages();
    // Kernel stacks: one per task, plus the idle tasks' (kThreadSize each).
    uint64_t stacks_kb = uint64_t(nr_tasks()) * (arch::kThreadSize / 1024);
    show_pages(m, "MemTotal:", total);
    show_pages(m, "MemFree:", free);
    // Nothing Tern caches can be dropped on demand yet: what is free is what is available.
    show_pages(m, "MemAvailable:", free);
    show_kb(m, "Buffers:", 0);
    show_kb(m, "Cached:", 0);
    show_kb(m, "SwapCached:", 0);
    show_kb(m, "Active:", 0);
    show_kb(m, "Inactive:", 0);
    show_kb(m, "Active(anon):", 0);
    show_kb(m, "Inactive(anon):", 0);
    show_kb(m, "Active(file):", 0);
    show_kb(m, "Inactive(file):", 0);
    show_kb(m, "Unevictable:", 0);
    show_kb(m, "Mlocked:", 0);
    show_kb(m, "SwapTotal:", 0);
    show_kb(m, "SwapFree:", 0);
    show_kb(m, "Zswap:", 0);
    show_kb(m, "Zswapped:", 0);
    show_kb(m, "Dirty:", 0);
    show_kb(m, "Writeback:", 0);
    show_kb(m, "AnonPages:", 0);
    show_kb(m, "Mapped:", 0);
    show_kb(m, "Shmem:", 0);
    show_kb(m, "KReclaimable:", 0);
    show_pages(m, "Slab:", slab);
    show_kb(m, "SReclaimable:", 0);
    show_pages(m, "SUnreclaim:", slab);
    show_kb(m, "KernelStack:", stacks_kb);
    show_kb(m, "PageTables:", 0);
    show_kb(m, "SecPageTables:", 0);
    show_kb(m, "NFS_Unstable:", 0);
    show_kb(m, "Bounce:", 0);
    show_kb(m, "WritebackTmp:", 0);
    // Linux's heuristic overcommit limit with the default ratio of 50% and no swap.
    show_pages(m, "CommitLimit:", total / 2);
    show_kb(m, "Committed_AS:", 0);
    show_kb(m, "VmallocTotal:", 34359738367ull);  // the x86-64 vmalloc area: 32 TiB - 1 KiB
    show_kb(m, "VmallocUsed:", 0);
    show_kb(m, "VmallocChunk:", 0);
    show_kb(m, "Percpu:", 0);
    m.printf("HardwareCorrupted: %5llu kB\n", 0ull);
    show_kb(m, "AnonHugePages:", 0);
    show_kb(m, "ShmemHugePages:", 0);
    show_kb(m, "ShmemPmdMapped:", 0);
    show_kb(m, "FileHugePages:", 0);
    show_kb(m, "FilePmdMapped:", 0);
    m.puts("HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n"
           "HugePages_Surp:        0\n");
    show_kb(m, "Hugepagesize:", 2048);
    show_kb(m, "Hugetlb:", 0);
    return {};
}
