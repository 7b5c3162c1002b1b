#include <lib/ksyms.hpp>
#include <lib/vsprintf.hpp>

// Emitted by tools/ksyms.py into .ksyms: a count, the array sorted by address, then the names.
// The first link has an empty table (count 0), which these weak definitions stand in for.
extern "C" {
extern const uint64_t ksyms_count __attribute__((weak));
extern const KernelSymbol ksyms_table[] __attribute__((weak));
extern const char ksyms_names[] __attribute__((weak));
}

size_t ksym_count() { return &ksyms_count ? ksyms_count : 0; }

bool ksym_lookup(uintptr_t addr, const char** name, uint32_t* offset, uint32_t* size) {
    size_t n = ksym_count();
    if (!n) return false;
    // Last symbol whose address is <= addr.
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ksyms_table[mid].address <= addr) lo = mid;
        else hi = mid;
    }
    const KernelSymbol& s = ksyms_table[lo];
    if (addr < s.address || addr >= s.address + (s.size ? s.size : 1)) return false;
    *name = ksyms_names + s.name_offset;
    *offset = uint32_t(addr - s.address);
    *size = s.size;
    return true;
}

size_t ksym_format(unsigned long addr, char* buf, size_t size) {
    const char* name;
    uint32_t offset, sym_size;
    if (!ksym_lookup(addr, &name, &offset, &sym_size)) return 0;
    return size_t(ksnprintf(buf, size, "%s+0x%x/0x%x", name, offset, sym_size));
}
