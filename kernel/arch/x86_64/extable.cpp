// Exception fix-up lookup (see extable.hpp).
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/ptrace.hpp>

extern "C" const x86::ExceptionTableEntry __ex_table_start[], __ex_table_end[];

namespace x86 {

const ExceptionTableEntry* search_exception_tables(uint64_t rip) {
    for (const ExceptionTableEntry* e = __ex_table_start; e < __ex_table_end; e++)
        if (e->insn == rip) return e;
    return nullptr;
}

bool fixup_exception(PtRegs* regs) {
    const ExceptionTableEntry* e = search_exception_tables(regs->rip);
    if (!e) return false;
    regs->rip = e->fixup;
    return true;
}

bool copy_from_kernel_nofault(void* dst, const void* src, size_t size) {
    auto* d = static_cast<uint8_t*>(dst);
    auto* s = static_cast<const uint8_t*>(src);
    for (size_t i = 0; i < size; i++) {
        uint8_t byte = 0;
        int faulted = 0;
        asm volatile("1: movb (%[src]), %[byte]\n\t"
                     "jmp 3f\n"
                     "2: movl $1, %[faulted]\n"
                     "3:\n\t" _ASM_EXTABLE(1b, 2b)
                     : [byte] "+q"(byte), [faulted] "+r"(faulted)
                     : [src] "r"(s + i)
                     : "memory");
        if (faulted) return false;
        d[i] = byte;
    }
    return true;
}

}  // namespace x86
