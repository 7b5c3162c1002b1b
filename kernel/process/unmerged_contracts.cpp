// Weak stand-ins for contract functions that other subsystems implement on their own branches (the
// memory manager's mm/mm.hpp, the entry code's signals, uaccess and start_thread/copy_thread, the
// kernel's random numbers). Each fails (ENOSYS, EFAULT) or does nothing where nothing can exist yet to
// act on (no address space can be created without mm_alloc(), no handler installed without signals);
// none pretends to succeed at real work. The real, strong definitions replace them at link time; this
// file goes away once those subsystems are merged.
#include <arch/thread.hpp>
#include <lib/uaccess.hpp>
#include <mm/mm.hpp>
#include <printk/panic.hpp>
#include <signal/signal.hpp>
#include <stddef.h>

// --- mm/mm.hpp ---------------------------------------------------------------------------------------------
[[gnu::weak]] Result<MmStruct*> mm_alloc() { return Errno::ENOSYS; }
[[gnu::weak]] void mmget(MmStruct*) {}
[[gnu::weak]] void mmput(MmStruct*) {}
[[gnu::weak]] Result<MmStruct*> dup_mm(MmStruct*) { return Errno::ENOSYS; }
[[gnu::weak]] void switch_mm(MmStruct*, MmStruct*) {}
[[gnu::weak]] Result<uint64_t> vm_mmap(MmStruct*, uint64_t, uint64_t, int, int, File*, uint64_t) {
    return Errno::ENOSYS;
}
[[gnu::weak]] Result<void> vm_munmap(MmStruct*, uint64_t, uint64_t) { return Errno::ENOSYS; }
[[gnu::weak]] MmLayout& mm_layout(MmStruct*) { panic("mm_layout() without the memory manager"); }
[[gnu::weak]] uint64_t mm_rss_pages(const MmStruct*) { return 0; }
[[gnu::weak]] uint64_t mm_total_vm_pages(const MmStruct*) { return 0; }

// --- signal/signal.hpp -----------------------------------------------------------------------------------
[[gnu::weak]] Result<void> send_sig_info(int, const KernelSigInfo&, Task*) { return Errno::ENOSYS; }
[[gnu::weak]] Result<void> group_send_sig_info(int, const KernelSigInfo&, Task*) { return Errno::ENOSYS; }
[[gnu::weak]] Result<void> copy_sighand(uint64_t, Task*) { return {}; }
[[gnu::weak]] Result<void> copy_signal(uint64_t, Task*) { return {}; }
[[gnu::weak]] void flush_signal_handlers(Task*) {}
[[gnu::weak]] void exit_signals(Task*) {}
[[gnu::weak]] bool do_notify_parent(Task*, int, int) { return false; }

// --- arch/thread.hpp ---------------------------------------------------------------------------------------
namespace arch {
[[gnu::weak]] void start_thread(Task*, uint64_t, uint64_t) { panic("start_thread() without the entry code"); }
[[gnu::weak]] Result<void> copy_thread(Task*, uint64_t, bool, uint64_t) { return Errno::ENOSYS; }
}  // namespace arch

// --- lib/uaccess.hpp ---------------------------------------------------------------------------------------
[[gnu::weak]] bool access_ok(uint64_t, size_t) { return false; }
[[gnu::weak]] Result<void> copy_from_user(void*, UserPtr<const void>, size_t) { return Errno::EFAULT; }
[[gnu::weak]] Result<void> copy_to_user(UserPtr<void>, const void*, size_t) { return Errno::EFAULT; }
[[gnu::weak]] Result<void> clear_user(UserPtr<void>, size_t) { return Errno::EFAULT; }
[[gnu::weak]] Result<size_t> strncpy_from_user(char*, UserPtr<const char>, size_t) { return Errno::EFAULT; }
