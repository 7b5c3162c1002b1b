// Self-tests of user address spaces on the real MMU: the test task takes an address space for a while
// and touches its user addresses from kernel mode, as copy_to_user/copy_from_user do (SMAP's window
// open, a fix-up for accesses that cannot be resolved). Those accesses take real page faults through
// handle_page_fault, so these tests check the fault handler, the page tables, copy-on-write and the TLB
// flushes on the hardware (a missing flush shows up as a write that should fault but does not).
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/mm/page_table.hpp>
#include <arch/x86_64/mm/pte.hpp>
#include <fs/file.hpp>
#include <fs/ktest_tmpfs.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <mm/gfp.hpp>
#include <mm/ktest_use_mm.hpp>
#include <mm/memory.hpp>
#include <mm/mm_struct.hpp>
#include <mm/mmap.hpp>
#include <mm/tlb.hpp>
#include <printk/printk.hpp>
#include <sched/completion.hpp>
#include <sched/kthread.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <smp/cpumask.hpp>

namespace {

constexpr uint64_t P = 4096;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
constexpr int kRw = PROT_READ | PROT_WRITE;

using UseMm = KtestUseMm;  // mm/ktest_use_mm.hpp

void open_user_access() {
    if (boot_cpu_features.smap) asm volatile("stac" ::: "memory");
}
void close_user_access() {
    if (boot_cpu_features.smap) asm volatile("clac" ::: "memory");
}

// One byte from/to a user address, as uaccess does it: false if the access could not be resolved.
bool user_read(uint64_t addr, uint8_t& value) {
    int err = 0;
    uint8_t v = 0;
    open_user_access();
    asm volatile("1: movb (%[addr]), %[v]\n\t"
                 "jmp 3f\n"
                 "2: movl $-14, %[err]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [v] "+q"(v), [err] "+r"(err)
                 : [addr] "r"(addr)
                 : "memory");
    close_user_access();
    value = v;
    return err == 0;
}

bool user_write(uint64_t addr, uint8_t value) {
    int err = 0;
    open_user_access();
    asm volatile("1: movb %[v], (%[addr])\n\t"
                 "jmp 3f\n"
                 "2: movl $-14, %[err]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [err] "+r"(err)
                 : [addr] "r"(addr), [v] "q"(value)
                 : "memory");
    close_user_access();
    return err == 0;
}

uint8_t user_peek(uint64_t addr) {
    uint8_t v = 0xee;
    return user_read(addr, v) ? v : 0xee;
}

uint64_t pfn_at(MmStruct* mm, uint64_t addr) {
    UserPte pte;
    return arch::user_pte_get(mm->pgd, addr, pte) ? pte.pfn : 0;
}

MmStruct* new_mm() {
    Result<MmStruct*> mm = mm_alloc();
    return mm.is_error() ? nullptr : mm.value();
}

uint64_t map(MmStruct* mm, uint64_t addr, uint64_t len, int prot, int flags) {
    Result<uint64_t> r = vm_mmap(mm, addr, len, prot, flags, nullptr, 0);
    return r.is_error() ? 0 : r.value();
}

Result<void> mprotect(MmStruct* mm, uint64_t addr, uint64_t len, int prot) {
    MmapLockGuard guard(mm);
    return do_mprotect(mm, addr, len, prot);
}

VmArea* lookup(MmStruct* mm, uint64_t addr) {
    MmapLockGuard guard(mm);
    return vma_lookup(mm, addr);
}

}  // namespace

KTEST(user_mm, kernel_half_is_shared_and_cr3_follows) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    const uint64_t* root = static_cast<const uint64_t*>(arch::phys_to_virt(mm->pgd));
    const uint64_t* kernel = static_cast<const uint64_t*>(arch::phys_to_virt(init_page_table().root_phys()));
    unsigned same = 0, user_empty = 0;
    for (unsigned i = 0; i < 256; i++) user_empty += root[i] == 0;
    for (unsigned i = 256; i < 512; i++) same += root[i] == kernel[i];
    KEXPECT_EQ(user_empty, 256);
    KEXPECT_EQ(same, 256);
    // What this kernel thread has loaded: the kernel's table, or (lazy TLB) the address space of the
    // last process that ran on this CPU before it, if an earlier test ran one.
    uint64_t before = x86::read_cr3() & x86::pte::AddressMask;
    {
        UseMm use(mm);
        KEXPECT_EQ(x86::read_cr3() & x86::pte::AddressMask, mm->pgd);
        KEXPECT_TRUE(mm->cpu_mask.load() & (1ull << smp_processor_id()));
    }
    KEXPECT_EQ(x86::read_cr3() & x86::pte::AddressMask, before);
    KEXPECT_EQ(mm->cpu_mask.load(), 0);
    mmput(mm);
}

