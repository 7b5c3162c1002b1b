// Self-tests of user-memory access (uaccess.cpp) against a real user address space: the bare page table
// of the user-mode harness, loaded on this kernel thread.
#include <arch/x86_64/entry/user_mode.hpp>
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/user_thread.hpp>
#include <kunit/ktest.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <sched/preempt.hpp>
#include <sched/task.hpp>

using namespace x86::usertest;

extern "C" const char user_prog_segv_start[], user_prog_segv_end[];
extern "C" uint8_t x86_smap_active;

namespace {

// Runs this kernel thread on the user page table of `p` while in scope.
class OnUserPageTable {
public:
    explicit OnUserPageTable(const UserProcess& p) { x86::enter_test_page_table(p.cr3()); }
    ~OnUserPageTable() { x86::leave_test_page_table(); }
};

// A plain kernel load from `addr` (no stac): true if it faulted (and was fixed up).
bool raw_load_faults(uint64_t addr, uint64_t& value) {
    int faulted = 0;
    asm volatile("1: movq (%[p]), %[v]\n\t"
                 "jmp 3f\n"
                 "2: movl $1, %[f]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [v] "+r"(value), [f] "+r"(faulted)
                 : [p] "r"(addr)
                 : "memory");
    return faulted;
}

}  // namespace

KTEST(uaccess, copy_round_trip_and_efault) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_segv_start, user_prog_segv_end));
    OnUserPageTable on(p);
    const char message[] = "tern uaccess";
    KEXPECT_TRUE(bool(copy_to_user(UserPtr<void>(kDataAddr + 8), message, sizeof message)));
    char back[sizeof message] = {};
    KEXPECT_TRUE(bool(copy_from_user(back, UserPtr<const void>(kDataAddr + 8), sizeof back)));
    KEXPECT_EQ(memcmp(back, message, sizeof message), 0);
    KEXPECT_EQ(p.data(8) & 0xff, 't');

    // Unmapped user memory: the fault is not resolved (no demand paging here) and the fix-up answers.
    KEXPECT_EQ(int(copy_from_user(back, UserPtr<const void>(0x500000), 8).error()), int(Errno::EFAULT));
    KEXPECT_EQ(int(copy_to_user(UserPtr<void>(0x500000), message, 8).error()), int(Errno::EFAULT));
    // A copy that runs off the end of the mapped page faults part-way.
    KEXPECT_EQ(int(copy_from_user(back, UserPtr<const void>(kDataAddr + 4096 - 4), 8).error()), int(Errno::EFAULT));
    // Kernel addresses and ranges that wrap are refused before anything is touched.
    KEXPECT_EQ(int(copy_from_user(back, UserPtr<const void>(0xffff888000000000ull), 8).error()), int(Errno::EFAULT));
    KEXPECT_EQ(int(copy_from_user(back, UserPtr<const void>(uint64_t(-4)), 8).error()), int(Errno::EFAULT));
    KEXPECT_FALSE(access_ok(TASK_SIZE - 4, 8));
    KEXPECT_TRUE(access_ok(TASK_SIZE - 8, 8));
    // The read-only code page takes no writes.
    KEXPECT_EQ(int(copy_to_user(UserPtr<void>(kCodeAddr), message, 4).error()), int(Errno::EFAULT));
}

KTEST(uaccess, strncpy_and_clear_user) {
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_segv_start, user_prog_segv_end));
    OnUserPageTable on(p);
    const char name[] = "/sbin/init";
    KASSERT_TRUE(bool(copy_to_user(UserPtr<void>(kDataAddr), name, sizeof name)));
    char buf[32];
    Result<size_t> n = strncpy_from_user(buf, UserPtr<const char>(kDataAddr), sizeof buf);
    KASSERT_TRUE(bool(n));
    KEXPECT_EQ(n.value(), sizeof name - 1);
    KEXPECT_EQ(strcmp(buf, name), 0);
    // No NUL within the limit.
    KEXPECT_EQ(int(strncpy_from_user(buf, UserPtr<const char>(kDataAddr), 4).error()), int(Errno::ENAMETOOLONG));
    // A string that runs into an unmapped page.
    char filler[16];
    memset(filler, 'x', sizeof filler);
    KASSERT_TRUE(bool(copy_to_user(UserPtr<void>(kDataAddr + 4096 - 16), filler, sizeof filler)));
    KEXPECT_EQ(int(strncpy_from_user(buf, UserPtr<const char>(kDataAddr + 4096 - 16), sizeof buf).error()),
               int(Errno::EFAULT));
    KEXPECT_EQ(int(strncpy_from_user(buf, UserPtr<const char>(0xffffffff80000000ull), sizeof buf).error()),
               int(Errno::EFAULT));
    KEXPECT_TRUE(bool(clear_user(UserPtr<void>(kDataAddr), 8)));
    KEXPECT_EQ(p.data(0), 0);
    KEXPECT_EQ(int(clear_user(UserPtr<void>(kDataAddr + 4096 - 4), 8).error()), int(Errno::EFAULT));
}

// With SMAP, the kernel touching user memory outside copy_*_user faults even though the page is mapped
// (and the fault handler does not hand it to the memory manager): a stray user pointer dereference
// cannot read what user space planted.
KTEST(uaccess, smap_blocks_plain_kernel_access) {
    if (!x86_smap_active) return;  // the CPU has no SMAP: nothing to check
    UserProcess p;
    KASSERT_TRUE(p.load(user_prog_segv_start, user_prog_segv_end));
    OnUserPageTable on(p);
    uint64_t secret = 0x5ec2e7;
    KASSERT_TRUE(bool(put_user(secret, UserPtr<uint64_t>(kDataAddr))));
    uint64_t value = 0;
    KEXPECT_TRUE(raw_load_faults(kDataAddr, value));
    KEXPECT_EQ(value, 0);
    uint64_t through_uaccess = 0;
    KEXPECT_TRUE(bool(get_user(through_uaccess, UserPtr<uint64_t>(kDataAddr))));
    KEXPECT_EQ(through_uaccess, secret);
}
