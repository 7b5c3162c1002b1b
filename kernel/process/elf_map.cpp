// PT_LOAD segments as file mappings: see elf_map.hpp.
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <process/elf.hpp>
#include <process/elf_map.hpp>

namespace {

constexpr uint64_t page_down(uint64_t a) { return a & ~(kElfPageSize - 1); }
constexpr uint64_t page_up(uint64_t a) { return (a + kElfPageSize - 1) & ~(kElfPageSize - 1); }

bool has_bss(const ElfSegment& seg) { return seg.memsz > seg.filesz; }

}  // namespace

Result<void> elf_map_segments(MmStruct* mm, File* file, const uint8_t* head, const ElfPlan& plan) {
    for (unsigned i = 0; i < plan.nr_load; i++) {
        ElfSegment seg = elf_segment(head, plan, i);
        uint64_t start = page_down(seg.vaddr);
        uint64_t file_end = seg.filesz ? page_up(seg.vaddr + seg.filesz) : start;
        uint64_t mem_end = page_up(seg.vaddr + seg.memsz);
        // Writable until elf_finish_segments has cleared the bss tail (private: the file never sees it).
        int prot = seg.prot | (has_bss(seg) ? PROT_WRITE : 0);
        // elf_plan checked that vaddr and offset agree modulo the page size, so the page holding the
        // first byte maps the file page holding it. A later segment sharing a page replaces it, as Linux.
        if (file_end > start)
            TRY(vm_mmap(mm, start, file_end - start, prot, MAP_PRIVATE | MAP_FIXED, file, page_down(seg.offset) >> 12));
        if (mem_end > file_end)
            TRY(vm_mmap(mm, file_end, mem_end - file_end, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, nullptr, 0));
    }
    return {};
}

Result<void> elf_finish_segments(MmStruct* mm, const uint8_t* head, const ElfPlan& plan) {
    for (unsigned i = 0; i < plan.nr_load; i++) {
        ElfSegment seg = elf_segment(head, plan, i);
        if (!has_bss(seg) || !seg.filesz) continue;
        uint64_t zero_start = seg.vaddr + seg.filesz;
        uint64_t zero_end = page_up(zero_start);
        // A page the next segment maps is that segment's (its mapping replaced ours): leave it alone.
        if (i + 1 < plan.nr_load) {
            uint64_t next_page = page_down(elf_segment(head, plan, i + 1).vaddr);
            if (next_page < zero_end) zero_end = next_page > zero_start ? next_page : zero_start;
        }
        if (zero_end > zero_start) TRY(clear_user(UserPtr<void>(zero_start), zero_end - zero_start));
    }
    // In file order, so that a page two segments share ends up as the later one says.
    for (unsigned i = 0; i < plan.nr_load; i++) {
        ElfSegment seg = elf_segment(head, plan, i);
        uint64_t start = page_down(seg.vaddr), end = page_up(seg.vaddr + seg.memsz);
        MmapLockGuard guard(mm);
        TRY(do_mprotect(mm, start, end - start, seg.prot));
    }
    return {};
}
