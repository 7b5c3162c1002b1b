// setup_arch() for x86-64: CPU feature switches that the rest of the kernel relies on.
#include <arch/setup.hpp>
#include <arch/x86_64/acpi/acpi.hpp>
#include <arch/x86_64/cpufeature.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/traps.hpp>
#include <init/boot_info.hpp>
#include <printk/printk.hpp>

CpuFeatures boot_cpu_features;

namespace {

constexpr uint64_t CR0_MP = 1ull << 1, CR0_EM = 1ull << 2, CR0_WP = 1ull << 16, CR0_NW = 1ull << 29,
                   CR0_CD = 1ull << 30;
constexpr uint64_t CR4_OSFXSR = 1ull << 9, CR4_OSXMMEXCPT = 1ull << 10, CR4_SMEP = 1ull << 20,
                   CR4_SMAP = 1ull << 21;

void detect_features(CpuFeatures& f) {
    auto leaf1 = x86::cpuid(1);
    f.apic = leaf1.edx & (1u << 9);
    f.tsc = leaf1.edx & (1u << 4);
    f.xsave = leaf1.ecx & (1u << 26);
    f.x2apic = leaf1.ecx & (1u << 21);
    f.tsc_deadline = leaf1.ecx & (1u << 24);
    auto leaf7 = x86::cpuid(7, 0);
    f.smep = leaf7.ebx & (1u << 7);
    f.smap = leaf7.ebx & (1u << 20);
    f.fsgsbase = leaf7.ebx & (1u << 0);
    auto ext = x86::cpuid(0x80000001);
    f.nx = ext.edx & (1u << 20);
    f.gbpages = ext.edx & (1u << 26);
    f.rdtscp = ext.edx & (1u << 27);
    auto max_ext = x86::cpuid(0x80000000).eax;
    f.invariant_tsc = max_ext >= 0x80000007 && (x86::cpuid(0x80000007).edx & (1u << 8));
    auto vendor = x86::cpuid(0);
    auto* v = reinterpret_cast<uint32_t*>(f.vendor);
    v[0] = vendor.ebx, v[1] = vendor.edx, v[2] = vendor.ecx;
    f.vendor[12] = 0;
}

}  // namespace

void x86::cpu_init() {
    const CpuFeatures& f = boot_cpu_features;
    // The kernel itself is built with -mgeneral-regs-only; SSE is switched on for user space, whose
    // state the context switch saves. CD/NW: caches on (a CPU fresh from INIT has them off).
    x86::write_cr0((x86::read_cr0() & ~(CR0_EM | CR0_CD | CR0_NW)) | CR0_MP | CR0_WP);
    uint64_t cr4 = x86::read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (f.smep) cr4 |= CR4_SMEP;
    if (f.smap) cr4 |= CR4_SMAP;
    x86::write_cr4(cr4);
    if (f.nx) x86::wrmsr(x86::MSR_EFER, x86::rdmsr(x86::MSR_EFER) | x86::EFER_NXE);
}

void setup_arch() {
    // First, so that any fault from here on prints an oops instead of resetting the machine.
    x86::early_trap_init();
    // The BIOS left the 8259 PICs delivering the PIT's IRQ 0 in real-mode vectors; mask them before
    // anything can enable interrupts. Tern routes device interrupts through the I/O APIC.
    x86::outb(0x21, 0xff);
    x86::outb(0xa1, 0xff);
    detect_features(boot_cpu_features);
    const CpuFeatures& f = boot_cpu_features;
    x86::cpu_init();

    pr_info("CPU: vendor %s, features:%s%s%s%s%s%s", f.vendor, f.nx ? " nx" : "", f.smep ? " smep" : "",
            f.smap ? " smap" : "", f.x2apic ? " x2apic" : "", f.invariant_tsc ? " constant_tsc" : "",
            f.xsave ? " xsave" : "");
    for (unsigned i = 0; i < boot_info.memory_count; i++) {
        const MemoryRegion& r = boot_info.memory[i];
        static const char* const names[] = {"usable", "reserved", "ACPI data", "ACPI NVS", "unusable"};
        pr_info("BIOS-e820: [mem %#018lx-%#018lx] %s", (unsigned long)r.base, (unsigned long)(r.base + r.size - 1),
                names[int(r.type)]);
    }
    for (unsigned i = 0; i < boot_info.module_count; i++)
        pr_info("initrd: module %u at [%#lx-%#lx] \"%s\"", i, (unsigned long)boot_info.modules[i].phys_start,
                (unsigned long)boot_info.modules[i].phys_end, boot_info.modules[i].name);
    acpi_table_init();
}
