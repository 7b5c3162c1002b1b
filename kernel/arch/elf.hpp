#pragma once
// What the architecture tells a new program about itself (exec's auxiliary vector): Linux's ELF_HWCAP,
// ELF_HWCAP2 and ELF_PLATFORM. Implemented in arch/<name>/elf.cpp.
#include <stdint.h>

namespace arch {

uint64_t elf_hwcap();        // AT_HWCAP
uint64_t elf_hwcap2();       // AT_HWCAP2
const char* elf_platform();  // AT_PLATFORM

}  // namespace arch
