// The address-space side of context switches: which table is loaded, lazy TLB for kernel threads, and
// the CPU's reference that keeps an exited process's page table alive until the CPU is off it.
#include "mm/user_mm_fixture.hpp"

#include <sched/task.hpp>

namespace {

using SwitchMmTest = UserMmTest;

// What the scheduler does around one switch.
void context_switch(Task& prev, Task& next) {
    if (MmStruct* drop = context_switch_mm(&prev, &next)) mmdrop(drop);
}

TEST_F(SwitchMmTest, KernelThreadsRunOnWhateverIsLoaded) {
    Task idle, a, kthread, b;
    a.mm = mm;
    MmStruct* other = new_mm();
    b.mm = other;

    context_switch(idle, a);
    EXPECT_EQ(fake_pgtable::loaded(), mm->pgd);
    EXPECT_EQ(a.active_mm, mm);
    EXPECT_EQ(mm->mm_count.load(), 2);  // users' + this CPU's
    EXPECT_EQ(mm->cpu_mask.load(), 1u);

    context_switch(a, kthread);
    EXPECT_EQ(kthread.active_mm, mm);  // borrowed, nothing reloaded
    EXPECT_EQ(fake_pgtable::loaded(), mm->pgd);
    EXPECT_EQ(mm->mm_count.load(), 2);

    context_switch(kthread, b);
    EXPECT_EQ(fake_pgtable::loaded(), other->pgd);
    EXPECT_EQ(kthread.active_mm, nullptr);
    EXPECT_EQ(mm->mm_count.load(), 1);
    EXPECT_EQ(mm->cpu_mask.load(), 0u);
    EXPECT_EQ(other->cpu_mask.load(), 1u);

    context_switch(b, a);
    context_switch(a, idle);
    switch_mm(mm, nullptr);  // (tear down: off the table)
    mmdrop(mm);
    mmput(other);  // b's
}

TEST_F(SwitchMmTest, AnExitedProcessKeepsItsTableUntilTheCpuLeavesIt) {
    Task idle, dying, next;
    MmStruct* doomed = new_mm();
    uint64_t addr = map_anon(4096, PROT_READ | PROT_WRITE, doomed);
    ASSERT_EQ(write(addr, 1, doomed), FaultResult::Handled);
    dying.mm = doomed;
    next.mm = mm;
    size_t tables = fake_pgtable::live_tables();

    context_switch(idle, dying);
    // exit: the task drops its address space while still running on it.
    dying.mm = nullptr;
    mmput(doomed);
    EXPECT_EQ(fake_pgtable::entries(doomed->pgd), 0u);   // pages and areas are gone at once
    EXPECT_EQ(fake_pgtable::live_tables(), tables);       // the root is not
    EXPECT_EQ(doomed->mm_count.load(), 1);

    context_switch(dying, idle);  // the last switch away from the dead task: idle keeps the table
    EXPECT_EQ(fake_pgtable::live_tables(), tables);
    context_switch(idle, next);   // now this CPU is off it
    EXPECT_EQ(fake_pgtable::live_tables(), tables - 1);
    EXPECT_EQ(fake_pgtable::loaded(), mm->pgd);

    context_switch(next, idle);
    switch_mm(mm, nullptr);
    mmdrop(mm);
}

TEST_F(SwitchMmTest, ExecSwitchesAndDropsTheOldAddressSpace) {
    // A kernel thread on a borrowed table execs (kernel_init becoming /init).
    Task idle, borrower;
    MmStruct* previous = new_mm();
    Task owner;
    owner.mm = previous;
    context_switch(idle, owner);
    context_switch(owner, borrower);
    owner.mm = nullptr;
    mmput(previous);  // the owner exited meanwhile
    size_t tables = fake_pgtable::live_tables();

    Task* was_current = per_cpu_data[0].current;
    per_cpu_data[0].current = &borrower;
    MmStruct* fresh = new_mm();
    exec_mmap(fresh);
    per_cpu_data[0].current = was_current;
    EXPECT_EQ(borrower.mm, fresh);
    EXPECT_EQ(borrower.active_mm, fresh);
    EXPECT_EQ(fake_pgtable::loaded(), fresh->pgd);
    EXPECT_EQ(fake_pgtable::live_tables(), tables);  // +1 fresh, -1 previous
    EXPECT_EQ(fresh->mm_count.load(), 2);

    borrower.mm = nullptr;
    mmput(fresh);
    context_switch(borrower, idle);
    switch_mm(fresh, nullptr);
    mmdrop(fresh);
}

}  // namespace

namespace {

TEST_F(SwitchMmTest, ExitMmDropsTheUserReferenceOnly) {
    Task idle, task;
    MmStruct* own = new_mm();
    task.mm = own;
    context_switch(idle, task);
    Task* was_current = per_cpu_data[0].current;
    per_cpu_data[0].current = &task;
    exit_mm();
    per_cpu_data[0].current = was_current;
    EXPECT_EQ(task.mm, nullptr);
    EXPECT_EQ(task.active_mm, own);
    EXPECT_EQ(own->mm_users.load(), 0);
    EXPECT_EQ(own->mm_count.load(), 1);  // this CPU's
    size_t tables = fake_pgtable::live_tables();
    context_switch(task, idle);
    switch_mm(own, nullptr);
    mmdrop(own);
    EXPECT_EQ(fake_pgtable::live_tables(), tables - 1);
}

}  // namespace
