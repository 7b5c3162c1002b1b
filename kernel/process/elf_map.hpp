#pragma once
// Mapping an executable's PT_LOAD segments (Linux's elf_map / padzero / set_brk), in two steps around
// exec's point of no return:
//
//   elf_map_segments (before, into the new address space): each segment's file pages become a
//     MAP_PRIVATE mapping of the executable itself, so they come from the page cache on first touch
//     and every process running the program shares them (copy-on-write for the data); the rest of
//     p_memsz (.bss beyond the last file page) is anonymous zero-fill memory.
//   elf_finish_segments (after, with that address space current): the bytes after p_filesz in a
//     segment's last file page are file bytes in the page cache (whatever follows in the file) and must
//     read as zero, so they are cleared through the mapping, which gives this process its own copy of
//     that one page (Linux's padzero); then every segment gets its final protection.
#include <lib/result.hpp>
#include <stdint.h>

struct ElfPlan;
struct File;
struct MmStruct;

Result<void> elf_map_segments(MmStruct* mm, File* file, const uint8_t* head, const ElfPlan& plan);
Result<void> elf_finish_segments(MmStruct* mm, const uint8_t* head, const ElfPlan& plan);
