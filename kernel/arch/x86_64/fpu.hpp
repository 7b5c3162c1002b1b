#pragma once
// x87/SSE register state of a task that runs user code, saved with fxsave and restored with fxrstor.
//
// The kernel is compiled with -mgeneral-regs-only and never touches these registers, so only tasks
// that run user code have an FpuState, and switch_to() saves/restores it eagerly for them. The state
// covered is what CR4.OSFXSR enables (x87, MMX, SSE: the 512-byte fxsave image); XCR0 is never set, so
// AVX and later extensions are unavailable to user space and need no save area (xsave support would
// come together with enabling them).
#include <stdint.h>

namespace arch {

struct FpuState {
    alignas(16) uint8_t fxsave[512];
    void* allocation;  // what to kfree (the image must be 16-byte aligned; kmalloc may not be)
};

// The reset values user space starts with: x87 control word 0x037f (all exceptions masked, 64-bit
// precision), MXCSR 0x1f80 (all SSE exceptions masked, round to nearest).
constexpr uint16_t kFpuDefaultFcw = 0x037f;
constexpr uint32_t kFpuDefaultMxcsr = 0x1f80;

inline void fpu_save(FpuState* fpu) { asm volatile("fxsaveq %0" : "=m"(fpu->fxsave)); }
inline void fpu_restore(const FpuState* fpu) { asm volatile("fxrstorq %0" : : "m"(fpu->fxsave)); }

}  // namespace arch
