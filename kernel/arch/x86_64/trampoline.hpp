#pragma once
// The real-mode trampoline other CPUs start in (boot/trampoline.S), shared by the assembly and
// smpboot.cpp.
//
// A STARTUP IPI starts a CPU in 16-bit real mode at CS:IP = (page << 8):0, so the code must sit in a
// 4 KiB page below 1 MiB. smpboot copies the image to TRAMPOLINE_PHYS and builds the trampoline's page
// tables in the pages after it:
//
//   TRAMPOLINE_PHYS + 0x0000  code, GDT, parameter block (trampoline_start .. trampoline_end)
//                   + 0x1000  PML4: entry 0 -> the identity map below; entries 256-511 copied from the
//                             kernel's current top-level table (the higher half)
//                   + 0x2000  PDPT for the identity map
//                   + 0x3000  page directory: one 2 MiB page, physical 0-2 MiB, at virtual 0-2 MiB
//
// These pages must never be handed out by the page allocator: mm_core_init() keeps the first MiB out
// of it (and in the direct map, through which smpboot writes them).
// The identity map lets the CPU keep executing right after it turns paging on; the kernel's own tables
// (which have no identity map) take over as soon as it runs in the higher half.

#define TRAMPOLINE_PHYS 0x8000
#define TRAMPOLINE_PAGES 4
#define TRAMPOLINE_PML4_OFFSET 0x1000
#define TRAMPOLINE_PDPT_OFFSET 0x2000
#define TRAMPOLINE_PD_OFFSET 0x3000

// Byte offsets in the parameter block (trampoline_params), written by the boot CPU before each start-up.
#define TR_PARAM_APIC_ID 0     // u32: the CPU these parameters are for (checked against CPUID)
#define TR_PARAM_CR4 4         // u32: CR4 for entering long mode (PAE at least)
#define TR_PARAM_EFER 8        // u32: EFER for entering long mode (LME, and NXE if the kernel uses NX)
#define TR_PARAM_CPU 12        // u32: the CPU id, first argument of start_secondary
#define TR_PARAM_STACK_TOP 16  // u64: the CPU's first kernel stack (higher-half address)
#define TR_PARAM_CR3 24        // u64: the kernel's page tables, loaded once in the higher half
#define TR_PARAM_ENTRY 32      // u64: secondary_startup_64
#define TR_PARAM_GS_BASE 40    // u64: &per_cpu_data[cpu]
#define TR_PARAM_SIZE 48

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

namespace x86 {

struct TrampolineParams {
    uint32_t apic_id;
    uint32_t cr4;
    uint32_t efer;
    uint32_t cpu;
    uint64_t stack_top;
    uint64_t kernel_cr3;
    uint64_t entry;
    uint64_t gs_base;
};
static_assert(offsetof(TrampolineParams, apic_id) == TR_PARAM_APIC_ID);
static_assert(offsetof(TrampolineParams, cr4) == TR_PARAM_CR4);
static_assert(offsetof(TrampolineParams, efer) == TR_PARAM_EFER);
static_assert(offsetof(TrampolineParams, cpu) == TR_PARAM_CPU);
static_assert(offsetof(TrampolineParams, stack_top) == TR_PARAM_STACK_TOP);
static_assert(offsetof(TrampolineParams, kernel_cr3) == TR_PARAM_CR3);
static_assert(offsetof(TrampolineParams, entry) == TR_PARAM_ENTRY);
static_assert(offsetof(TrampolineParams, gs_base) == TR_PARAM_GS_BASE);
static_assert(sizeof(TrampolineParams) == TR_PARAM_SIZE);

constexpr uint64_t kTrampolinePhys = TRAMPOLINE_PHYS;
constexpr uint64_t kTrampolineSize = TRAMPOLINE_PAGES * 4096;
// The STARTUP IPI's vector: the page number of the entry point.
constexpr uint8_t kTrampolineStartPage = TRAMPOLINE_PHYS >> 12;
static_assert(TRAMPOLINE_PHYS % 4096 == 0 && TRAMPOLINE_PHYS + TRAMPOLINE_PAGES * 4096 <= 0x100000);

}  // namespace x86

// The image in the kernel (copied to TRAMPOLINE_PHYS) and its parameter block; secondary_startup_64 is
// where the trampoline jumps once in the higher half.
extern "C" const char trampoline_start[], trampoline_end[], trampoline_params[];
extern "C" void secondary_startup_64();
// The first C++ code on a secondary CPU, on its own stack with GS pointing at its PerCpu.
extern "C" [[noreturn]] void start_secondary(unsigned cpu);
#endif
