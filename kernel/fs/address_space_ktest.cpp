// Self-tests of file pages on real memory: the page index of an AddressSpace and the pages under it.
#include <fs/address_space.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>

KTEST(address_space, pages_hold_data_and_return_on_truncate) {
    uint64_t free_before = nr_free_pages();
    {
        AddressSpace as;
        const uint64_t indexes[] = {0, 1, 64, 4097, 1u << 20};
        for (uint64_t index : indexes) {
            Result<Page*> page = as.find_or_create_page(index);
            KASSERT_TRUE(!page.is_error());
            auto* bytes = static_cast<uint8_t*>(page_address(page.value()));
            KEXPECT_EQ(bytes[0], 0);
            KEXPECT_EQ(bytes[kPageSize - 1], 0);
            memset(bytes, int(index & 0xff) + 1, kPageSize);
            put_page(page.value());
        }
        KEXPECT_EQ(as.nr_pages(), 5);
        for (uint64_t index : indexes) {
            Page* page = as.find_get_page(index);
            KASSERT_TRUE(page != nullptr);
            auto* bytes = static_cast<uint8_t*>(page_address(page));
            KEXPECT_EQ(bytes[123], (index & 0xff) + 1);
            put_page(page);
        }
        KEXPECT_TRUE(as.find_get_page(2) == nullptr);
        uint64_t before_truncate = nr_free_pages();
        KEXPECT_EQ(as.truncate_pages(64), 3);
        KEXPECT_TRUE(nr_free_pages() >= before_truncate + 3);
    }
    // The tree's nodes are slab objects: allow their slab page to stay cached.
    KEXPECT_TRUE(nr_free_pages() + 2 >= free_before);
}

KTEST(address_space, page_outlives_truncate_while_referenced) {
    AddressSpace as;
    Result<Page*> page = as.find_or_create_page(3);
    KASSERT_TRUE(!page.is_error());
    Page* p = page.value();
    static_cast<uint8_t*>(page_address(p))[0] = 0x5a;
    KEXPECT_EQ(page_count(p), 2);
    as.truncate_pages(0);
    KEXPECT_EQ(page_count(p), 1);
    KEXPECT_EQ(static_cast<uint8_t*>(page_address(p))[0], 0x5a);
    uint64_t before = nr_free_pages();
    put_page(p);
    KEXPECT_EQ(nr_free_pages(), before + 1);
}
