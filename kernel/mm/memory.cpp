// Faults, zapping and remote access on user address spaces (see memory.hpp).
//
// Who owns what. Every entry that maps an allocator page holds one reference to it (page_count), and
// counts once in mm->rss. The zero page is mapped without a reference. A private area's page whose
// count is one belongs to that entry alone, so a write fault may take it over instead of copying it
// (an anonymous page after the other side of a fork let go of it); any other count means someone else
// sees the page too (the other process after fork, the page cache), and the writer gets a copy.
#include <lib/string.hpp>
#include <mm/gfp.hpp>
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <mm/page.hpp>
#include <mm/tlb.hpp>

namespace {

// The zero page lives in the kernel image (reserved: never handed out, never freed).
alignas(4096) uint8_t empty_zero_page[4096];

UserPte make_pte(const VmArea* vma, uint64_t pfn, bool writable) {
    UserPte pte;
    pte.pfn = pfn;
    pte.accessible = true;
    pte.writable = writable;
    pte.executable = vma->flags & VM_EXEC;
    return pte;
}

void copy_user_page(Page* dst, uint64_t src_pfn) {
    memcpy(page_address(dst), arch::phys_to_virt(src_pfn << kPageShift), kPageSize);
}

// Installs a new entry; `page` (nullable) carries the reference the entry will own.
VmFault install(MmStruct* mm, uint64_t addr, const UserPte& pte, Page* page) {
    if (arch::user_pte_set(mm->pgd, addr, pte).is_error()) {
        if (page) put_page(page);
        return VmFault::Oom;
    }
    if (page) mm_inc_rss(mm);
    return VmFault::Done;
}

VmFault do_anonymous_page(MmStruct* mm, VmArea* vma, uint64_t addr, unsigned flags) {
    if (!(flags & FAULT_FLAG_WRITE)) return install(mm, addr, make_pte(vma, zero_pfn(), false), nullptr);
    Page* page = alloc_pages(GFP_KERNEL | GFP_ZERO, 0);
    if (!page) return VmFault::Oom;
    return install(mm, addr, make_pte(vma, page_to_pfn(page), true), page);
}

VmFault do_backed_page(MmStruct* mm, VmArea* vma, uint64_t addr, unsigned flags) {
    Result<Page*> got = vma->vm_ops->fault(vma, vma->pgoff_of(addr));
    if (got.is_error()) return got.error() == Errno::ENOMEM ? VmFault::Oom : VmFault::Sigbus;
    Page* page = got.value();
    if (vma->is_shared()) return install(mm, addr, make_pte(vma, page_to_pfn(page), vma->flags & VM_WRITE), page);
    if (!(flags & FAULT_FLAG_WRITE)) return install(mm, addr, make_pte(vma, page_to_pfn(page), false), page);
    // A write to a private mapping: this address space gets its own copy at once.
    Page* copy = alloc_pages(GFP_KERNEL, 0);
    if (!copy) {
        put_page(page);
        return VmFault::Oom;
    }
    copy_user_page(copy, page_to_pfn(page));
    put_page(page);
    return install(mm, addr, make_pte(vma, page_to_pfn(copy), true), copy);
}

// A write to a present, read-only entry of a writable area.
VmFault do_wp_page(MmStruct* mm, VmArea* vma, uint64_t addr, UserPte pte) {
    Page* old = vm_normal_page(pte);
    if (vma->is_shared() || (old && page_count(old) == 1)) {
        // Shared memory is written in place; a private page nobody else holds is taken over. Granting
        // more access needs no shootdown: a CPU with the old entry cached faults and finds this one.
        pte.writable = true;
        (void)arch::user_pte_set(mm->pgd, addr, pte);  // the entry exists: cannot fail
        arch::flush_tlb_user_local(addr, addr + kPageSize);
        return VmFault::Done;
    }
    Page* copy = alloc_pages(is_zero_pfn(pte.pfn) ? GFP_KERNEL | GFP_ZERO : unsigned(GFP_KERNEL), 0);
    if (!copy) return VmFault::Oom;
    if (!is_zero_pfn(pte.pfn)) copy_user_page(copy, pte.pfn);
    (void)arch::user_pte_set(mm->pgd, addr, make_pte(vma, page_to_pfn(copy), true));
    // Other threads must stop reading the old page through stale entries before we let go of it.
    flush_tlb_page(mm, addr);
    if (old)
        put_page(old);
    else
        mm_inc_rss(mm);
    return VmFault::Done;
}

// A batch of pages whose entries were removed: they are released only after the TLB flush, so that no
// CPU can still write to a page that is being reused.
struct PageGather {
    static constexpr unsigned kBatch = 64;
    MmStruct* mm;
    uint64_t start, end;
    Page* pages[kBatch];
    unsigned count = 0;

