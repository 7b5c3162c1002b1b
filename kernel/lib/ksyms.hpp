#pragma once
// The kernel's own symbol table (function names and sizes), linked into the image by a second link
// pass (tools/ksyms.py), so backtraces and %pS print names without a debugger.
#include <stddef.h>
#include <stdint.h>

struct KernelSymbol {
    uint64_t address;
    uint32_t size;
    uint32_t name_offset;  // into the string table after the symbol array
};

// "schedule+0x1a/0x90" for an address inside a known function; false if none contains it.
bool ksym_lookup(uintptr_t addr, const char** name, uint32_t* offset, uint32_t* size);
size_t ksym_format(unsigned long addr, char* buf, size_t size);
size_t ksym_count();
