// Self-tests of the page allocator on the real memory map.
#include <kunit/ktest.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <lib/string.hpp>

extern "C" char _stext[], _end[];

// The byte before a linker-script boundary symbol (plain `sym - 1` trips -Warray-bounds).
inline const char* last_byte(const char* end_symbol) {
    return reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(end_symbol) - 1);
}

KTEST(page_alloc, alloc_free_balance) {
    uint64_t before = nr_free_pages();
    constexpr unsigned kBlocks = 48;
    Page* blocks[kBlocks];
    for (unsigned i = 0; i < kBlocks; i++) {
        unsigned order = (i * 7) % 5;  // orders 0..4, interleaved
        blocks[i] = alloc_pages(GFP_KERNEL, order);
        KASSERT_TRUE(blocks[i] != nullptr);
        KEXPECT_EQ(page_to_pfn(blocks[i]) & ((1u << order) - 1), 0);
        KEXPECT_EQ(page_count(blocks[i]), 1);
        // Each block is usable memory of its own: write its index all over it.
        memset(page_address(blocks[i]), int(i), kPageSize << order);
    }
    for (unsigned i = 0; i < kBlocks; i++) {
        unsigned order = (i * 7) % 5;
        auto* bytes = static_cast<unsigned char*>(page_address(blocks[i]));
        KEXPECT_EQ(bytes[0], i);
        KEXPECT_EQ(bytes[(kPageSize << order) - 1], i);
    }
    // Free odd blocks first, then even ones: the allocator must coalesce out of order.
    for (unsigned i = 1; i < kBlocks; i += 2) free_pages(blocks[i], (i * 7) % 5);
    for (unsigned i = 0; i < kBlocks; i += 2) free_pages(blocks[i], (i * 7) % 5);
    KEXPECT_EQ(nr_free_pages(), before);
}

KTEST(page_alloc, gfp_zero) {
    Page* dirty = alloc_pages(GFP_KERNEL, 1);
    KASSERT_TRUE(dirty != nullptr);
    memset(page_address(dirty), 0xcc, 2 * kPageSize);
    free_pages(dirty, 1);
    Page* clean = alloc_pages(GFP_KERNEL | GFP_ZERO, 1);
    KASSERT_TRUE(clean != nullptr);
    auto* words = static_cast<uint64_t*>(page_address(clean));
    uint64_t any = 0;
    for (size_t i = 0; i < 2 * kPageSize / 8; i++) any |= words[i];
    KEXPECT_EQ(any, 0);
    free_pages(clean, 1);
}

KTEST(page_alloc, last_put_page_frees) {
    uint64_t before = nr_free_pages();
    Page* page = alloc_pages(GFP_KERNEL, 0);
    KASSERT_TRUE(page != nullptr);
    get_page(page);
    put_page(page);
    KEXPECT_EQ(nr_free_pages(), before - 1);
    put_page(page);
    KEXPECT_EQ(nr_free_pages(), before);
}

KTEST(page_alloc, reserved_memory_is_not_free) {
    KEXPECT_TRUE(totalram_pages() > 0);
    KEXPECT_TRUE(nr_free_pages() <= totalram_pages());
    // Page 0, the first MiB, the kernel image and mem_map itself are never handed out.
    KEXPECT_TRUE(pfn_to_page(0)->test(PG_reserved));
    KEXPECT_TRUE(pfn_to_page(0x9f)->test(PG_reserved));
    KEXPECT_TRUE(virt_to_page(_stext)->test(PG_reserved));
    KEXPECT_TRUE(virt_to_page(last_byte(_end))->test(PG_reserved));
    KEXPECT_TRUE(virt_to_page(mem_map)->test(PG_reserved));
    Page* page = alloc_pages(GFP_KERNEL, 0);
    KASSERT_TRUE(page != nullptr);
    KEXPECT_TRUE(page_to_phys(page) >= (1u << 20));
    KEXPECT_EQ(virt_to_page(page_address(page)), page);
    free_pages(page, 0);
}
