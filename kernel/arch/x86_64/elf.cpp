// x86-64's auxiliary-vector facts, as Linux reports them.
#include <arch/elf.hpp>
#include <arch/x86_64/io.hpp>

namespace arch {

namespace {
constexpr uint64_t kCr4FsGsBase = 1ull << 16;
constexpr uint64_t HWCAP2_FSGSBASE = 1ull << 1;
}  // namespace

// Linux's ELF_HWCAP on x86: the feature bits of CPUID leaf 1, EDX.
uint64_t elf_hwcap() { return x86::cpuid(1).edx; }

// HWCAP2_FSGSBASE when the kernel lets user space use RDFSBASE and friends (CR4.FSGSBASE).
uint64_t elf_hwcap2() { return (x86::read_cr4() & kCr4FsGsBase) ? HWCAP2_FSGSBASE : 0; }

const char* elf_platform() { return "x86_64"; }

}  // namespace arch
