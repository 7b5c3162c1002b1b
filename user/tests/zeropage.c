/* zeropage: fresh anonymous memory reads as zero, reading it costs no memory (the shared zero page),
 * and writing to one such page never shows through another page or another process. */
#include "utest.h"

#include <fcntl.h>
#include <sys/mman.h>

enum { PAGE = 4096 };
static unsigned char big_bss[64 * 1024];

static void expect_zero(const unsigned char* p, size_t len, const char* what) {
    for (size_t i = 0; i < len; i++)
        if (p[i] != 0)
            UT_FAIL("%s: byte %zu is %#x, expected 0", what, i, p[i]);
}

static unsigned char* map_anon(size_t len) {
    return UT_OK(mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

UTEST_CASE(anonymous_mmap_reads_zero) {
    unsigned char* p = map_anon(64 * PAGE);
    expect_zero(p, 64 * PAGE, "fresh mmap");
}

UTEST_CASE(bss_reads_zero) {
    expect_zero(big_bss, sizeof big_bss, ".bss");
}

UTEST_CASE(brk_memory_reads_zero) {
    unsigned char* start = sbrk(0);
    UT_ASSERT(start != (void*)-1, "sbrk(0) failed");
    unsigned char* p = UT_OK(sbrk(16 * PAGE));
    UT_ASSERT(p == start, "sbrk returned %p, break was %p", (void*)p, (void*)start);
    expect_zero(p, 16 * PAGE, "new heap");
    memset(p, 0xee, 16 * PAGE);
    UT_OK(sbrk(-16 * PAGE));
    UT_OK(sbrk(16 * PAGE));
    expect_zero(p, 16 * PAGE, "heap shrunk then grown again");
}

UTEST_CASE(write_after_read_keeps_other_pages_zero) {
    unsigned char* p = map_anon(8 * PAGE);
    volatile unsigned char sink = 0;
    for (int i = 0; i < 8; i++)
        sink += p[i * PAGE]; /* map every page read-only first */
    (void)sink;
    p[3 * PAGE + 5] = 0x42;
    UT_EQ(p[3 * PAGE + 5], 0x42);
    expect_zero(p, 3 * PAGE + 5, "pages before the written byte");
    expect_zero(p + 3 * PAGE + 6, 5 * PAGE - 6, "pages after the written byte");
    /* A brand-new mapping must still read zero: the shared zero page was not written. */
    unsigned char* q = map_anon(PAGE);
    sink += q[0];
    expect_zero(q, PAGE, "another fresh mapping");
}

UTEST_CASE(child_write_to_zero_page_invisible) {
    unsigned char* p = map_anon(4 * PAGE);
    volatile unsigned char sink = p[0] + p[PAGE];
    (void)sink;
    pid_t pid = ut_fork();
    if (pid == 0) {
        p[0] = 1;
        p[PAGE] = 2;
        p[2 * PAGE] = 3; /* never touched before the fork */
        _exit(p[0] == 1 && p[PAGE] == 2 && p[2 * PAGE] == 3 ? 0 : 1);
    }
    UT_WAIT_OK(pid);
    expect_zero(p, 4 * PAGE, "parent after the child wrote");
}

UTEST_CASE(unmapped_memory_does_not_leak_into_new_mappings) {
    for (int round = 0; round < 4; round++) {
        unsigned char* p = map_anon(32 * PAGE);
        expect_zero(p, 32 * PAGE, "new mapping");
        memset(p, 0xa5, 32 * PAGE);
        UT_OK(munmap(p, 32 * PAGE));
    }
}

UTEST_CASE(madvise_dontneed_reads_zero_again) {
    unsigned char* p = map_anon(8 * PAGE);
    memset(p, 0x77, 8 * PAGE);
    UT_OK(madvise(p, 8 * PAGE, MADV_DONTNEED));
    expect_zero(p, 8 * PAGE, "after MADV_DONTNEED");
}

/* Resident pages from /proc/self/statm (second field), or -1 when there is no procfs. */
static long resident_pages(void) {
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd < 0)
        return -1;
    char buf[256];
    ssize_t n = ut_read_all(fd, buf, sizeof buf);
    close(fd);
    long size = 0, resident = -1;
    if (n <= 0 || sscanf(buf, "%ld %ld", &size, &resident) != 2)
        return -1;
    return resident;
}

UTEST_CASE(read_only_touch_costs_no_memory) {
    enum { N = 4096 }; /* 16 MiB */
    if (resident_pages() < 0)
        UT_SKIP("no /proc/self/statm");
    /* Not MAP_POPULATE and no huge pages: one read per 4 KiB page. */
    unsigned char* p = map_anon((size_t)N * PAGE);
    madvise(p, (size_t)N * PAGE, MADV_NOHUGEPAGE);
    long before = resident_pages();
    volatile unsigned sink = 0;
    for (int i = 0; i < N; i++)
        sink += p[(size_t)i * PAGE];
    long after_read = resident_pages();
    UT_ASSERT(after_read - before < N / 16, "reading %d pages raised RSS by %ld pages", N, after_read - before);
    for (int i = 0; i < N / 4; i++)
        p[(size_t)i * PAGE] = 1;
    long after_write = resident_pages();
    UT_ASSERT(after_write - after_read >= N / 4 - N / 32,
              "writing %d pages raised RSS by only %ld pages (statm does not count)", N / 4, after_write - after_read);
}