KTEST(user_mm, demand_zero_and_the_zero_page) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t a = map(mm, 0, 2 * P, kRw, kAnon);
    KASSERT_TRUE(a != 0);
    {
        UseMm use(mm);
        KEXPECT_EQ(user_peek(a + 100), 0);
        KEXPECT_EQ(pfn_at(mm, a), zero_pfn());
        KEXPECT_EQ(mm_rss_pages(mm), 0);
        KEXPECT_TRUE(user_write(a + 100, 0x5a));
        KEXPECT_TRUE(pfn_at(mm, a) != zero_pfn());
        KEXPECT_EQ(user_peek(a + 100), 0x5a);
        KEXPECT_EQ(user_peek(a + 101), 0);
        KEXPECT_TRUE(user_write(a + P, 1));  // a first access that writes
        KEXPECT_EQ(mm_rss_pages(mm), 2);
    }
    mmput(mm);
}

KTEST(user_mm, zero_page_shared_by_two_address_spaces) {
    MmStruct* one = new_mm();
    MmStruct* two = new_mm();
    KASSERT_TRUE(one && two);
    uint64_t a = map(one, 0, P, PROT_READ, kAnon);
    uint64_t b = map(two, 0x10000000, P, PROT_READ, kAnon);
    {
        UseMm use(one);
        KEXPECT_EQ(user_peek(a), 0);
    }
    {
        UseMm use(two);
        KEXPECT_EQ(user_peek(b + 7), 0);
    }
    KEXPECT_TRUE(pfn_at(one, a) != 0);
    KEXPECT_EQ(pfn_at(one, a), pfn_at(two, b));
    mmput(one);
    mmput(two);
}

KTEST(user_mm, cow_isolation_after_dup_mm) {
    MmStruct* parent = new_mm();
    KASSERT_TRUE(parent != nullptr);
    uint64_t a = map(parent, 0, 2 * P, kRw, kAnon);
    MmStruct* child = nullptr;
    {
        UseMm use(parent);
        KEXPECT_TRUE(user_write(a, 1));  // the TLB now holds a writable entry
        Result<MmStruct*> copy = dup_mm(parent);
        KASSERT_TRUE(!copy.is_error());
        child = copy.value();
        KEXPECT_EQ(pfn_at(child, a), pfn_at(parent, a));
        // Without the flush in dup_mm this write would land in the page the child shares.
        KEXPECT_TRUE(user_write(a, 2));
        KEXPECT_TRUE(pfn_at(child, a) != pfn_at(parent, a));
    }
    {
        UseMm use(child);
        KEXPECT_EQ(user_peek(a), 1);
        // The child is now the page's only holder: its write takes the page over, no copy.
        uint64_t pfn = pfn_at(child, a);
        KEXPECT_TRUE(user_write(a, 3));
        KEXPECT_EQ(pfn_at(child, a), pfn);
    }
    {
        UseMm use(parent);
        KEXPECT_EQ(user_peek(a), 2);
    }
    mmput(child);
    mmput(parent);
}

KTEST(user_mm, shared_anonymous_memory_stays_shared_after_dup_mm) {
    MmStruct* parent = new_mm();
    KASSERT_TRUE(parent != nullptr);
    uint64_t a = map(parent, 0, 2 * P, kRw, MAP_SHARED | MAP_ANONYMOUS);
    KASSERT_TRUE(a != 0);
    Result<MmStruct*> copy = dup_mm(parent);
    KASSERT_TRUE(!copy.is_error());
    MmStruct* child = copy.value();
    {
        UseMm use(child);
        KEXPECT_TRUE(user_write(a + P + 3, 0x77));  // first touched after the fork, in the child
    }
    {
        UseMm use(parent);
        KEXPECT_EQ(user_peek(a + P + 3), 0x77);
        KEXPECT_TRUE(user_write(a, 0x66));
    }
    {
        UseMm use(child);
        KEXPECT_EQ(user_peek(a), 0x66);
    }
    mmput(child);
    mmput(parent);
}

KTEST(user_mm, munmap_makes_accesses_fault) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t a = map(mm, 0, 4 * P, kRw, kAnon);
    {
        UseMm use(mm);
        for (int i = 0; i < 4; i++) KEXPECT_TRUE(user_write(a + i * P, uint8_t(i + 1)));
        KEXPECT_TRUE(!vm_munmap(mm, a + P, 2 * P).is_error());
        uint8_t v;
        KEXPECT_FALSE(user_read(a + P, v));  // a stale TLB entry would still read it
        KEXPECT_FALSE(user_write(a + 2 * P, 9));
        KEXPECT_EQ(user_peek(a), 1);
        KEXPECT_EQ(user_peek(a + 3 * P), 4);
        KEXPECT_EQ(mm_rss_pages(mm), 2);
    }
    mmput(mm);
}

