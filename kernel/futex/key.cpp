// Futex keys: which futex a user address names (Linux's get_futex_key).
//
// A private futex (FUTEX_PRIVATE_FLAG) is only ever used inside one address space: (mm, address) names
// it, and nothing needs looking up. A shared futex must be the same futex for every address space that
// maps the same memory, at whatever address: for a MAP_SHARED area it is named by the area's backing
// object (the file's inode, or the object behind shared anonymous memory) and the byte offset in it, so
// a parent and a child after fork, or two processes mapping one file, meet on it. Shared futexes on
// private memory fall back to (mm, address), but as a kind of their own: as in Linux, a shared wake does
// not wake a private waiter on the same word (glibc uses shared operations for the words the kernel
// wakes: CLONE_CHILD_CLEARTID and robust mutexes).
//
// The key names the backing object by address and holds no reference on it: a waiter whose mapping
// goes away while it sleeps can at worst be woken spuriously by a later object at the same address,
// which futex users must tolerate anyway (Linux guards inodes with a sequence number instead).
#include <fs/file.hpp>
#include <futex/futex.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm_struct.hpp>
#include <mm/shmem.hpp>
#include <mm/vma.hpp>
#include <sched/task.hpp>

Result<FutexKey> get_futex_key(uint64_t uaddr, unsigned flags) {
    if (uaddr % sizeof(uint32_t)) return Errno::EINVAL;
    if (!access_ok(uaddr, sizeof(uint32_t))) return Errno::EFAULT;
    MmStruct* mm = current()->mm;
    if (!mm) return Errno::EFAULT;
    FutexKey key;
    key.object = reinterpret_cast<uintptr_t>(mm);
    key.offset = uaddr;
    if (!(flags & FLAGS_SHARED)) {
        key.kind = FutexKeyKind::Private;
        return key;
    }
    MmapLockGuard guard(mm);
    VmArea* vma = vma_lookup(mm, uaddr);
    if (!vma || !(vma->flags & (VM_READ | VM_WRITE))) return Errno::EFAULT;
    if (!(vma->flags & VM_MAYSHARE)) {
        key.kind = FutexKeyKind::MmShared;
        return key;
    }
    uint64_t offset = (vma->pgoff_of(uaddr) << 12) | (uaddr & 0xfff);
    if (vma_is_shmem(vma)) {
        key.object = reinterpret_cast<uintptr_t>(vma->private_data);
    } else if (vma->file && vma->file->inode) {
        key.object = reinterpret_cast<uintptr_t>(vma->file->inode);
    } else {
        // A shared area with neither (a device mapping): private to this address space, as its pages.
        key.kind = FutexKeyKind::MmShared;
        return key;
    }
    key.kind = FutexKeyKind::Object;
    key.offset = offset;
    return key;
}
