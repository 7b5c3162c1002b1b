// The system-call dispatcher (see dispatch.hpp).
//
// The fast path is one predictable branch on the trace switch, a bounds check and an indirect call.
// Numbers without a handler return -ENOSYS and are reported once per number, so a program probing for
// optional calls (glibc does, e.g. rseq, clone3) is not drowned in messages but a missing call a program
// really needs shows up in the log.
#include <lib/atomic.hpp>
#include <lib/errno.hpp>
#include <printk/printk.hpp>
#include <sched/task.hpp>
#include <syscalls/dispatch.hpp>
#include <syscalls/syscall.hpp>
#include <syscalls/trace.hpp>

namespace {

// One bit per number below kReportedLimit; larger numbers share the last "out of range" bit.
constexpr unsigned kReportedLimit = 1024;
Atomic<uint64_t> enosys_reported[kReportedLimit / 64 + 1];

void report_unimplemented_once(uint64_t nr) {
    unsigned bit = nr < kReportedLimit ? unsigned(nr) : kReportedLimit;
    uint64_t mask = 1ull << (bit % 64);
    if (enosys_reported[bit / 64].fetch_or(mask, MemoryOrder::Relaxed) & mask) return;
    Task* t = current();
    const char* name = syscall_name(nr);
    if (nr < kReportedLimit)
        pr_warn("tern: unimplemented syscall %lu (%s) called by %s[%d]", (unsigned long)nr, name ? name : "unknown",
                t->comm, t->pid);
    else
        pr_warn("tern: unimplemented syscall %lu (out of range) called by %s[%d] (further ones not reported)",
                (unsigned long)nr, t->comm, t->pid);
}

}  // namespace

const char* syscall_name(uint64_t nr) { return nr < kNrSyscalls ? syscall_names[nr] : nullptr; }

long call_syscall_handler(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5) {
    if (nr < kNrSyscalls) {
        if (SyscallFn fn = syscall_table[nr]) return fn(a0, a1, a2, a3, a4, a5);
    }
    report_unimplemented_once(nr);
    return -long(Errno::ENOSYS);
}

long invoke_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5) {
    if (__builtin_expect(syscall_trace_active, 0)) return traced_syscall(nr, a0, a1, a2, a3, a4, a5);
    return call_syscall_handler(nr, a0, a1, a2, a3, a4, a5);
}
