/* mman: the memory-mapping calls: mmap (anonymous, file, fixed, errors), munmap splitting mappings,
 * mprotect, mremap, brk, and a sparse mapping far larger than RAM. */
#include "utest.h"

#include <fcntl.h>
#include <sys/mman.h>

enum { PAGE = 4096 };

/* Is the page at `addr` readable by the kernel for us? (write(2) from it: EFAULT when unmapped.) */
static int readable(const void* addr) {
    int p[2];
    if (pipe(p) < 0)
        UT_FAIL("pipe: %s", ut_errno_name(errno));
    ssize_t n = write(p[1], addr, 1);
    int e = errno;
    close(p[0]);
    close(p[1]);
    if (n < 0 && e != EFAULT)
        UT_FAIL("write from %p: %s", addr, ut_errno_name(e));
    return n == 1;
}

static int dies_with_sigsegv_writing(volatile char* addr) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        *addr = 1;
        _exit(0);
    }
    int status = ut_wait(pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static char* map(size_t len, int prot) {
    return UT_OK(mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

UTEST_CASE(munmap_middle_splits_mapping) {
    char* p = map(3 * PAGE, PROT_READ | PROT_WRITE);
    p[0] = 'a';
    p[PAGE] = 'b';
    p[2 * PAGE] = 'c';
    UT_OK(munmap(p + PAGE, PAGE));
    UT_EQ(p[0], 'a');
    UT_EQ(p[2 * PAGE], 'c');
    UT_ASSERT(!readable(p + PAGE), "the unmapped middle page is still readable");
    UT_ASSERT(dies_with_sigsegv_writing(p + PAGE), "writing the hole did not give SIGSEGV");
    UT_OK(munmap(p, 3 * PAGE)); /* unmapping a range with a hole in it is fine */
    UT_ASSERT(!readable(p) && !readable(p + 2 * PAGE), "pages still mapped");
}

UTEST_CASE(mprotect_read_only_then_back) {
    char* p = map(2 * PAGE, PROT_READ | PROT_WRITE);
    p[0] = 'x';
    UT_OK(mprotect(p, PAGE, PROT_READ));
    UT_EQ(p[0], 'x');
    UT_ASSERT(dies_with_sigsegv_writing(p), "writing a read-only page did not give SIGSEGV");
    p[PAGE] = 'y'; /* the second page kept its protection */
    UT_OK(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    p[0] = 'z';
    UT_EQ(p[0], 'z');
    UT_OK(mprotect(p, PAGE, PROT_NONE));
    UT_ASSERT(!readable(p), "a PROT_NONE page is readable");
    UT_ERRNO(mprotect(p + 1, PAGE, PROT_READ), EINVAL);
}

UTEST_CASE(map_fixed_replaces) {
    char* p = map(4 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 'o', 4 * PAGE);
    char* q = UT_OK(mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    UT_ASSERT(q == p + PAGE, "MAP_FIXED gave %p, asked %p", (void*)q, (void*)(p + PAGE));
    UT_EQ(q[0], 0); /* a fresh page */
    UT_EQ(p[0], 'o');
    UT_EQ(p[2 * PAGE], 'o');
    errno = 0;
    void* r = mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    UT_ASSERT(r == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping: %p %s", r, ut_errno_name(errno));
}

UTEST_CASE(mmap_errors) {
    errno = 0;
    UT_ASSERT(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
              "length 0: %s", ut_errno_name(errno));
    char* p = map(PAGE, PROT_READ);
    errno = 0;
    UT_ASSERT(mmap(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
                  errno == EINVAL, "unaligned MAP_FIXED: %s", ut_errno_name(errno));
    errno = 0;
    UT_ASSERT(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 1000, 0) == MAP_FAILED && errno == EBADF,
              "bad fd: %s", ut_errno_name(errno));
    errno = 0;
    UT_ASSERT(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
              "neither private nor shared: %s", ut_errno_name(errno));
    UT_ERRNO(munmap(p + 1, PAGE), EINVAL);
    char path[256];
    ut_scratch(path, sizeof path, "ro");
    int fd = UT_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    UT_OK(ftruncate(fd, PAGE));
    close(fd);
    fd = UT_OK(open(path, O_RDONLY));
    errno = 0;
    UT_ASSERT(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES,
              "writable shared mapping of a read-only fd: %s", ut_errno_name(errno));
    void* ok = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    UT_ASSERT(ok != MAP_FAILED, "private writable mapping of a read-only fd: %s", ut_errno_name(errno));
    close(fd);
    unlink(path);
}

UTEST_CASE(file_mapping_at_offset) {
    char path[256];
    ut_scratch(path, sizeof path, "off");
    int fd = UT_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    static char buf[3 * PAGE];
    for (int i = 0; i < 3; i++)
        memset(buf + i * PAGE, 'A' + i, PAGE);
    UT_EQ(write(fd, buf, sizeof buf), (long)sizeof buf);
    char* m = UT_OK(mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE));
    UT_EQ(m[0], 'B');
    UT_EQ(m[PAGE], 'C');
    errno = 0;
    UT_ASSERT(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL,
              "unaligned offset: %s", ut_errno_name(errno));
    close(fd); /* the mapping outlives the descriptor */
    UT_EQ(m[PAGE + 5], 'C');
    unlink(path);
}

UTEST_CASE(mremap_grows_and_shrinks) {
    char* p = map(2 * PAGE, PROT_READ | PROT_WRITE);
    strcpy(p, "kept across mremap");
    p[PAGE] = 'q';
    char* q = UT_OK(mremap(p, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE));
    UT_ASSERT(strcmp(q, "kept across mremap") == 0, "contents \"%s\"", q);
    UT_EQ(q[PAGE], 'q');
    UT_EQ(q[63 * PAGE], 0);
    q[63 * PAGE] = 1;
    char* r = UT_OK(mremap(q, 64 * PAGE, PAGE, 0));
    UT_ASSERT(r == q, "shrinking moved the mapping");
    UT_ASSERT(!readable(q + PAGE), "the tail is still mapped after shrinking");
}

UTEST_CASE(brk_grows_and_shrinks) {
    char* start = sbrk(0);
    char* old = UT_OK(sbrk(10 * PAGE));
    UT_ASSERT(old == start, "sbrk returned %p, expected %p", (void*)old, (void*)start);
    memset(old, 'h', 10 * PAGE);
    UT_ASSERT(sbrk(0) == start + 10 * PAGE, "break not moved");
    UT_OK(sbrk(-10 * PAGE));
    UT_ASSERT(sbrk(0) == start, "break not moved back");
    char* page_after = (char*)(((unsigned long)start + PAGE - 1) & ~(unsigned long)(PAGE - 1)) + PAGE;
    UT_ASSERT(!readable(page_after), "memory above the shrunk break is still mapped");
    /* The raw call returns the current break when asked for something impossible. */
    long cur = syscall(SYS_brk, 0);
    UT_EQ(syscall(SYS_brk, 1), cur);
}

UTEST_CASE(sparse_mapping_larger_than_ram) {
    size_t len = 4UL << 30; /* 4 GiB of address space, a few pages touched */
    char* p = UT_OK(mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    for (size_t off = 0; off < len; off += len / 8)
        p[off] = 7;
    for (size_t off = 0; off < len; off += len / 8)
        UT_EQ(p[off], 7);
    UT_OK(munmap(p, len));
}

UTEST_CASE(shared_anonymous_survives_parent_unmap) {
    char* p = UT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    int go[2];
    UT_OK(pipe(go));
    pid_t pid = ut_fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(p[0] == 's' ? 0 : 1);
    }
    p[0] = 's';
    UT_OK(munmap(p, PAGE)); /* the child's mapping keeps the page */
    write(go[1], "g", 1);
    UT_WAIT_OK(pid);
}

UTEST_CASE(mmap_hint_does_not_clobber) {
    char* p = map(PAGE, PROT_READ | PROT_WRITE);
    p[0] = 'k';
    char* q = UT_OK(mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    UT_ASSERT(q != p, "a hint without MAP_FIXED replaced an existing mapping");
    UT_EQ(p[0], 'k');
}
