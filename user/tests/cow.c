/* cow: after fork, parent and child have private copies of every private page (copy-on-write), share
 * MAP_SHARED pages, and a MAP_PRIVATE file mapping never writes back to its file. */
#include "utest.h"

#include <fcntl.h>
#include <sys/mman.h>

static int data_word = 1;       /* .data */
static int bss_word;            /* .bss */
enum { PAGES = 16, PAGE = 4096 };

/* A pipe used as a one-byte barrier between parent and child. */
static void send_byte(int fd) {
    char c = 'x';
    UT_ASSERT(write(fd, &c, 1) == 1, "barrier write: %s", ut_errno_name(errno));
}
static void recv_byte(int fd) {
    char c;
    UT_ASSERT(read(fd, &c, 1) == 1, "barrier read: %s", ut_errno_name(errno));
}

UTEST_CASE(child_writes_invisible_to_parent) {
    int stack_word = 3;
    int* heap_word = malloc(sizeof *heap_word);
    *heap_word = 4;
    pid_t pid = ut_fork();
    if (pid == 0) {
        data_word = 10;
        bss_word = 20;
        stack_word = 30;
        *heap_word = 40;
        _exit(data_word == 10 && bss_word == 20 && stack_word == 30 && *heap_word == 40 ? 0 : 1);
    }
    UT_WAIT_OK(pid);
    UT_EQ(data_word, 1);
    UT_EQ(bss_word, 0);
    UT_EQ(stack_word, 3);
    UT_EQ(*heap_word, 4);
}

UTEST_CASE(parent_writes_invisible_to_child) {
    int to_child[2], to_parent[2];
    UT_OK(pipe(to_child));
    UT_OK(pipe(to_parent));
    data_word = 5;
    pid_t pid = ut_fork();
    if (pid == 0) {
        recv_byte(to_child[0]); /* the parent has written by now */
        _exit(data_word == 5 && bss_word == 0 ? 0 : 1);
    }
    data_word = 6;
    bss_word = 7;
    send_byte(to_child[1]);
    UT_WAIT_OK(pid);
    UT_EQ(data_word, 6);
}

