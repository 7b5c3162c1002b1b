// crash=<kind>: deliberately crash the kernel once it is up (a late initcall), to see and test the oops
// report. Kinds: null (read address 0), pf (read an unmapped kernel address), gp (read a non-canonical
// address), ud (ud2), de (divide by zero), df (a stack overflow: double fault).
//
// Until mm replaces the boot page tables, low memory is identity-mapped and `null` does not fault.
#include <init/initcall.hpp>
#include <init/params.hpp>
#include <lib/string.hpp>
#include <printk/printk.hpp>

namespace {

const char* crash_kind = nullptr;

bool setup_crash(const char* value) {
    if (!value) return false;
    crash_kind = value;
    return true;
}
KERNEL_PARAM("crash", setup_crash);

[[gnu::noinline]] uint64_t crash_read(uint64_t address) {
    return *reinterpret_cast<volatile uint64_t*>(address);
}

[[gnu::noinline]] void crash_invalid_opcode() { asm volatile("ud2"); }

[[gnu::noinline]] uint64_t crash_divide(uint64_t divisor) {
    uint64_t rax = 1, rdx = 0;
    asm volatile("divq %2" : "+a"(rax), "+d"(rdx) : "r"(divisor));
    return rax;
}

// What overflowing the kernel stack into an unmapped guard page does: the CPU cannot push the page
// fault's frame on the bad stack, which turns the #PF into a #DF, delivered on its own IST stack.
[[gnu::noinline]] void crash_stack_overflow() {
    asm volatile("movq %0, %%rsp\n\t"
                 "pushq $0"
                 :
                 : "r"(0xffff800000001000ull)  // the next push hits unmapped 0xffff800000000ff8
                 : "memory");
}

int crash_test_init() {
    if (!crash_kind) return 0;
    pr_emerg("crash=%s: crashing the kernel on purpose", crash_kind);
    if (!strcmp(crash_kind, "null"))
        crash_read(0);
    else if (!strcmp(crash_kind, "pf"))
        crash_read(0xffff800000000000);  // Linux's guard hole: never mapped
    else if (!strcmp(crash_kind, "gp"))
        crash_read(0xdead000000000000);  // non-canonical
    else if (!strcmp(crash_kind, "ud"))
        crash_invalid_opcode();
    else if (!strcmp(crash_kind, "de"))
        crash_divide(0);
    else if (!strcmp(crash_kind, "df"))
        crash_stack_overflow();
    else
        pr_err("crash=%s: unknown kind (null, pf, gp, ud, de, df)", crash_kind);
    pr_emerg("crash=%s: the kernel survived", crash_kind);
    return 0;
}
late_initcall(crash_test_init);

}  // namespace