    void flush_and_release() {
        flush_tlb_mm_range(mm, start, end);
        for (unsigned i = 0; i < count; i++) put_page(pages[i]);
        count = 0;
    }
    void add(Page* page) {
        if (count == kBatch) flush_and_release();
        pages[count++] = page;
    }
};

}  // namespace

uint64_t zero_pfn() { return arch::virt_to_phys(empty_zero_page) >> kPageShift; }

Page* vm_normal_page(const UserPte& pte) {
    if (is_zero_pfn(pte.pfn) || !pfn_valid(pte.pfn)) return nullptr;
    Page* page = pfn_to_page(pte.pfn);
    return page->test(PG_reserved) ? nullptr : page;
}

VmFault handle_mm_fault(MmStruct* mm, VmArea* vma, uint64_t addr, unsigned flags) {
    addr = page_align_down(addr);
    UserPte pte;
    if (!arch::user_pte_get(mm->pgd, addr, pte))
        return vma->is_anonymous() ? do_anonymous_page(mm, vma, addr, flags) : do_backed_page(mm, vma, addr, flags);
    if (!pte.accessible) {
        // mprotect keeps entries in step with their area, so this is a leftover: give it the area's
        // access (private areas never get write access without a write fault).
        pte.accessible = true;
        pte.executable = vma->flags & VM_EXEC;
        pte.writable = vma->is_shared() && (vma->flags & VM_WRITE);
        (void)arch::user_pte_set(mm->pgd, addr, pte);
    }
    if ((flags & FAULT_FLAG_WRITE) && !pte.writable) return do_wp_page(mm, vma, addr, pte);
    if ((flags & FAULT_FLAG_INSTRUCTION) && !pte.executable) {
        pte.executable = true;
        (void)arch::user_pte_set(mm->pgd, addr, pte);
    }
    // Otherwise spurious: another thread resolved it first, or this CPU had an older entry cached.
    arch::flush_tlb_user_local(addr, addr + kPageSize);
    return VmFault::Done;
}

VmFault populate_range(MmStruct* mm, VmArea* vma, uint64_t start, uint64_t end) {
    if (!(vma->flags & VM_ACCESS_FLAGS)) return VmFault::Done;
    bool write = (vma->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
    for (uint64_t addr = start; addr < end; addr += kPageSize) {
        UserPte pte;
        if (arch::user_pte_get(mm->pgd, addr, pte) && (!write || pte.writable)) continue;
        VmFault result = handle_mm_fault(mm, vma, addr, write ? FAULT_FLAG_WRITE : 0);
        if (result != VmFault::Done) return result;
    }
    return VmFault::Done;
}

void zap_page_range(MmStruct* mm, uint64_t start, uint64_t end) {
    PageGather gather;
    gather.mm = mm;
    gather.start = start;
    gather.end = end;
    walk_user_ptes(mm->pgd, start, end, [&](uint64_t, UserPte& pte) {
        if (Page* page = vm_normal_page(pte)) {
            mm_dec_rss(mm);
            gather.add(page);
        }
        return PteAction::Clear;
    });
    gather.flush_and_release();
}

Result<size_t> access_remote_vm(MmStruct* mm, uint64_t addr, void* buf, size_t len, bool write) {
    auto* bytes = static_cast<uint8_t*>(buf);
    size_t done = 0;
    MmapLockGuard guard(mm);
    while (done < len) {
        uint64_t at = addr + done;
        VmArea* vma = vma_lookup(mm, at);
        if (!vma || !(vma->flags & (write ? VM_WRITE : VM_READ))) break;
        UserPte pte;
        bool ready = arch::user_pte_get(mm->pgd, at, pte) && pte.accessible && (!write || pte.writable);
        if (!ready) {
            if (handle_mm_fault(mm, vma, at, write ? FAULT_FLAG_WRITE : 0) != VmFault::Done) break;
            if (!arch::user_pte_get(mm->pgd, at, pte)) break;
        }
        uint64_t offset = at & (kPageSize - 1);
        size_t chunk = kPageSize - offset < len - done ? kPageSize - offset : len - done;
        uint8_t* kaddr = static_cast<uint8_t*>(arch::phys_to_virt(pte.pfn << kPageShift)) + offset;
        if (write)
            memcpy(kaddr, bytes + done, chunk);
        else
            memcpy(bytes + done, kaddr, chunk);
        done += chunk;
    }
    if (done == 0 && len != 0) return Errno::EFAULT;
    return done;
}
