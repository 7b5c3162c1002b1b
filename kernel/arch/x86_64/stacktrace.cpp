// Frame-pointer backtraces (the kernel is built with -fno-omit-frame-pointer): each frame starts with
// the caller's saved %rbp followed by the return address.
#include <arch/arch.hpp>
#include <printk/printk.hpp>

extern "C" char _stext[], _etext[], boot_stack_bottom[];

namespace {
bool plausible_frame(uintptr_t fp) {
    return fp >= arch::kDirectMapBase && (fp & 7) == 0;
}
}  // namespace

void arch::dump_backtrace(uintptr_t fp) {
    if (!fp) fp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    pr_emerg("Call Trace:");
    for (int depth = 0; depth < 32 && plausible_frame(fp); depth++) {
        auto* frame = reinterpret_cast<const uintptr_t*>(fp);
        uintptr_t ret = frame[1];
        if (ret < reinterpret_cast<uintptr_t>(_stext) || ret >= reinterpret_cast<uintptr_t>(_etext)) break;
        // The return address points after the call; ret - 1 is inside the calling function.
        pr_emerg(" [<%016lx>] %pS", (unsigned long)ret, reinterpret_cast<void*>(ret - 1));
        if (frame[0] <= fp) break;  // stacks grow down: a caller's frame is always above
        fp = frame[0];
    }
}