UTEST_CASE(many_pages_isolated_both_ways) {
    unsigned char* mem = UT_OK(mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    for (int i = 0; i < PAGES; i++)
        mem[i * PAGE] = (unsigned char)i;
    int go[2];
    UT_OK(pipe(go));
    pid_t pid = ut_fork();
    if (pid == 0) {
        for (int i = 0; i < PAGES; i += 2) /* the child writes the even pages */
            mem[i * PAGE] = 0xc0;
        recv_byte(go[0]);
        for (int i = 0; i < PAGES; i++) {
            unsigned char want = i % 2 == 0 ? 0xc0 : (unsigned char)i; /* the parent's odd writes unseen */
            if (mem[i * PAGE] != want)
                UT_FAIL("child sees page %d = %#x, expected %#x", i, mem[i * PAGE], want);
        }
        _exit(0);
    }
    for (int i = 1; i < PAGES; i += 2) /* the parent writes the odd pages */
        mem[i * PAGE] = 0xaa;
    send_byte(go[1]);
    UT_WAIT_OK(pid);
    for (int i = 0; i < PAGES; i++) {
        unsigned char want = i % 2 == 1 ? 0xaa : (unsigned char)i;
        UT_ASSERT(mem[i * PAGE] == want, "parent sees page %d = %#x, expected %#x", i, mem[i * PAGE], want);
    }
}

UTEST_CASE(grandchild_has_its_own_copy) {
    data_word = 100;
    pid_t pid = ut_fork();
    if (pid == 0) {
        data_word = 200;
        pid_t g = ut_fork();
        if (g == 0) {
            if (data_word != 200)
                UT_FAIL("grandchild sees %d, expected 200", data_word);
            data_word = 300;
            _exit(0);
        }
        UT_WAIT_OK(g);
        _exit(data_word == 200 ? 0 : 1);
    }
    UT_WAIT_OK(pid);
    UT_EQ(data_word, 100);
}

UTEST_CASE(child_exit_leaves_parent_pages_intact) {
    /* The child touches every page then exits; dropping its references must not free the parent's. */
    unsigned char* mem = UT_OK(mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    memset(mem, 0x5a, PAGES * PAGE);
    for (int round = 0; round < 4; round++) {
        pid_t pid = ut_fork();
        if (pid == 0) {
            for (int i = 0; i < PAGES * PAGE; i += 512)
                mem[i] ^= 0xff;
            _exit(0);
        }
        UT_WAIT_OK(pid);
    }
    for (int i = 0; i < PAGES * PAGE; i++)
        UT_ASSERT(mem[i] == 0x5a, "byte %d is %#x", i, mem[i]);
}

UTEST_CASE(shared_anonymous_visible_to_both) {
    volatile int* shared = UT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    shared[0] = 1;
    int go[2], back[2];
    UT_OK(pipe(go));
    UT_OK(pipe(back));
    pid_t pid = ut_fork();
    if (pid == 0) {
        if (shared[0] != 1)
            UT_FAIL("child sees %d before writing, expected 1", shared[0]);
        shared[1] = 42;       /* the parent must see this */
        send_byte(back[1]);
        recv_byte(go[0]);
        _exit(shared[2] == 43 ? 0 : 2); /* and the child the parent's */
    }
    recv_byte(back[0]);
    UT_EQ(shared[1], 42);
    shared[2] = 43;
    send_byte(go[1]);
    UT_WAIT_OK(pid);
}

static int make_file(char* path, size_t size, const char* contents) {
    ut_scratch(path, size, "file");
    int fd = UT_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    size_t len = strlen(contents);
    UT_ASSERT(write(fd, contents, len) == (ssize_t)len, "write: %s", ut_errno_name(errno));
    UT_OK(ftruncate(fd, PAGE));
    return fd;
}

UTEST_CASE(private_file_mapping_not_written_back) {
    char path[256];
    int fd = make_file(path, sizeof path, "original");
    char* map = UT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
    UT_ASSERT(memcmp(map, "original", 8) == 0, "mapping shows \"%.8s\"", map);
    memcpy(map, "modified", 8);
    UT_OK(msync(map, PAGE, MS_SYNC));
    UT_OK(munmap(map, PAGE));
    char buf[16] = {0};
    UT_EQ(pread(fd, buf, 8, 0), 8);
    UT_ASSERT(memcmp(buf, "original", 8) == 0, "the file now holds \"%.8s\"", buf);
    close(fd);
    unlink(path);
}

UTEST_CASE(private_file_mapping_private_after_fork) {
    char path[256];
    int fd = make_file(path, sizeof path, "original");
    char* map = UT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
    pid_t pid = ut_fork();
    if (pid == 0) {
        memcpy(map, "childwrt", 8);
        _exit(0);
    }
    UT_WAIT_OK(pid);
    UT_ASSERT(memcmp(map, "original", 8) == 0, "parent's private mapping shows \"%.8s\"", map);
    char buf[16] = {0};
    UT_EQ(pread(fd, buf, 8, 0), 8);
    UT_ASSERT(memcmp(buf, "original", 8) == 0, "the file now holds \"%.8s\"", buf);
    close(fd);
    unlink(path);
}

UTEST_CASE(shared_file_mapping_written_back) {
    char path[256];
    int fd = make_file(path, sizeof path, "original");
    char* map = UT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    pid_t pid = ut_fork();
    if (pid == 0) {
        memcpy(map, "childwrt", 8);
        _exit(0);
    }
    UT_WAIT_OK(pid);
    UT_ASSERT(memcmp(map, "childwrt", 8) == 0, "parent's shared mapping shows \"%.8s\"", map);
    char buf[16] = {0};
    UT_EQ(pread(fd, buf, 8, 0), 8);
    UT_ASSERT(memcmp(buf, "childwrt", 8) == 0, "the file holds \"%.8s\"", buf);
    close(fd);
    unlink(path);
}

UTEST_CASE(read_only_after_fork_still_readable) {
    /* Pages the parent only read, and a read-only mapping, stay readable and unchanged in the child. */
    unsigned char* ro = UT_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ro[10] = 77;
    UT_OK(mprotect(ro, PAGE, PROT_READ));
    pid_t pid = ut_fork();
    if (pid == 0)
        _exit(ro[10] == 77 ? 0 : 1);
    UT_WAIT_OK(pid);
    UT_EQ(ro[10], 77);
}
