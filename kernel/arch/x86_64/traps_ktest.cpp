// Exceptions handled in the kernel: fix-ups continue execution; descriptor tables are as specified.
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/gdt.hpp>
#include <kunit/ktest.hpp>
#include <smp/percpu.hpp>

namespace {

// Never mapped: Linux's guard hole at the start of the kernel half.
constexpr uint64_t kUnmappedKernelAddress = 0xffff800000000000;
constexpr uint64_t kNonCanonicalAddress = 0xdead000000000000;

// Reads *addr; returns true (and leaves `value` alone) if the read faulted and the fix-up ran.
bool read_faults(uint64_t addr, uint64_t& value) {
    int faulted = 0;
    asm volatile("1: movq (%[addr]), %[value]\n\t"
                 "jmp 3f\n"
                 "2: movl $1, %[faulted]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [value] "+r"(value), [faulted] "+r"(faulted)
                 : [addr] "r"(addr)
                 : "memory");
    return faulted;
}

}  // namespace

KTEST(traps, ud2_with_fixup_continues) {
    int fixed = 0;
    asm volatile("1: ud2\n\t"
                 "jmp 3f\n"
                 "2: movl $1, %[fixed]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [fixed] "+r"(fixed));
    KEXPECT_EQ(fixed, 1);
}

KTEST(traps, page_fault_jumps_to_fixup) {
    uint64_t value = 0x1234;
    KEXPECT_TRUE(read_faults(kUnmappedKernelAddress, value));
    KEXPECT_EQ(value, 0x1234);
    // The same instruction on a mapped address does not fault.
    static uint64_t mapped = 42;
    KEXPECT_FALSE(read_faults(reinterpret_cast<uint64_t>(&mapped), value));
    KEXPECT_EQ(value, 42);
}

KTEST(traps, general_protection_jumps_to_fixup) {
    uint64_t value = 0;
    KEXPECT_TRUE(read_faults(kNonCanonicalAddress, value));
}

KTEST(traps, divide_error_jumps_to_fixup) {
    int fixed = 0;
    uint64_t rax = 1, rdx = 0, divisor = 0;
    asm volatile("1: divq %[divisor]\n\t"
                 "jmp 3f\n"
                 "2: movl $1, %[fixed]\n"
                 "3:\n\t" _ASM_EXTABLE(1b, 2b)
                 : [fixed] "+r"(fixed), "+a"(rax), "+d"(rdx)
                 : [divisor] "r"(divisor));
    KEXPECT_EQ(fixed, 1);
}

KTEST(traps, copy_from_kernel_nofault) {
    static const char text[] = "tern";
    char buf[5] = {};
    KEXPECT_TRUE(x86::copy_from_kernel_nofault(buf, text, sizeof buf));
    KEXPECT_EQ(buf[3], 'n');
    KEXPECT_FALSE(x86::copy_from_kernel_nofault(buf, reinterpret_cast<const void*>(kUnmappedKernelAddress), 4));
}

KTEST(traps, exception_context_is_restored) {
    // Callee-saved and caller-saved registers survive a fault and its fix-up: the entry code saved and
    // restored the whole PtRegs.
    uint64_t r12 = 0x1212, r15 = 0x1515, value = 0;
    asm volatile("movq %[r12in], %%r12\n\t"
                 "movq %[r15in], %%r15\n\t"
                 "1: movq (%[addr]), %[value]\n"
                 "2:\n\t"
                 "movq %%r12, %[r12in]\n\t"
                 "movq %%r15, %[r15in]\n\t" _ASM_EXTABLE(1b, 2b)
                 : [r12in] "+r"(r12), [r15in] "+r"(r15), [value] "+r"(value)
                 : [addr] "r"(kUnmappedKernelAddress)
                 : "r12", "r15", "memory");
    KEXPECT_EQ(r12, 0x1212);
    KEXPECT_EQ(r15, 0x1515);
}

KTEST(traps, descriptor_tables_loaded) {
    uint16_t cs, ss, tr;
    asm volatile("mov %%cs, %0; mov %%ss, %1; str %2" : "=r"(cs), "=r"(ss), "=r"(tr));
    KEXPECT_EQ(cs, x86::KERNEL_CS);
    KEXPECT_EQ(ss, x86::KERNEL_DS);
    KEXPECT_EQ(tr, x86::TSS_SELECTOR);
    const x86::Tss& tss = x86::cpu_tss(smp_processor_id());
    for (unsigned i = 0; i < x86::kIstStacks; i++) KEXPECT_TRUE(tss.ist[i] != 0);
    // Interrupts are on while self-tests run: the kernel's GS base survived the descriptor reloads.
    KEXPECT_TRUE(this_cpu() == &per_cpu_data[smp_processor_id()]);
}
