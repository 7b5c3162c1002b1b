// mincore(2): which pages of a range are resident. A page counts as resident when this address space
// maps it (the zero page and PROT_NONE pages included), as Linux reports anonymous memory; pages of a
// file that are in its page cache but not mapped here are reported as not resident (Tern's page cache
// has no lookup without creating yet).
#include <lib/uaccess.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>

Result<void> do_mincore(MmStruct* mm, uint64_t start, uint64_t pages, uint8_t* vec) {
    uint64_t end = start + pages * kPageSize;
    // The whole range must be mapped.
    for (uint64_t at = start; at < end;) {
        VmArea* vma = vma_lookup(mm, at);
        if (!vma) return Errno::ENOMEM;
        at = vma->end;
    }
    for (uint64_t i = 0; i < pages; i++) vec[i] = 0;
    walk_user_ptes(mm->pgd, start, end, [&](uint64_t addr, UserPte&) {
        vec[(addr - start) >> kPageShift] = 1;
        return PteAction::Keep;
    });
    return {};
}

SYSCALL_DEFINE3(mincore, uint64_t, start, uint64_t, len, UserPtr<uint8_t>, vec) {
    if (start & (kPageSize - 1)) return -long(Errno::EINVAL);
    uint64_t pages = page_align_up(len) >> kPageShift;
    if (len && !pages) return -long(Errno::ENOMEM);
    if (start > TASK_SIZE || pages > (TASK_SIZE - start) >> kPageShift) return -long(Errno::ENOMEM);
    if (!access_ok(vec.address(), pages)) return -long(Errno::EFAULT);
    MmStruct* mm = current()->mm;
    if (!mm) return -long(Errno::ENOMEM);
    // In chunks: the mmap lock must not be held while copying to user memory (that may fault).
    constexpr uint64_t kChunk = 256;
    uint8_t buffer[kChunk];
    for (uint64_t done = 0; done < pages;) {
        uint64_t n = pages - done < kChunk ? pages - done : kChunk;
        Result<void> r;
        {
            MmapLockGuard guard(mm);
            r = do_mincore(mm, start + done * kPageSize, n, buffer);
        }
        if (r.is_error()) return -long(r.error());
        if (Result<void> c = copy_to_user(vec.offset(int64_t(done)).cast<void>(), buffer, n); c.is_error())
            return -long(c.error());
        done += n;
    }
    return 0;
}
