// ELF64 validation and load planning (process/elf.cpp) on hand-built images.
#include <process/elf.hpp>

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <vector>

namespace {

constexpr uint64_t kUserTop = 0x00007ffffffff000ull;

// An executable image: a header, program headers right after it, and room for segment bytes.
struct Image {
    Elf64Ehdr eh{};
    std::vector<Elf64Phdr> ph;
    size_t size = 0x3000;

    Image() {
        memcpy(eh.e_ident, "\x7f" "ELF", 4);
        eh.e_ident[4] = ELFCLASS64;
        eh.e_ident[5] = ELFDATA2LSB;
        eh.e_ident[6] = 1;
        eh.e_type = ET_EXEC;
        eh.e_machine = EM_X86_64;
        eh.e_version = 1;
        eh.e_entry = 0x401000;
        eh.e_phoff = sizeof(Elf64Ehdr);
        eh.e_phentsize = sizeof(Elf64Phdr);
        eh.e_ehsize = sizeof(Elf64Ehdr);
    }
    Image& load(uint64_t vaddr, uint64_t offset, uint64_t filesz, uint64_t memsz, uint32_t flags, uint64_t align = 0x1000) {
        ph.push_back({PT_LOAD, flags, offset, vaddr, vaddr, filesz, memsz, align});
        return *this;
    }
    Image& other(uint32_t type, uint32_t flags = 0) {
        ph.push_back({type, flags, 0, 0, 0, 0, 0, 8});
        return *this;
    }
    // A typical static program: text (with the headers) at 0x400000, data + bss at 0x402000.
    static Image typical() {
        Image img;
        img.load(0x400000, 0, 0x1800, 0x1800, PF_R | PF_X);
        img.load(0x402000, 0x2000, 0x100, 0x3000, PF_R | PF_W);
        img.other(PT_GNU_STACK, PF_R | PF_W);
        return img;
    }
    std::vector<uint8_t> bytes() {
        eh.e_phnum = uint16_t(ph.size());
        std::vector<uint8_t> out(size, 0);
        memcpy(out.data(), &eh, sizeof eh);
        if (!ph.empty() && eh.e_phoff <= size && ph.size() * sizeof(Elf64Phdr) <= size - eh.e_phoff)
            memcpy(out.data() + eh.e_phoff, ph.data(), ph.size() * sizeof(Elf64Phdr));
        return out;
    }
};

Result<void> plan_of(Image& img, ElfPlan& plan) {
    std::vector<uint8_t> b = img.bytes();
    return elf_plan(b.data(), b.size(), b.size(), plan);
}

Errno error_of(Image img) {
    ElfPlan plan;
    Result<void> r = plan_of(img, plan);
    return r.is_error() ? r.error() : Errno::OK;
}

TEST(ElfPlan, TypicalStaticExecutable) {
    Image img = Image::typical();
    std::vector<uint8_t> b = img.bytes();
    ElfPlan plan;
    ASSERT_TRUE(elf_plan(b.data(), b.size(), b.size(), plan));
    EXPECT_EQ(plan.type, ET_EXEC);
    EXPECT_EQ(plan.load_bias, 0u);
    EXPECT_EQ(plan.entry, 0x401000u);
    EXPECT_EQ(plan.phdr_addr, 0x400040u);  // the headers sit in the first segment, right after the ELF header
    EXPECT_EQ(plan.phnum, 3u);
    EXPECT_EQ(plan.nr_load, 2u);
    EXPECT_FALSE(plan.exec_stack);
    EXPECT_EQ(plan.start_code, 0x400000u);
    EXPECT_EQ(plan.end_code, 0x401800u);
    EXPECT_EQ(plan.start_data, 0x402000u);
    EXPECT_EQ(plan.end_data, 0x402100u);
    EXPECT_EQ(plan.brk, 0x405000u);  // end of .bss, page-aligned
    ElfSegment text = elf_segment(b.data(), plan, 0), data = elf_segment(b.data(), plan, 1);
    EXPECT_EQ(text.vaddr, 0x400000u);
    EXPECT_EQ(text.prot, PROT_READ | PROT_EXEC);
    EXPECT_EQ(data.vaddr, 0x402000u);
    EXPECT_EQ(data.filesz, 0x100u);
    EXPECT_EQ(data.memsz, 0x3000u);
    EXPECT_EQ(data.offset, 0x2000u);
    EXPECT_EQ(data.prot, PROT_READ | PROT_WRITE);
}

TEST(ElfPlan, ExecutableStackFromGnuStack) {
    Image img;
    img.load(0x400000, 0, 0x100, 0x100, PF_R | PF_X).other(PT_GNU_STACK, PF_R | PF_W | PF_X);
    img.eh.e_entry = 0x400010;
    ElfPlan plan;
    ASSERT_TRUE(plan_of(img, plan));
    EXPECT_TRUE(plan.exec_stack);
}

TEST(ElfPlan, StaticPieIsLoadedAtEtDynBase) {
    Image img;
    img.eh.e_type = ET_DYN;
    img.eh.e_entry = 0x1040;
    img.load(0, 0, 0x1800, 0x1800, PF_R | PF_X);
    img.load(0x2000, 0x2000, 0x10, 0x20, PF_R | PF_W);
    ElfPlan plan;
    ASSERT_TRUE(plan_of(img, plan));
    EXPECT_EQ(plan.load_bias, 0x555555554000u);
    EXPECT_EQ(plan.entry, 0x555555555040u);
    EXPECT_EQ(plan.phdr_addr, 0x555555554040u);
    EXPECT_EQ(plan.brk, 0x555555557000u);
    // A larger segment alignment rounds the bias down to it.
    Image big;
    big.eh.e_type = ET_DYN;
    big.eh.e_entry = 0x10;
    big.load(0, 0, 0x100, 0x100, PF_R | PF_X, 0x200000);
    ASSERT_TRUE(plan_of(big, plan));
    EXPECT_EQ(plan.load_bias, 0x555555400000u);
}

TEST(ElfPlan, MalformedHeadersAreEnoexec) {
    Image bad_magic = Image::typical();
    bad_magic.eh.e_ident[1] = 'X';
    EXPECT_EQ(error_of(bad_magic), Errno::ENOEXEC);
    Image elf32 = Image::typical();
    elf32.eh.e_ident[4] = 1;
    EXPECT_EQ(error_of(elf32), Errno::ENOEXEC);
    Image big_endian = Image::typical();
    big_endian.eh.e_ident[5] = 2;
    EXPECT_EQ(error_of(big_endian), Errno::ENOEXEC);
    Image arm = Image::typical();
    arm.eh.e_machine = 183;
    EXPECT_EQ(error_of(arm), Errno::ENOEXEC);
    Image object = Image::typical();
    object.eh.e_type = 1;  // ET_REL
    EXPECT_EQ(error_of(object), Errno::ENOEXEC);
    Image phent = Image::typical();
    phent.eh.e_phentsize = 32;
    EXPECT_EQ(error_of(phent), Errno::ENOEXEC);
    Image no_phdrs;
    EXPECT_EQ(error_of(no_phdrs), Errno::ENOEXEC);
    Image phdrs_outside = Image::typical();
    phdrs_outside.eh.e_phoff = phdrs_outside.size - 8;
    EXPECT_EQ(error_of(phdrs_outside), Errno::ENOEXEC);
    Image phoff_huge = Image::typical();
    phoff_huge.eh.e_phoff = ~0ull - 16;
    EXPECT_EQ(error_of(phoff_huge), Errno::ENOEXEC);
    uint8_t tiny[16] = {0x7f, 'E', 'L', 'F'};
    ElfPlan plan;
    EXPECT_EQ(elf_plan(tiny, sizeof tiny, sizeof tiny, plan).error(), Errno::ENOEXEC);
}

TEST(ElfPlan, DynamicallyLinkedProgramsAreRefused) {
    Image img = Image::typical();
    img.other(PT_INTERP);
    EXPECT_EQ(error_of(img), Errno::ENOEXEC);
}

TEST(ElfPlan, NoLoadableSegmentIsEnoexec) {
    Image img;
    img.other(PT_NOTE).other(PT_GNU_STACK);
    EXPECT_EQ(error_of(img), Errno::ENOEXEC);
}

TEST(ElfPlan, BadSegmentsAreEinval) {
    Image file_bigger_than_memory;
    file_bigger_than_memory.load(0x400000, 0, 0x200, 0x100, PF_R);
    EXPECT_EQ(error_of(file_bigger_than_memory), Errno::EINVAL);
    Image beyond_user_space;
    beyond_user_space.load(kUserTop - 0x1000, 0, 0x100, 0x2000, PF_R);
    EXPECT_EQ(error_of(beyond_user_space), Errno::EINVAL);
    Image wraps;
    wraps.load(~0ull - 0xfff, 0, 0x100, 0x2000, PF_R);
    EXPECT_EQ(error_of(wraps), Errno::EINVAL);
    Image huge;
    huge.load(0x400000, 0, 0x100, 1ull << 62, PF_R);
    EXPECT_EQ(error_of(huge), Errno::EINVAL);
    Image misaligned;
    misaligned.load(0x400000, 0x10, 0x100, 0x100, PF_R);  // offset and address differ modulo the page
    EXPECT_EQ(error_of(misaligned), Errno::EINVAL);
    Image entry_in_kernel = Image::typical();
    entry_in_kernel.eh.e_entry = 0xffffffff80000000ull;
    EXPECT_EQ(error_of(entry_in_kernel), Errno::EINVAL);
}

TEST(ElfPlan, OverlappingOrUnorderedSegmentsAreRefused) {
    Image overlap;
    overlap.load(0x400000, 0, 0x1800, 0x1800, PF_R | PF_X).load(0x401000, 0x1000, 0x100, 0x100, PF_R | PF_W);
    EXPECT_EQ(error_of(overlap), Errno::EINVAL);
    Image descending;
    descending.load(0x402000, 0x2000, 0x100, 0x100, PF_R | PF_W).load(0x400000, 0, 0x100, 0x100, PF_R | PF_X);
    EXPECT_EQ(error_of(descending), Errno::EINVAL);
    // Two segments sharing a page without overlapping bytes are fine (common with -z noseparate-code).
    Image shared_page;
    shared_page.eh.e_entry = 0x400100;
    shared_page.load(0x400000, 0, 0x1800, 0x1800, PF_R | PF_X).load(0x401800, 0x1800, 0x100, 0x200, PF_R | PF_W);
    EXPECT_EQ(error_of(shared_page), Errno::OK);
}

TEST(ElfPlan, SegmentBytesMustBeInTheFile) {
    Image short_file = Image::typical();
    short_file.size = 0x2080;  // the data segment's 0x100 file bytes run past the end
    EXPECT_EQ(error_of(short_file), Errno::EIO);
    Image offset_beyond;
    offset_beyond.load(0x400000, 0x10000, 0x10, 0x10, PF_R);
    offset_beyond.ph.back().p_vaddr = 0x410000;
    offset_beyond.ph.back().p_paddr = 0x410000;
    offset_beyond.eh.e_entry = 0x410000;
    EXPECT_EQ(error_of(offset_beyond), Errno::EIO);
}

TEST(ElfPlan, HeaderBytesTellHowMuchToRead) {
    Image img = Image::typical();
    std::vector<uint8_t> b = img.bytes();
    EXPECT_EQ(elf_header_bytes(b.data(), b.size()), 64u + 3 * 56);
    EXPECT_EQ(elf_header_bytes(reinterpret_cast<const uint8_t*>("#!/bin/sh\n"), 10), 0u);
    // Program headers far into the file: the planner wants them read first.
    Image far = Image::typical();
    far.eh.e_phoff = 0x2800;
    std::vector<uint8_t> fb = far.bytes();
    EXPECT_EQ(elf_header_bytes(fb.data(), 64), 0x2800u + 3 * 56);
    ElfPlan plan;
    EXPECT_EQ(elf_plan(fb.data(), 4096, fb.size(), plan).error(), Errno::EIO);
    EXPECT_TRUE(elf_plan(fb.data(), fb.size(), fb.size(), plan));
}

TEST(ElfPlan, EmptySegmentsAreIgnored) {
    Image img = Image::typical();
    img.load(0x500000, 0, 0, 0, PF_R);
    ElfPlan plan;
    ASSERT_TRUE(plan_of(img, plan));
    EXPECT_EQ(plan.nr_load, 2u);
}

}  // namespace
