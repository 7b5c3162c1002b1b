#pragma once
// ELF64 executables: the file format (the System V gABI and its x86-64 supplement: Linux's
// uapi/linux/elf.h) and the load plan exec builds from it before it commits to the new program.
//
// Tern runs static executables: ET_EXEC at their link addresses, and static PIE (ET_DYN without
// PT_INTERP) at a load bias of ELF_ET_DYN_BASE (Linux's x86-64 value, 2/3 of the user half) rounded
// down to the largest PT_LOAD alignment. A PT_INTERP (a dynamically linked program) is ENOEXEC.
//
// Validation follows Linux's load_elf_binary() errnos: anything that is not an x86-64 ELF executable
// with sane program headers is ENOEXEC (the next binary format may claim it); a PT_LOAD whose file
// size exceeds its memory size, that reaches beyond the user half or wraps, or whose offset and address
// disagree modulo the page size is EINVAL. Stricter than Linux: PT_LOAD entries must come in ascending
// address order without overlapping (the gABI requires the order; Linux silently lets a later segment
// replace an earlier one), and must lie inside the file (EIO), since a program that reads past the end
// of its own file would only fault later.
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

struct Elf64Ehdr {
    uint8_t e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};
static_assert(sizeof(Elf64Ehdr) == 64);

struct Elf64Phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};
static_assert(sizeof(Elf64Phdr) == 56);

constexpr uint8_t ELFCLASS64 = 2, ELFDATA2LSB = 1;
constexpr uint16_t ET_EXEC = 2, ET_DYN = 3;
constexpr uint16_t EM_X86_64 = 62;
constexpr uint32_t PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6, PT_TLS = 7,
                   PT_GNU_STACK = 0x6474e551;
constexpr uint32_t PF_X = 1, PF_W = 2, PF_R = 4;

constexpr uint64_t kElfPageSize = 4096;
// Linux x86-64's ELF_ET_DYN_BASE: where position-independent executables go.
constexpr uint64_t kElfEtDynBase = (0x00007ffffffff000ull / 3 * 2) & ~(kElfPageSize - 1);

// One PT_LOAD segment, relocated by the load bias.
struct ElfSegment {
    uint64_t vaddr;   // where its first byte goes
    uint64_t memsz;   // bytes in memory (the part beyond filesz is zero: .bss)
    uint64_t filesz;  // bytes from the file
    uint64_t offset;  // file offset of its first byte
    int prot;         // PROT_READ/WRITE/EXEC from p_flags
};

// What exec needs from an executable, computed before the point of no return.
struct ElfPlan {
    uint16_t type = 0;
    uint64_t load_bias = 0;
    uint64_t entry = 0;      // AT_ENTRY and the first instruction
    uint64_t phdr_addr = 0;  // AT_PHDR: where the program headers are in memory
    uint16_t phnum = 0;      // AT_PHNUM
    uint64_t phoff = 0;      // the program headers in the file (for elf_segment())
    bool exec_stack = false; // PT_GNU_STACK with PF_X
    unsigned nr_load = 0;    // PT_LOAD segments with a non-zero memory size
    // The layout /proc and brk use, as Linux computes it (relocated).
    uint64_t start_code = 0, end_code = 0, start_data = 0, end_data = 0;
    uint64_t brk = 0;        // page-aligned end of the highest segment: where the heap starts
};

// Validates the executable in `image` (the whole file) and plans its loading.
Result<void> elf_plan(const uint8_t* image, size_t size, ElfPlan& plan);
// The index-th loadable segment (0 <= index < plan.nr_load) of a planned image.
ElfSegment elf_segment(const uint8_t* image, const ElfPlan& plan, unsigned index);
// PROT_* for an ELF segment's p_flags.
int elf_prot(uint32_t p_flags);