KTEST(user_mm, mprotect_makes_writes_fault) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t a = map(mm, 0, 3 * P, kRw, kAnon);
    {
        UseMm use(mm);
        KEXPECT_TRUE(user_write(a + P, 5));
        KEXPECT_TRUE(!mprotect(mm, a + P, P, PROT_READ).is_error());
        KEXPECT_FALSE(user_write(a + P, 6));
        KEXPECT_EQ(user_peek(a + P), 5);
        KEXPECT_TRUE(user_write(a, 1));  // the rest of the area is still writable
        KEXPECT_EQ(mm->vmas.size(), 3);
        KEXPECT_TRUE(!mprotect(mm, a + P, P, PROT_NONE).is_error());
        uint8_t v;
        KEXPECT_FALSE(user_read(a + P, v));
        KEXPECT_TRUE(!mprotect(mm, a + P, P, kRw).is_error());
        KEXPECT_EQ(mm->vmas.size(), 1);
        KEXPECT_TRUE(user_write(a + P, 7));
        KEXPECT_EQ(user_peek(a + P), 7);
    }
    mmput(mm);
}

KTEST(user_mm, stack_grows_down_on_access) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t top = STACK_TOP;
    uint64_t stack = map(mm, top - 2 * P, 2 * P, kRw, kAnon | MAP_FIXED | MAP_GROWSDOWN);
    KASSERT_TRUE(stack == top - 2 * P);
    {
        UseMm use(mm);
        KEXPECT_TRUE(user_write(stack - 20 * P, 1));
        KEXPECT_EQ(lookup(mm, stack)->start, stack - 20 * P);
        KEXPECT_FALSE(user_write(top - (16ull << 20), 1));  // beyond RLIMIT_STACK (8 MiB)
    }
    mmput(mm);
}

namespace {
struct BorrowReport {
    MmStruct* active_mm = nullptr;
    uint64_t cr3 = 0;
    Completion done;
};

int borrow_thread(void* arg) {
    auto* report = static_cast<BorrowReport*>(arg);
    report->active_mm = current()->active_mm;
    report->cr3 = x86::read_cr3() & x86::pte::AddressMask;
    complete(report->done);
    return 0;
}
}  // namespace

KTEST(user_mm, kernel_thread_borrows_the_address_space) {
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    BorrowReport report;
    {
        UseMm use(mm);
        Result<Task*> t = kthread_create(borrow_thread, &report, "ktest/borrow");
        KASSERT_TRUE(!t.is_error());
        kthread_bind(t.value(), smp_processor_id());  // to follow us on this CPU
        wake_up_process(t.value());
        wait_for_completion(report.done);
        msleep(20);  // let it exit: the switch away from it returns what it borrowed
        KEXPECT_EQ(x86::read_cr3() & x86::pte::AddressMask, mm->pgd);
        KEXPECT_EQ(current()->active_mm, mm);
        KEXPECT_EQ(mm->mm_count.load(), 2);  // the users' and this CPU's
    }
    KEXPECT_TRUE(report.active_mm == mm);  // it ran right after us: lazy TLB kept our table
    KEXPECT_EQ(report.cr3, mm->pgd);
    KEXPECT_EQ(mm->mm_count.load(), 1);
    mmput(mm);
}

KTEST(user_mm, no_pages_leak_after_mmput) {
    auto run = [] {
        MmStruct* parent = new_mm();
        if (!parent) return false;
        uint64_t a = map(parent, 0, 32 * P, kRw, kAnon);
        uint64_t s = map(parent, 0, 4 * P, kRw, MAP_SHARED | MAP_ANONYMOUS);
        uint64_t far = map(parent, 0x100000000000, P, kRw, kAnon | MAP_FIXED);  // its own page tables
        bool ok = a && s && far;
        MmStruct* child = nullptr;
        {
            UseMm use(parent);
            for (int i = 0; i < 32; i++) ok &= user_write(a + i * P, uint8_t(i));
            ok &= user_write(s, 1) && user_write(far, 1);
            Result<MmStruct*> copy = dup_mm(parent);
            ok &= !copy.is_error();
            child = copy.is_error() ? nullptr : copy.value();
        }
        if (child) {
            UseMm use(child);
            for (int i = 0; i < 32; i += 3) ok &= user_write(a + i * P, 0xff);
            ok &= user_peek(s) == 1;
        }
        if (child) mmput(child);
        mmput(parent);
        return ok;
    };
    KEXPECT_TRUE(run());  // warms the slab caches
    // The count is global: on several CPUs, tasks of earlier tests may finish dying meanwhile and free
    // their stacks (more free pages), or something may allocate once. A leak shows as fewer free pages
    // every time: the best of three runs must not be below where it started.
    bool no_leak = false;
    for (int attempt = 0; attempt < 3 && !no_leak; attempt++) {
        uint64_t before = nr_free_pages();
        KEXPECT_TRUE(run());
        uint64_t after = nr_free_pages();
        if (after < before) pr_info("user_mm: %lu pages fewer free after a run", (unsigned long)(before - after));
        no_leak = after >= before;
    }
    KEXPECT_TRUE(no_leak);
}

