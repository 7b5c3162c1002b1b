#pragma once
// The legacy 8259 PIC pair: remapped away from the exception vectors and fully masked, because the
// I/O APIC delivers the ISA IRQs instead.
namespace x86 {
void legacy_pic_init();
}
