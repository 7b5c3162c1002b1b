#pragma once
// Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, and MAP_SHARED of /dev/zero): the pages live in
// an object of their own, indexed by page offset, which every area mapping it refers to (Linux backs
// these with a shmem file). So a page first touched after fork is still the same page in parent and
// child, which copying page-table entries alone could not give.
//
// The object is as large as the mapping that created it; an access beyond that (after mremap grew the
// area) gets SIGBUS, as on Linux.
#include <lib/result.hpp>
#include <stdint.h>

struct VmArea;

// Gives `vma` (VM_SHARED, pgoff 0) a new object of its size as backing. ENOMEM.
Result<void> shmem_zero_setup(VmArea* vma);
// Whether `vma` is backed by such an object.
bool vma_is_shmem(const VmArea* vma);
// Pages the object behind `vma` holds (for tests and /proc).
uint64_t shmem_nr_pages(const VmArea* vma);