namespace {
struct RemoteWriter {
    MmStruct* mm;
    uint64_t addr;
    Completion cached, go, done;
    bool first_write = false, second_write = true;
    unsigned cpu = ~0u;
};

int remote_writer(void* arg) {
    auto* w = static_cast<RemoteWriter*>(arg);
    UseMm use(w->mm);
    w->first_write = user_write(w->addr, 1);  // this CPU's TLB now caches a writable entry
    w->cpu = smp_processor_id();
    complete(w->cached);
    // Meanwhile this CPU's idle task borrows the address space: the entry stays cached (lazy TLB).
    wait_for_completion(w->go);
    w->second_write = user_write(w->addr, 2);
    complete(w->done);
    return 0;
}
}  // namespace

// Another CPU runs a thread of the address space when it loses write access: the shootdown must reach
// that CPU, or its cached entry would still let it write.
KTEST(user_mm, tlb_shootdown_reaches_other_cpus) {
    if (num_online_cpus() < 2) {
        pr_info("ktest:   one CPU online: no other TLB to shoot down");
        return;
    }
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    uint64_t a = map(mm, 0, P, kRw, kAnon);
    RemoteWriter w{mm, a};
    unsigned other = smp_processor_id() == 0 ? 1 : 0;
    Result<Task*> t = kthread_create(remote_writer, &w, "ktest/tlb");
    KASSERT_TRUE(!t.is_error());
    kthread_bind(t.value(), other);
    wake_up_process(t.value());
    wait_for_completion(w.cached);
    KEXPECT_TRUE(w.first_write);
    KEXPECT_EQ(w.cpu, other);
    KEXPECT_TRUE(mm->cpu_mask.load() & (1ull << other));
    uint64_t remote = nr_tlb_remote_flushes();
    KEXPECT_TRUE(!mprotect(mm, a, P, PROT_READ).is_error());
    KEXPECT_TRUE(nr_tlb_remote_flushes() > remote);
    complete(w.go);
    wait_for_completion(w.done);
    KEXPECT_FALSE(w.second_write);
    mmput(mm);
}

// A tmpfs file mapped private (copy-on-write, the file stays) and shared (writes reach the file).
KTEST(user_mm, tmpfs_file_mappings) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    Result<RefPtr<File>> f = vfs_open(fs.caller(), "/data", O_RDWR | O_CREAT, 0644);
    KASSERT_TRUE(!f.is_error());
    char content[2 * P];
    for (size_t i = 0; i < sizeof content; i++) content[i] = char('a' + i / P);
    KASSERT_TRUE(!kernel_write(*f.value(), content, sizeof content, 0).is_error());
    MmStruct* mm = new_mm();
    KASSERT_TRUE(mm != nullptr);
    Result<uint64_t> priv = vm_mmap(mm, 0, 2 * P, kRw, MAP_PRIVATE, f.value().get(), 0);
    Result<uint64_t> shared = vm_mmap(mm, 0, 2 * P, kRw, MAP_SHARED, f.value().get(), 0);
    KASSERT_TRUE(!priv.is_error() && !shared.is_error());
    {
        UseMm use(mm);
        KEXPECT_EQ(user_peek(priv.value() + P), 'b');
        KEXPECT_TRUE(user_write(priv.value() + P, 'X'));
        KEXPECT_EQ(user_peek(shared.value() + P), 'b');  // the private write did not reach the file
        KEXPECT_TRUE(user_write(shared.value() + 1, 'Y'));
        KEXPECT_EQ(user_peek(priv.value() + 1), 'Y');  // not yet copied: still the file's page
        uint8_t v;
        Result<uint64_t> beyond = vm_mmap(mm, 0, 3 * P, PROT_READ, MAP_PRIVATE, f.value().get(), 0);
        KASSERT_TRUE(!beyond.is_error());
        KEXPECT_FALSE(user_read(beyond.value() + 2 * P, v));  // past the end: SIGBUS for a user access
    }
    char back[2];
    KASSERT_TRUE(!kernel_read(*f.value(), back, 2, 0).is_error());
    KEXPECT_EQ(back[1], 'Y');
    mmput(mm);
}
