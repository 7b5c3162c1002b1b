/* segv: a bad memory access or a faulting instruction kills only the process that made it, with the
 * right signal; a handler sees the faulting address and the reason; other processes carry on. */
#include "utest.h"

#include <setjmp.h>
#include <sys/mman.h>

static int died_by(void (*body)(void)) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    return ut_wait(pid);
}

#define EXPECT_SIGNAL(status_expr, sig)                                                    \
    do {                                                                                   \
        int st_ = (status_expr);                                                           \
        UT_ASSERT(WIFSIGNALED(st_) && WTERMSIG(st_) == (sig), "the child %s, expected %s", \
                  ut_status_str(st_), strsignal(sig));                                     \
    } while (0)

/* Bad addresses go through volatile pointers so the compiler emits the access as written. */
static volatile int* volatile null_ptr = 0;
static volatile long* volatile kernel_ptr = (volatile long*)0xffff888000000000UL;
static volatile long* volatile noncanonical_ptr = (volatile long*)0x0000800000000000UL;
static void null_read(void) { (void)*null_ptr; }
static void null_write(void) { *null_ptr = 1; }
static void kernel_read(void) { (void)*kernel_ptr; }
static void noncanonical_read(void) { (void)*noncanonical_ptr; }
__attribute__((noinline)) void segv_text_target(void) { __asm__ volatile(""); }
static void text_write(void) { *(volatile unsigned char*)(void*)&segv_text_target = 0xc3; }
static void rodata_write(void) {
    static const char ro[] = "read-only";
    *(volatile char*)ro = 'R';
}
static void exec_data(void) {
    void* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(page, 0xc3, 4096); /* ret */
    ((void (*)(void))page)();
}
static void after_munmap(void) {
    int* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *p = 1;
    munmap(p, 4096);
    *(volatile int*)p = 2;
}
static void ud2(void) { __asm__ volatile("ud2"); }
static void int3(void) { __asm__ volatile("int3"); }
static void divide_by_zero(void) {
    int zero = 0;
    __asm__ volatile("mov $1, %%eax; cltd; idivl %0" : : "r"(zero) : "eax", "edx");
}
static void privileged(void) { __asm__ volatile("hlt"); }

UTEST_CASE(null_read_is_sigsegv) { EXPECT_SIGNAL(died_by(null_read), SIGSEGV); }
UTEST_CASE(null_write_is_sigsegv) { EXPECT_SIGNAL(died_by(null_write), SIGSEGV); }
UTEST_CASE(kernel_address_is_sigsegv) { EXPECT_SIGNAL(died_by(kernel_read), SIGSEGV); }
/* A non-canonical address raises #GP rather than #PF; Linux still sends SIGSEGV. */
UTEST_CASE(noncanonical_address_is_sigsegv) { EXPECT_SIGNAL(died_by(noncanonical_read), SIGSEGV); }
UTEST_CASE(write_to_text_is_sigsegv) { EXPECT_SIGNAL(died_by(text_write), SIGSEGV); }
UTEST_CASE(write_to_rodata_is_sigsegv) { EXPECT_SIGNAL(died_by(rodata_write), SIGSEGV); }
UTEST_CASE(execute_data_is_sigsegv) { EXPECT_SIGNAL(died_by(exec_data), SIGSEGV); }
UTEST_CASE(access_after_munmap_is_sigsegv) { EXPECT_SIGNAL(died_by(after_munmap), SIGSEGV); }
UTEST_CASE(ud2_is_sigill) { EXPECT_SIGNAL(died_by(ud2), SIGILL); }
UTEST_CASE(int3_is_sigtrap) { EXPECT_SIGNAL(died_by(int3), SIGTRAP); }
UTEST_CASE(divide_by_zero_is_sigfpe) { EXPECT_SIGNAL(died_by(divide_by_zero), SIGFPE); }
UTEST_CASE(privileged_instruction_is_sigsegv) { EXPECT_SIGNAL(died_by(privileged), SIGSEGV); }

UTEST_CASE(parent_and_sibling_continue) {
    int to_sib[2], from_sib[2];
    UT_OK(pipe(to_sib));
    UT_OK(pipe(from_sib));
    pid_t sibling = ut_fork();
    if (sibling == 0) { /* echoes bytes until EOF */
        close(to_sib[1]);
        close(from_sib[0]);
        char c;
        while (read(to_sib[0], &c, 1) == 1) {
            c++;
            if (write(from_sib[1], &c, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    close(to_sib[0]);
    close(from_sib[1]);
    for (int round = 0; round < 3; round++) {
        EXPECT_SIGNAL(died_by(null_write), SIGSEGV);
        char c = (char)('a' + round);
        UT_EQ(write(to_sib[1], &c, 1), 1);
        UT_EQ(read(from_sib[0], &c, 1), 1);
        UT_EQ(c, 'b' + round);
    }
    close(to_sib[1]);
    UT_WAIT_OK(sibling);
}

static sigjmp_buf recover;
static volatile void* fault_addr;
static volatile int fault_code;
static void on_segv(int sig, siginfo_t* si, void* uctx) {
    (void)sig;
    (void)uctx;
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    siglongjmp(recover, 1);
}

static void catch_segv(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    UT_OK(sigaction(SIGSEGV, &sa, NULL));
}

UTEST_CASE(handler_sees_address_and_maperr) {
    catch_segv();
    volatile int* volatile bad = (volatile int*)0x1234;
    if (sigsetjmp(recover, 1) == 0) {
        *bad = 1;
        UT_FAIL("the write to %p did not fault", (void*)bad);
    }
    UT_ASSERT(fault_addr == (void*)0x1234, "si_addr %p", (void*)fault_addr);
    UT_EQ(fault_code, SEGV_MAPERR);
}

UTEST_CASE(handler_sees_accerr_on_read_only_page) {
    catch_segv();
    char* ro = UT_OK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (sigsetjmp(recover, 1) == 0) {
        ro[100] = 1;
        UT_FAIL("the write to a read-only page did not fault");
    }
    UT_ASSERT(fault_addr == ro + 100, "si_addr %p, expected %p", (void*)fault_addr, (void*)(ro + 100));
    UT_EQ(fault_code, SEGV_ACCERR);
}

UTEST_CASE(recovered_process_keeps_working) {
    catch_segv();
    for (int i = 0; i < 50; i++) {
        if (sigsetjmp(recover, 1) == 0)
            null_ptr[4 + i * 2] = i;
    }
    /* Still a healthy process: it can fork, and its child exits normally. */
    pid_t pid = ut_fork();
    if (pid == 0)
        _exit(0);
    UT_WAIT_OK(pid);
}

UTEST_CASE(sigsegv_blocked_still_kills) {
    /* A fault while SIGSEGV is blocked cannot be delivered: Linux kills the process with it. */
    pid_t pid = ut_fork();
    if (pid == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGSEGV);
        sigprocmask(SIG_BLOCK, &set, NULL);
        null_write();
        _exit(0);
    }
    EXPECT_SIGNAL(ut_wait(pid), SIGSEGV);
}

UTEST_CASE(sigsegv_ignored_still_kills) {
    pid_t pid = ut_fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_IGN);
        null_write();
        _exit(0);
    }
    EXPECT_SIGNAL(ut_wait(pid), SIGSEGV);
}
