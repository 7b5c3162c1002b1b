// Self-tests of exec's segment mapping (elf_map.cpp) on a hand-made executable in a private tmpfs: its
// text pages are the page cache's own frames, the same in two address spaces that load it; the bss
// reads as zero although the page cache holds other bytes after p_filesz, and the file keeps them.
#include <fs/file.hpp>
#include <fs/address_space.hpp>
#include <fs/inode.hpp>
#include <fs/ktest_tmpfs.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <mm/ktest_use_mm.hpp>
#include <mm/page.hpp>
#include <mm/user_pgtable.hpp>
#include <process/elf.hpp>
#include <process/elf_map.hpp>

namespace {

constexpr uint64_t P = 4096;
constexpr uint64_t kText = 0x400000, kData = 0x601000;
constexpr uint64_t kDataFilesz = 0x10, kDataMemsz = 0x3000;

// Two pages: the headers and "code" (0x90) in page 0, data (0xab all over) in page 1.
void build_image(uint8_t* image) {
    memset(image, 0x90, P);
    memset(image + P, 0xab, P);
    Elf64Ehdr eh{};
    const uint8_t ident[8] = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, 1, 0};
    memcpy(eh.e_ident, ident, sizeof ident);
    memset(eh.e_ident + 8, 0, 8);
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = 1;
    eh.e_entry = kText + 0x200;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64Phdr);
    eh.e_phnum = 2;
    Elf64Phdr text{PT_LOAD, PF_R | PF_X, 0, kText, kText, P, P, P};
    Elf64Phdr data{PT_LOAD, PF_R | PF_W, P, kData, kData, kDataFilesz, kDataMemsz, P};
    memcpy(image, &eh, sizeof eh);
    memcpy(image + sizeof eh, &text, sizeof text);
    memcpy(image + sizeof eh + sizeof text, &data, sizeof data);
}

uint64_t pfn_at(MmStruct* mm, uint64_t addr) {
    UserPte pte;
    return arch::user_pte_get(mm->pgd, addr, pte) ? pte.pfn : 0;
}

uint64_t cache_pfn(File& file, uint64_t index) {
    Page* page = file.inode->mapping->find_get_page(index);
    if (!page) return 0;
    uint64_t pfn = page_to_pfn(page);
    put_page(page);
    return pfn;
}

uint8_t peek(uint64_t addr) {
    uint8_t v = 0xee;
    return get_user(v, UserPtr<uint8_t>(addr)).is_error() ? 0xee : v;
}

}  // namespace

KTEST(exec, segments_map_the_page_cache_and_bss_is_zero) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    static uint8_t image[2 * P];
    build_image(image);
    Result<RefPtr<File>> f = vfs_open(fs.caller(), "/prog", O_RDWR | O_CREAT, 0755);
    KASSERT_TRUE(!f.is_error());
    File& file = *f.value();
    KASSERT_TRUE(!kernel_write(file, image, sizeof image, 0).is_error());
    ElfPlan plan;
    KASSERT_TRUE(!elf_plan(image, sizeof image, sizeof image, plan).is_error());
    KASSERT_EQ(plan.nr_load, 2u);

    uint64_t text_pfn[2] = {}, data_pfn = 0;
    for (int run = 0; run < 2; run++) {
        Result<MmStruct*> mm = mm_alloc();
        KASSERT_TRUE(!mm.is_error());
        KEXPECT_TRUE(!elf_map_segments(mm.value(), &file, image, plan).is_error());
        {
            KtestUseMm use(mm.value());
            KEXPECT_TRUE(!elf_finish_segments(mm.value(), image, plan).is_error());
            KEXPECT_EQ(peek(kText + 0x200), 0x90);
            KEXPECT_EQ(peek(kText), 0x7f);  // the ELF header, as the file has it
            KEXPECT_EQ(peek(kData), 0xab);
            KEXPECT_EQ(peek(kData + kDataFilesz - 1), 0xab);
            KEXPECT_EQ(peek(kData + kDataFilesz), 0);  // bss in the last file page: zeroed
            KEXPECT_EQ(peek(kData + P - 1), 0);
            KEXPECT_EQ(peek(kData + P), 0);  // bss beyond: anonymous
            KEXPECT_EQ(peek(kData + kDataMemsz - 1), 0);
            // Final protections: text is not writable, data is.
            KEXPECT_TRUE(put_user(uint8_t(1), UserPtr<uint8_t>(kText + 0x200)).is_error());
            KEXPECT_TRUE(!put_user(uint8_t(1), UserPtr<uint8_t>(kData + 4)).is_error());
            text_pfn[run] = pfn_at(mm.value(), kText);
            data_pfn = pfn_at(mm.value(), kData);
        }
        mmput(mm.value());
    }
    KEXPECT_TRUE(text_pfn[0] != 0);
    KEXPECT_EQ(text_pfn[0], text_pfn[1]);           // one frame for both runs
    KEXPECT_EQ(text_pfn[0], cache_pfn(file, 0));    // and it is the page cache's
    KEXPECT_TRUE(data_pfn != cache_pfn(file, 1));   // the data page was copied
    uint8_t back[2] = {};
    KASSERT_TRUE(!kernel_read(file, back, 2, P + kDataFilesz).is_error());
    KEXPECT_EQ(back[0], 0xab);  // the file still has its bytes after p_filesz
}
