#pragma once
// The page-level work on user address spaces (Linux's mm/memory.c): resolving a fault in an area,
// removing the pages of a range, the shared zero page, and reaching another address space's memory.
// Everything here runs with the mm's mmap lock held, unless said otherwise.
#include <lib/result.hpp>
#include <mm/user_pgtable.hpp>
#include <stddef.h>
#include <stdint.h>

struct MmStruct;
struct Page;
struct VmArea;

// Fault flags (what the access was).
constexpr unsigned FAULT_FLAG_WRITE = 1u << 0;
constexpr unsigned FAULT_FLAG_INSTRUCTION = 1u << 1;
constexpr unsigned FAULT_FLAG_USER = 1u << 2;  // from user mode (else a kernel access, e.g. uaccess)

// What resolving a fault came to.
enum class VmFault {
    Done,    // the page is mapped as the access needs it
    Oom,     // no memory for a page or a page table
    Sigbus,  // the backing object has no page there (beyond the end of a file)
};

// Makes the page at `addr` (inside `vma`, whose permissions allow the access) present as the access
// needs: demand-zero or the zero page for anonymous memory, the backing object's page otherwise,
// copy-on-write for private mappings.
VmFault handle_mm_fault(MmStruct* mm, VmArea* vma, uint64_t addr, unsigned flags);

// Faults in every page of [start, end) inside `vma` as a later access would (MAP_POPULATE, mlock,
// MADV_WILLNEED): writable private areas are populated for writing. Stops at the first failure.
VmFault populate_range(MmStruct* mm, VmArea* vma, uint64_t start, uint64_t end);

// Removes every entry in [start, end), flushes the TLBs, and drops the pages' references.
void zap_page_range(MmStruct* mm, uint64_t start, uint64_t end);

// The shared zero page: what an anonymous page reads as before it is first written. Mapped read-only
// into any number of address spaces, never reference-counted (its pfn is not an allocator page).
uint64_t zero_pfn();
inline bool is_zero_pfn(uint64_t pfn) { return pfn == zero_pfn(); }

// The allocator page an entry maps, or nullptr for pages that are not reference-counted (the zero
// page, anything outside mem_map or reserved).
Page* vm_normal_page(const UserPte& pte);

// Copies between `buf` and [addr, addr + len) of `mm` (not necessarily the current address space),
// faulting pages in as an access by its owner would; permissions are the areas' (a write needs
// VM_WRITE). Returns the bytes copied: fewer than `len` when it hit an unmapped or forbidden page
// (EFAULT if not even the first byte could be). Takes the mmap lock. Linux's access_remote_vm: exec
// builds a new program's stack with it; /proc/<pid>/cmdline reads with it.
Result<size_t> access_remote_vm(MmStruct* mm, uint64_t addr, void* buf, size_t len, bool write);
