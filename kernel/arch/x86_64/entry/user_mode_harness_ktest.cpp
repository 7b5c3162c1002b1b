// The user-program harness of the entry/signal self-tests (user_mode.hpp).
//
// The task it starts is an ordinary (non-kthread) task created by copy_process: its function calls
// start_thread() and returns, and ret_from_fork takes it to user mode. The bare page table rides on
// ThreadState::test_cr3 (switch_to loads it), since there is no MmStruct for it.
#include <arch/thread.hpp>
#include <arch/x86_64/entry/user_mode.hpp>
#include <arch/x86_64/mm/page_table.hpp>
#include <arch/x86_64/mm/pte.hpp>
#include <lib/string.hpp>
#include <mm/page.hpp>
#include <mm/slab.hpp>
#include <sched/fork.hpp>
#include <sched/sched.hpp>
#include <sched/timeout.hpp>
#include <signal/signal.hpp>

namespace x86::usertest {
namespace {

PageTable* table_of(void* p) { return static_cast<PageTable*>(p); }

// The new task's first kernel code: its signal state and FPU registers, then user registers.
int enter_user_mode(void*) {
    Task* self = current();
    if (!copy_sighand(0, self) || !copy_signal(0, self) || !arch::init_fpu_state(self)) return -int(Errno::ENOMEM);
    arch::start_thread(self, kCodeAddr, kStackTop);
    return 0;  // ret_from_fork sees user registers: off to ring 3
}

}  // namespace

bool UserProcess::load(const char* start, const char* end) {
    size_t len = size_t(end - start);
    if (len > arch::kPageSize) return false;
    Result<PageTable> table = PageTable::create();
    if (!table) return false;
    auto* pt = knew<PageTable>(table.value());
    if (!pt) {
        table.value().destroy();
        return false;
    }
    table_ = pt;
    root_ = pt->root_phys();
    // The kernel half: the same top-level entries as the kernel's own table (frozen after boot).
    auto* kernel_pml4 = static_cast<const uint64_t*>(arch::phys_to_virt(init_page_table().root_phys()));
    auto* pml4 = static_cast<uint64_t*>(arch::phys_to_virt(root_));
    for (unsigned i = pte::kEntries / 2; i < pte::kEntries; i++) pml4[i] = kernel_pml4[i];

    code_ = alloc_pages(GFP_ZERO, 0);
    data_ = alloc_pages(GFP_ZERO, 0);
    stack_ = alloc_pages(GFP_ZERO, 0);
    if (!code_ || !data_ || !stack_) return false;
    memcpy(page_address(code_), start, len);
    if (!pt->map(kCodeAddr, page_to_phys(code_), kPageSize4K, prot::User | prot::Exec)) return false;
    if (!pt->map(kDataAddr, page_to_phys(data_), kPageSize4K, prot::User | prot::Write)) return false;
    if (!pt->map(kStackPage, page_to_phys(stack_), kPageSize4K, prot::User | prot::Write)) return false;
    return true;
}

bool UserProcess::start(const char* name) {
    Result<Task*> t = copy_process(enter_user_mode, nullptr, name, 0);
    if (!t) return false;
    Task* task = t.value();
    task->thread.test_cr3 = root_;
    get_task_struct(task);  // ours, for wait_exit()
    task_ = task;
    wake_up_new_task(task);
    return true;
}

long UserProcess::wait_exit(unsigned timeout_ms) {
    for (unsigned waited = 0; waited <= timeout_ms; waited += 5) {
        if (task_state(task_) == TASK_DEAD && !task_->on_cpu.load(MemoryOrder::Acquire)) return task_->exit_code;
        msleep(5);
    }
    return -1;
}

uint64_t UserProcess::data(size_t offset) const {
    uint64_t v;
    memcpy(&v, static_cast<const uint8_t*>(page_address(data_)) + offset, sizeof v);
    return v;
}

bool UserProcess::wait_data(size_t offset, unsigned timeout_ms) const {
    for (unsigned waited = 0; waited <= timeout_ms; waited += 2) {
        if (__atomic_load_n(reinterpret_cast<const uint64_t*>(static_cast<const uint8_t*>(page_address(data_)) + offset),
                            __ATOMIC_ACQUIRE))
            return true;
        if (task_ && task_state(task_) == TASK_DEAD) return false;
        msleep(2);
    }
    return false;
}

uint64_t UserProcess::cr3() const { return root_; }

UserProcess::~UserProcess() {
    if (task_) {
        // A task that is still alive would keep running on the page table freed below.
        if (wait_exit(0) < 0) {
            KernelSigInfo info;
            (void)send_sig_info(SIGKILL, info, task_);
            if (wait_exit() < 0) return;  // leak rather than free memory a live task uses
        }
        put_task_struct(task_);
    }
    if (table_) {
        table_of(table_)->destroy();
        kdelete(table_of(table_));
    }
    if (code_) free_pages(code_, 0);
    if (data_) free_pages(data_, 0);
    if (stack_) free_pages(stack_, 0);
}

}  // namespace x86::usertest
