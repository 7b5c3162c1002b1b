#pragma once
// The global descriptor table and task-state segment, one pair per CPU.
//
// Linux's selector layout, which SYSCALL/SYSRET dictate: SYSCALL loads CS from STAR[47:32] and SS from
// that + 8 (kernel CS 0x10, DS 0x18); 64-bit SYSRET loads CS from STAR[63:48] + 16 and SS from
// STAR[63:48] + 8, so with STAR[63:48] = 0x23 user CS is 0x33 and user SS 0x2b.
//
//   0x00 null          0x08 32-bit kernel code   0x10 __KERNEL_CS   0x18 __KERNEL_DS
//   0x23 __USER32_CS   0x2b __USER_DS            0x33 __USER_CS     0x38 unused
//   0x40 the TSS (a 16-byte system descriptor: entries 8 and 9)
//
// The TSS carries no hardware task state in long mode: only RSP0 (the kernel stack loaded when an
// interrupt arrives from user mode) and the interrupt stack table (IST), from which the IDT picks known
// good stacks for the exceptions that may come while the current stack is unusable (#DF, NMI, #MC).
#include <stdint.h>

namespace x86 {

// Linux's __KERNEL_CS etc. without the leading underscores (reserved names in C++).
constexpr uint16_t KERNEL32_CS = 0x08;
constexpr uint16_t KERNEL_CS = 0x10;
constexpr uint16_t KERNEL_DS = 0x18;
constexpr uint16_t USER32_CS = 0x23;
constexpr uint16_t USER_DS = 0x2b;
constexpr uint16_t USER_CS = 0x33;
constexpr uint16_t TSS_SELECTOR = 0x40;
constexpr unsigned kGdtEntries = 16;

// The STAR MSR value for SYSCALL/SYSRET with this layout (written by the system-call set-up).
constexpr uint64_t kStarMsrValue = (uint64_t(USER32_CS) << 48) | (uint64_t(KERNEL_CS) << 32);

// Interrupt-stack-table slots (1-based in the IDT gate; 0 means "no stack switch").
enum IstIndex : uint8_t { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3 };
constexpr unsigned kIstStacks = 3;
constexpr unsigned kIstStackSize = 8192;

struct [[gnu::packed]] Tss {
    uint32_t reserved0;
    uint64_t rsp[3];  // rsp[0]: RSP0, the stack for entries from user mode
    uint64_t reserved1;
    uint64_t ist[7];  // ist[n - 1] is IST slot n
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_bitmap_offset;  // past the limit: no I/O permission bitmap, user port I/O faults
};
static_assert(sizeof(Tss) == 104);

// Builds and loads the GDT and TSS of CPU `cpu` on the calling CPU (lgdt, segment reloads, ltr).
// `ist_stack_tops[i]` is the top of the stack for IST slot i + 1, kIstStackSize bytes each: the boot
// CPU's are static (boot_cpu_ist_stack_tops); the SMP bring-up allocates them for the others.
void load_cpu_gdt(unsigned cpu, const uint64_t (&ist_stack_tops)[kIstStacks]);
void boot_cpu_ist_stack_tops(uint64_t (&tops)[kIstStacks]);

// Sets RSP0 in this CPU's TSS: the context switch calls it with the next task's kernel stack top.
void tss_set_rsp0(uint64_t rsp0);
Tss& cpu_tss(unsigned cpu);

}  // namespace x86
