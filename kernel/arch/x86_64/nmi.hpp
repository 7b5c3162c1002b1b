#pragma once
// NMI handlers (Linux's register_nmi_handler, one kind: local NMIs). An NMI carries no vector-specific
// meaning, so every registered handler is asked; each says whether the NMI was its own. Handlers run
// on the NMI stack, with NMIs blocked, at any point of the kernel: they must not take locks that code
// they may interrupt holds, and must not fault.
#include <arch/x86_64/ptrace.hpp>

namespace x86 {

using NmiHandler = bool (*)(PtRegs* regs);

constexpr unsigned kMaxNmiHandlers = 4;
// False if the table is full.
bool register_nmi_handler(NmiHandler handler);
void unregister_nmi_handler(NmiHandler handler);

}  // namespace x86
