// Self-tests of Tern's kernel page tables, by walking them (nothing here faults on purpose).
#include <arch/x86_64/mm/page_table.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/io.hpp>
#include <init/boot_info.hpp>
#include <kunit/ktest.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>

extern "C" char _stext[], _etext[], _erodata[], _sksyms[], _edata[], _sbss[], _ebss[];

// The byte before a linker-script boundary symbol (plain `sym - 1` trips -Warray-bounds).
inline const char* last_byte(const char* end_symbol) {
    return reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(end_symbol) - 1);
}

namespace {

const char kSomeRodata[] = "read-only";
[[gnu::used]] int some_data = 1;
[[gnu::used]] int some_bss;

bool lookup(const void* addr, Translation& t) {
    return arch::kernel_translate(reinterpret_cast<uintptr_t>(addr), t);
}

}  // namespace

KTEST(paging, active_table_is_terns) {
    KEXPECT_EQ(x86::read_cr3() & x86::pte::AddressMask, init_page_table().root_phys());
}

KTEST(paging, text_read_only_executable) {
    Translation t;
    KASSERT_TRUE(lookup(reinterpret_cast<const void*>(&lookup), t));
    KEXPECT_FALSE(t.prot & prot::Write);
    KEXPECT_TRUE(t.prot & prot::Exec);
    KEXPECT_TRUE(t.prot & prot::Global);
    KEXPECT_EQ(t.page_size, kPageSize4K);
    KEXPECT_EQ(t.phys, arch::virt_to_phys(reinterpret_cast<const void*>(&lookup)));
    KASSERT_TRUE(lookup(last_byte(_etext), t));
    KEXPECT_FALSE(t.prot & prot::Write);
}

KTEST(paging, rodata_and_ksyms_read_only_nx) {
    bool nx = boot_cpu_features.nx;
    for (const char* p : {static_cast<const char*>(kSomeRodata), static_cast<const char*>(_etext),
                          static_cast<const char*>(last_byte(_erodata)), static_cast<const char*>(_sksyms),
                          static_cast<const char*>(last_byte(_edata))}) {
        Translation t;
        KASSERT_TRUE(lookup(p, t));
        KEXPECT_FALSE(t.prot & prot::Write);
        if (nx) KEXPECT_FALSE(t.prot & prot::Exec);
    }
}

KTEST(paging, data_and_bss_writable_nx) {
    bool nx = boot_cpu_features.nx;
    for (const void* p : {static_cast<const void*>(&some_data), static_cast<const void*>(&some_bss),
                          static_cast<const void*>(_sbss), static_cast<const void*>(last_byte(_ebss))}) {
        Translation t;
        KASSERT_TRUE(lookup(p, t));
        KEXPECT_TRUE(t.prot & prot::Write);
        if (nx) KEXPECT_FALSE(t.prot & prot::Exec);
    }
}

KTEST(paging, no_identity_mapping) {
    Translation t;
    KEXPECT_FALSE(arch::kernel_translate(0, t));
    KEXPECT_FALSE(arch::kernel_translate(0x1000, t));
    KEXPECT_FALSE(arch::kernel_translate(boot_info.kernel_phys_start, t));
    auto* pml4 = static_cast<uint64_t*>(arch::phys_to_virt(init_page_table().root_phys()));
    unsigned user_entries = 0;
    for (unsigned i = 0; i < 256; i++) user_entries += (pml4[i] & x86::pte::Present) != 0;
    KEXPECT_EQ(user_entries, 0);
}

KTEST(paging, direct_map_covers_ram) {
    bool nx = boot_cpu_features.nx;
    for (unsigned i = 0; i < boot_info.memory_count; i++) {
        const MemoryRegion& r = boot_info.memory[i];
        if (r.type != MemoryRegion::Type::Usable) continue;
        for (uint64_t phys : {page_align_up(r.base), page_align_down(r.base + r.size) - 1}) {
            Translation t;
            KASSERT_TRUE(arch::kernel_translate(arch::kDirectMapBase + phys, t));
            KEXPECT_EQ(t.phys, phys);
            KEXPECT_TRUE(t.prot & prot::Write);
            KEXPECT_TRUE(t.prot & prot::Global);
            if (nx) KEXPECT_FALSE(t.prot & prot::Exec);
        }
    }
    for (unsigned i = 0; i < boot_info.module_count; i++) {
        Translation t;
        KEXPECT_TRUE(arch::kernel_translate(arch::kDirectMapBase + boot_info.modules[i].phys_start, t));
    }
}

KTEST(paging, direct_map_uses_large_pages) {
    // Physical 2..4 MiB is RAM on every PC with more than 4 MiB: one 2 MiB page (or part of 1 GiB).
    Translation t;
    KASSERT_TRUE(arch::kernel_translate(arch::kDirectMapBase + (3u << 20), t));
    KEXPECT_TRUE(t.page_size >= kPageSize2M);
    KEXPECT_EQ(t.phys, 3u << 20);
}

// A throw-away table (like a future process's): map a 2 MiB page, then change and remove single
// 4 KiB pages inside it, which splits it.
KTEST(paging, split_protect_unmap) {
    auto created = PageTable::create();
    KASSERT_TRUE(!created.is_error());
    PageTable pt = created.value();
    constexpr uintptr_t kVirt = 0x40000000;
    constexpr uint64_t kPhys = 0x200000;
    KASSERT_TRUE(!pt.map(kVirt, kPhys, kPageSize2M, prot::Write | prot::User).is_error());
    KEXPECT_EQ(pt.leaf(kVirt + 0x5000).level, 2);
    KEXPECT_EQ(int(pt.map(kVirt + 0x1000, kPhys, kPageSize4K, prot::Write).error()), int(Errno::EEXIST));

    KASSERT_TRUE(!pt.protect(kVirt + 0x5000, prot::User).is_error());
    Translation t;
    KASSERT_TRUE(pt.translate(kVirt + 0x5123, t));
    KEXPECT_EQ(t.page_size, kPageSize4K);
    KEXPECT_EQ(t.phys, kPhys + 0x5123);
    KEXPECT_FALSE(t.prot & prot::Write);
    KEXPECT_TRUE(t.prot & prot::User);
    KASSERT_TRUE(pt.translate(kVirt + 0x6000, t));
    KEXPECT_TRUE(t.prot & prot::Write);  // its neighbours keep their protection
    KEXPECT_EQ(t.phys, kPhys + 0x6000);

    KASSERT_TRUE(!pt.unmap(kVirt + 0x7000).is_error());
    KEXPECT_FALSE(pt.translate(kVirt + 0x7000, t));
    KEXPECT_EQ(int(pt.unmap(kVirt + 0x7000).error()), int(Errno::ENOENT));
    KEXPECT_TRUE(pt.translate(kVirt + 0x8000, t));

    uint64_t before_destroy = nr_free_pages();
    pt.destroy();
    KEXPECT_EQ(nr_free_pages(), before_destroy + 4);  // PML4, PDPT, PD, PT
}
