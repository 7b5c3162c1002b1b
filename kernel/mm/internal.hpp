#pragma once
// Set-up and introspection inside mm/ (not a contract for other subsystems).
#include <stddef.h>

// Readies vmalloc()/ioremap(): the virtual range comes from arch::vmalloc_range().
void vmalloc_init();
// Live vmalloc and ioremap areas.
size_t vmalloc_nr_areas();
