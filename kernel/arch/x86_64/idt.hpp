#pragma once
// The interrupt descriptor table: one gate per vector, each pointing at its stub in entry.S. Shared by
// all CPUs (every CPU loads the same table).
#include <stdint.h>

namespace x86 {

// Fills the table (on the boot CPU). Without IST (early, before a TSS is loaded) every vector runs on
// the interrupted stack; with it #DF, NMI and #MC switch to their own stacks.
void idt_setup(bool with_ist);
// lidt on the calling CPU.
void load_idt();

}  // namespace x86
