// crash=<kind>: deliberately crash the kernel once it is up (a late initcall), to see and test the oops
// report. Kinds: null (read address 0), pf (read an unmapped kernel address), gp (read a non-canonical
// address), ud (ud2), de (divide by zero), df (a stack overflow: double fault); on a multi-CPU machine
// smp_pf (pf on another CPU, in a cross-CPU call) and smp_panic (every CPU panics at the same moment:
// one report, the others stop).
//
// Until mm replaces the boot page tables, low memory is identity-mapped and `null` does not fault.
#include <init/initcall.hpp>
#include <init/params.hpp>
#include <lib/string.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <smp/cpumask.hpp>
#include <smp/smp.hpp>

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

void crash_read_unmapped(void*) { crash_read(0xffff800000000000); }

Atomic<unsigned> cpus_ready_to_panic{0};
void panic_with_the_others(void*) {
    cpus_ready_to_panic.fetch_add(1);
    while (cpus_ready_to_panic.load() < num_online_cpus()) arch::cpu_relax();
    panic("crash=smp_panic on CPU %u", smp_processor_id());
}

unsigned some_other_cpu() {
    for_each_online_cpu(cpu) {
        if (cpu != smp_processor_id()) return cpu;
    }
    return smp_processor_id();
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
    else if (!strcmp(crash_kind, "smp_pf"))
        (void)smp_call_function_single(some_other_cpu(), crash_read_unmapped, nullptr, true);
    else if (!strcmp(crash_kind, "smp_panic"))
        on_each_cpu(panic_with_the_others, nullptr, true);
    else
        pr_err("crash=%s: unknown kind (null, pf, gp, ud, de, df, smp_pf, smp_panic)", crash_kind);
    pr_emerg("crash=%s: the kernel survived", crash_kind);
    return 0;
}
late_initcall(crash_test_init);

}  // namespace
