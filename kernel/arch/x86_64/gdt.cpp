// Per-CPU GDT and TSS (see gdt.hpp for the layout and why it is Linux's).
#include <arch/x86_64/gdt.hpp>
#include <smp/percpu.hpp>

namespace x86 {
namespace {

// Flat segments. Access bytes have the "accessed" bit preset so the CPU never writes to the table
// (it may be mapped read-only later). 0xa in the flags nibble: 64-bit code (L) + 4 KiB granularity.
constexpr uint64_t kKernel32Code = 0x00cf9b000000ffff;
constexpr uint64_t kKernelCode = 0x00af9b000000ffff;
constexpr uint64_t kKernelData = 0x00cf93000000ffff;
constexpr uint64_t kUser32Code = 0x00cffb000000ffff;
constexpr uint64_t kUserData = 0x00cff3000000ffff;
constexpr uint64_t kUserCode = 0x00affb000000ffff;

constexpr uint64_t kTssTypeAvailable = 0x9;  // 64-bit TSS, not busy
constexpr uint64_t kDescPresent = 1ull << 47;

struct alignas(64) CpuDescriptors {
    uint64_t gdt[kGdtEntries];
    Tss tss;
};
CpuDescriptors cpu_descriptors[kMaxCpus];

alignas(16) uint8_t boot_ist_stacks[kIstStacks][kIstStackSize];

struct [[gnu::packed]] DescriptorPointer {
    uint16_t limit;
    uint64_t base;
};

void set_tss_descriptor(uint64_t* gdt, const Tss* tss) {
    uint64_t base = reinterpret_cast<uint64_t>(tss);
    uint64_t limit = sizeof(Tss) - 1;
    gdt[TSS_SELECTOR / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (kTssTypeAvailable << 40) |
                            kDescPresent | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[TSS_SELECTOR / 8 + 1] = base >> 32;
}

}  // namespace

void boot_cpu_ist_stack_tops(uint64_t (&tops)[kIstStacks]) {
    for (unsigned i = 0; i < kIstStacks; i++) tops[i] = reinterpret_cast<uint64_t>(boot_ist_stacks[i] + kIstStackSize);
}

void load_cpu_gdt(unsigned cpu, const uint64_t (&ist_stack_tops)[kIstStacks]) {
    CpuDescriptors& d = cpu_descriptors[cpu];
    uint64_t* gdt = d.gdt;
    for (unsigned i = 0; i < kGdtEntries; i++) gdt[i] = 0;
    gdt[KERNEL32_CS / 8] = kKernel32Code;
    gdt[KERNEL_CS / 8] = kKernelCode;
    gdt[KERNEL_DS / 8] = kKernelData;
    gdt[USER32_CS / 8] = kUser32Code;
    gdt[USER_DS / 8] = kUserData;
    gdt[USER_CS / 8] = kUserCode;

    d.tss = Tss{};
    for (unsigned i = 0; i < kIstStacks; i++) d.tss.ist[i] = ist_stack_tops[i];
    d.tss.io_bitmap_offset = sizeof(Tss);
    set_tss_descriptor(gdt, &d.tss);

    DescriptorPointer gdtr{sizeof d.gdt - 1, reinterpret_cast<uint64_t>(gdt)};
    // New CS through a far return; SS/DS/ES the kernel data segment. FS and GS are left alone: loading a
    // selector into them would clear the GS base that holds this CPU's PerCpu.
    asm volatile(
        "lgdt %[gdtr]\n\t"
        "pushq %[cs]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movl %[ds], %%eax\n\t"
        "movl %%eax, %%ds\n\t"
        "movl %%eax, %%es\n\t"
        "movl %%eax, %%ss\n\t"
        "ltr %w[tss]"
        :
        : [gdtr] "m"(gdtr), [cs] "i"(uint64_t(KERNEL_CS)), [ds] "i"(uint32_t(KERNEL_DS)),
          [tss] "r"(uint32_t(TSS_SELECTOR))
        : "rax", "memory");
}

Tss& cpu_tss(unsigned cpu) { return cpu_descriptors[cpu].tss; }

void tss_set_rsp0(uint64_t rsp0) { cpu_descriptors[smp_processor_id()].tss.rsp[0] = rsp0; }

}  // namespace x86
