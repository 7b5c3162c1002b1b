// ELF64 validation and load planning (see elf.hpp). Pure: reads only the image it is given.
#include <lib/string.hpp>
#include <mm/mm.hpp>
#include <process/elf.hpp>

namespace {

constexpr uint64_t kMaxPhdrBytes = 65536;  // Linux's ELF_MIN_ALIGN-independent cap on e_phnum * 56

Elf64Phdr read_phdr(const uint8_t* image, uint64_t phoff, unsigned index) {
    Elf64Phdr ph;
    memcpy(&ph, image + phoff + uint64_t(index) * sizeof(Elf64Phdr), sizeof ph);  // may be unaligned
    return ph;
}

constexpr uint64_t page_down(uint64_t a) { return a & ~(kElfPageSize - 1); }
constexpr uint64_t page_up(uint64_t a) { return (a + kElfPageSize - 1) & ~(kElfPageSize - 1); }

bool power_of_two(uint64_t v) { return v && !(v & (v - 1)); }

Result<void> check_header(const uint8_t* image, size_t size, Elf64Ehdr& eh) {
    if (size < sizeof eh) return Errno::ENOEXEC;
    memcpy(&eh, image, sizeof eh);
    if (eh.e_ident[0] != 0x7f || eh.e_ident[1] != 'E' || eh.e_ident[2] != 'L' || eh.e_ident[3] != 'F')
        return Errno::ENOEXEC;
    if (eh.e_ident[4] != ELFCLASS64 || eh.e_ident[5] != ELFDATA2LSB) return Errno::ENOEXEC;
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) return Errno::ENOEXEC;
    if (eh.e_machine != EM_X86_64) return Errno::ENOEXEC;
    if (eh.e_phentsize != sizeof(Elf64Phdr)) return Errno::ENOEXEC;
    uint64_t phbytes = uint64_t(eh.e_phnum) * sizeof(Elf64Phdr);
    if (eh.e_phnum == 0 || phbytes > kMaxPhdrBytes) return Errno::ENOEXEC;
    if (eh.e_phoff > size || phbytes > size - eh.e_phoff) return Errno::ENOEXEC;
    return {};
}

Result<void> check_load_segment(const Elf64Phdr& ph, size_t size) {
    if (ph.p_filesz > ph.p_memsz) return Errno::EINVAL;
    if (ph.p_memsz > TASK_SIZE || ph.p_vaddr > TASK_SIZE - ph.p_memsz) return Errno::EINVAL;
    if ((ph.p_vaddr - ph.p_offset) % kElfPageSize) return Errno::EINVAL;
    if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset) return Errno::EIO;
    return {};
}

}  // namespace

int elf_prot(uint32_t p_flags) {
    return ((p_flags & PF_R) ? PROT_READ : 0) | ((p_flags & PF_W) ? PROT_WRITE : 0) |
           ((p_flags & PF_X) ? PROT_EXEC : 0);
}

Result<void> elf_plan(const uint8_t* image, size_t size, ElfPlan& plan) {
    plan = ElfPlan{};
    Elf64Ehdr eh;
    TRY(check_header(image, size, eh));
    plan.type = eh.e_type;
    plan.phnum = eh.e_phnum;
    plan.phoff = eh.e_phoff;

    // First pass: what kind of program, and do its loadable segments make sense?
    uint64_t first_vaddr = 0, prev_end = 0, max_align = kElfPageSize;
    bool any_load = false;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64Phdr ph = read_phdr(image, eh.e_phoff, i);
        if (ph.p_type == PT_INTERP) return Errno::ENOEXEC;  // dynamically linked: not yet
        if (ph.p_type == PT_GNU_STACK) plan.exec_stack = ph.p_flags & PF_X;
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        TRY(check_load_segment(ph, size));
        if (any_load && ph.p_vaddr < prev_end) return Errno::EINVAL;  // out of order or overlapping
        if (!any_load) first_vaddr = ph.p_vaddr;
        any_load = true;
        prev_end = ph.p_vaddr + ph.p_memsz;
        if (power_of_two(ph.p_align) && ph.p_align > max_align) max_align = ph.p_align;
        plan.nr_load++;
    }
    if (!any_load) return Errno::ENOEXEC;

    if (eh.e_type == ET_DYN) {
        uint64_t base = kElfEtDynBase & ~(max_align - 1);
        plan.load_bias = page_down(base - page_down(first_vaddr));
        if (plan.load_bias + page_up(prev_end) > TASK_SIZE || plan.load_bias + page_up(prev_end) < plan.load_bias)
            return Errno::ENOMEM;  // does not fit (Linux: the mmap of the whole image fails)
    }

    // Second pass: the layout, as Linux's load_elf_binary() computes it.
    uint64_t start_code = ~0ull, end_code = 0, start_data = 0, end_data = 0, elf_brk = 0;
    bool phdr_found = false;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64Phdr ph = read_phdr(image, eh.e_phoff, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (!phdr_found && ph.p_offset <= eh.e_phoff && eh.e_phoff < ph.p_offset + ph.p_filesz) {
            plan.phdr_addr = eh.e_phoff - ph.p_offset + ph.p_vaddr;
            phdr_found = true;
        }
        uint64_t k = ph.p_vaddr;
        if ((ph.p_flags & PF_X) && k < start_code) start_code = k;
        if (start_data < k) start_data = k;
        k = ph.p_vaddr + ph.p_filesz;
        if ((ph.p_flags & PF_X) && end_code < k) end_code = k;
        if (end_data < k) end_data = k;
        k = ph.p_vaddr + ph.p_memsz;
        if (k > elf_brk) elf_brk = k;
    }
    if (start_code == ~0ull) start_code = 0;
    uint64_t bias = plan.load_bias;
    plan.phdr_addr += bias;
    plan.start_code = start_code + bias;
    plan.end_code = end_code + bias;
    plan.start_data = start_data + bias;
    plan.end_data = end_data + bias;
    plan.brk = page_up(elf_brk + bias);
    plan.entry = eh.e_entry + bias;
    if (plan.entry >= TASK_SIZE) return Errno::EINVAL;
    return {};
}

ElfSegment elf_segment(const uint8_t* image, const ElfPlan& plan, unsigned index) {
    unsigned seen = 0;
    for (unsigned i = 0; i < plan.phnum; i++) {
        Elf64Phdr ph = read_phdr(image, plan.phoff, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (seen++ == index)
            return {ph.p_vaddr + plan.load_bias, ph.p_memsz, ph.p_filesz, ph.p_offset, elf_prot(ph.p_flags)};
    }
    return {};
}
