// The oops report (Linux's arch/x86/kernel/dumpstack.c and process_64.c's __show_regs): what a kernel
// bug looks like on the console, in Linux's format so that the same eyes and tools read it.
#include <arch/arch.hpp>
#include <arch/x86_64/extable.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/traps.hpp>
#include <init/version.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <lib/atomic.hpp>
#include <lib/ksyms.hpp>
#include <printk/panic.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>

extern "C" char _stext[], _etext[];

namespace x86 {
namespace {

Atomic<int> die_counter{0};

// Linux's "Code:" line: 42 bytes before RIP and 22 from it, the byte at RIP in <>. Read without
// faulting, since RIP may be the bad address itself.
void show_opcodes(const PtRegs* regs) {
    constexpr unsigned kPrologue = 42, kTotal = 64;
    uint8_t bytes[kTotal];
    const uint8_t* start = reinterpret_cast<const uint8_t*>(regs->rip - kPrologue);
    if (!copy_from_kernel_nofault(bytes, start, kTotal)) {
        pr_emerg("Code: Unable to access opcode bytes at 0x%lx.", (unsigned long)(regs->rip - kPrologue));
        return;
    }
    char line[8 + kTotal * 3 + 4];
    size_t n = 0;
    for (unsigned i = 0; i < kTotal; i++) {
        const char* fmt = i == kPrologue ? "<%02x> " : "%02x ";
        n += size_t(ksnprintf(line + n, sizeof line - n, fmt, bytes[i]));
    }
    if (n) line[n - 1] = 0;
    pr_emerg("Code: %s", line);
}

bool in_kernel_text(uint64_t addr) {
    return addr >= reinterpret_cast<uint64_t>(_stext) && addr < reinterpret_cast<uint64_t>(_etext);
}

// Where the oops's Call Trace starts. Normally at the faulting function's frame (regs->rbp), whose
// return address is the caller. But the compiler builds no frame in small leaf functions (strlen,
// memcpy, an accessor), and no function has one before its prologue ran: then regs->rbp is still the
// caller's frame and the caller itself would be missing from the trace. In that case the return
// address is the word at the top of the stack; a fake frame record {regs->rbp, that address} puts the
// caller back in.
uintptr_t trace_start(const PtRegs* regs, uintptr_t (&fake_frame)[2]) {
    static const uint8_t kPrologue[] = {0x55, 0x48, 0x89, 0xe5};  // push %rbp; mov %rsp, %rbp
    const char* name;
    uint32_t offset, size;
    if (!ksym_lookup(regs->rip, &name, &offset, &size)) return regs->rbp;
    uint8_t code[sizeof kPrologue];
    bool has_frame = offset >= sizeof kPrologue &&
                     copy_from_kernel_nofault(code, reinterpret_cast<const void*>(regs->rip - offset), sizeof code) &&
                     !memcmp(code, kPrologue, sizeof code);
    uint64_t ret;
    if (has_frame || !copy_from_kernel_nofault(&ret, reinterpret_cast<const void*>(regs->rsp), sizeof ret) ||
        !in_kernel_text(ret))
        return regs->rbp;
    fake_frame[0] = regs->rbp;
    fake_frame[1] = ret;
    return reinterpret_cast<uintptr_t>(fake_frame);
}

uint16_t read_selector_ds() { uint16_t v; asm volatile("mov %%ds, %0" : "=r"(v)); return v; }
uint16_t read_selector_es() { uint16_t v; asm volatile("mov %%es, %0" : "=r"(v)); return v; }
uint16_t read_selector_fs() { uint16_t v; asm volatile("mov %%fs, %0" : "=r"(v)); return v; }
uint16_t read_selector_gs() { uint16_t v; asm volatile("mov %%gs, %0" : "=r"(v)); return v; }

}  // namespace

void show_regs(const PtRegs* r) {
    using UL = unsigned long;
    pr_emerg("RIP: %04lx:%pS", UL(r->cs), reinterpret_cast<void*>(r->rip));
    show_opcodes(r);
    pr_emerg("RSP: %04lx:%016lx EFLAGS: %08lx", UL(r->ss), UL(r->rsp), UL(r->eflags));
    pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx", UL(r->rax), UL(r->rbx), UL(r->rcx));
    pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx", UL(r->rdx), UL(r->rsi), UL(r->rdi));
    pr_emerg("RBP: %016lx R08: %016lx R09: %016lx", UL(r->rbp), UL(r->r8), UL(r->r9));
    pr_emerg("R10: %016lx R11: %016lx R12: %016lx", UL(r->r10), UL(r->r11), UL(r->r12));
    pr_emerg("R13: %016lx R14: %016lx R15: %016lx", UL(r->r13), UL(r->r14), UL(r->r15));
    pr_emerg("FS:  %016lx(%04x) GS:%016lx(%04x) knlGS:%016lx", UL(rdmsr(MSR_FS_BASE)), read_selector_fs(),
             UL(rdmsr(MSR_GS_BASE)), read_selector_gs(), UL(rdmsr(MSR_KERNEL_GS_BASE)));
    pr_emerg("CS:  %04lx DS: %04x ES: %04x CR0: %016lx", UL(r->cs), read_selector_ds(), read_selector_es(),
             UL(read_cr0()));
    pr_emerg("CR2: %016lx CR3: %016lx CR4: %016lx", UL(read_cr2()), UL(read_cr3()), UL(read_cr4()));
}

void oops_begin() {
    arch::irq_disable();
    // Every oops ends in panic: stop the other CPUs now, so the report is not interleaved with their
    // output (and a CPU oopsing at the same time parks instead of printing over this one).
    arch::stop_other_cpus();
    // The report must get out even if this CPU died inside printk holding its lock.
    printk_panic_mode();
}

void die(const char* what, const PtRegs* regs, uint64_t error_code) {
    oops_begin();
    pr_emerg("%s: %04lx [#%d] PREEMPT SMP", what, (unsigned long)(error_code & 0xffff),
             die_counter.fetch_add(1) + 1);
    pr_emerg("CPU: %u Not tainted %s", smp_processor_id(), tern_banner);
    show_regs(regs);
    // From the faulting frame: the first line is the caller of the function RIP is in.
    uintptr_t fake_frame[2];
    if (!user_mode(regs)) arch::dump_backtrace(trace_start(regs, fake_frame));
    pr_emerg("---[ end trace 0000000000000000 ]---");
    panic("Fatal exception");
}

}  // namespace x86
