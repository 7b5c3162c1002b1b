#pragma once
// Virtually contiguous kernel mappings: MMIO (ioremap) and page-backed areas with unmapped guard pages
// around them (vmalloc; kernel stacks use it so an overflow faults instead of corrupting memory).
#include <stddef.h>
#include <stdint.h>

enum class CacheMode { WriteBack, Uncached };

// Maps [phys, phys + size) uncached by default; nullptr on failure.
void* ioremap(uint64_t phys, size_t size, CacheMode mode = CacheMode::Uncached);
void iounmap(void* addr);

void* vmalloc(size_t size);
void vfree(void* addr);
