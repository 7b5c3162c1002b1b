// Shared anonymous memory objects (shmem.hpp).
#include <lib/atomic.hpp>
#include <lib/rbtree.hpp>
#include <locking/mutex.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <mm/shmem.hpp>
#include <mm/slab.hpp>
#include <mm/vma.hpp>

namespace {

struct ShmemPage {
    uint64_t index;
    Page* page;  // the object's reference
    RbNode node;
};
struct ByIndex {
    bool operator()(const ShmemPage& a, const ShmemPage& b) const { return a.index < b.index; }
};

// Areas hold references (one each); the pages are freed with the last one. `lock` serialises lookups
// that may insert: faults from different address spaces (parent and child) race on one object.
struct ShmemObject {
    Atomic<int> refs{1};
    uint64_t size_pages = 0;
    Mutex lock;
    RbTree<ShmemPage, &ShmemPage::node, ByIndex> pages;
};

ShmemObject* object_of(const VmArea* vma) { return static_cast<ShmemObject*>(vma->private_data); }

void shmem_open(VmArea* vma) { object_of(vma)->refs.fetch_add(1, MemoryOrder::Relaxed); }

void shmem_close(VmArea* vma) {
    ShmemObject* obj = object_of(vma);
    if (obj->refs.fetch_sub(1, MemoryOrder::AcqRel) != 1) return;
    while (ShmemPage* entry = obj->pages.pop_first()) {
        put_page(entry->page);
        kdelete(entry);
    }
    kdelete(obj);
}

Result<Page*> shmem_fault(VmArea* vma, uint64_t pgoff) {
    ShmemObject* obj = object_of(vma);
    if (pgoff >= obj->size_pages) return Errno::EFAULT;
    MutexGuard guard(obj->lock);
    ShmemPage* entry = obj->pages.find([pgoff](const ShmemPage& p) {
        return pgoff < p.index ? -1 : pgoff > p.index ? 1 : 0;
    });
    if (!entry) {
        entry = knew<ShmemPage>();
        if (!entry) return Errno::ENOMEM;
        entry->index = pgoff;
        entry->page = alloc_pages(GFP_KERNEL | GFP_ZERO, 0);
        if (!entry->page) {
            kdelete(entry);
            return Errno::ENOMEM;
        }
        obj->pages.insert(*entry);
    }
    get_page(entry->page);
    return entry->page;
}

const VmOperations shmem_anon_vm_ops = {
    .open = shmem_open,
    .close = shmem_close,
    .fault = shmem_fault,
    .name = "/dev/zero (deleted)",
};

}  // namespace

Result<void> shmem_zero_setup(VmArea* vma) {
    ShmemObject* obj = knew<ShmemObject>();
    if (!obj) return Errno::ENOMEM;
    obj->size_pages = vma->pages();
    vma->vm_ops = &shmem_anon_vm_ops;
    vma->private_data = obj;
    vma->pgoff = 0;
    return {};
}

bool vma_is_shmem(const VmArea* vma) { return vma->vm_ops == &shmem_anon_vm_ops; }

uint64_t shmem_nr_pages(const VmArea* vma) {
    ShmemObject* obj = object_of(vma);
    MutexGuard guard(obj->lock);
    return obj->pages.size();
}
