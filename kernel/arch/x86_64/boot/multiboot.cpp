// Turns the Multiboot 1 information QEMU passes into boot_info, then enters start_kernel().
#include <arch/x86_64/multiboot.hpp>
#include <arch/x86_64/io.hpp>
#include <arch/x86_64/drivers/uart16550.hpp>
#include <init/boot_info.hpp>
#include <printk/printk.hpp>
#include <smp/percpu.hpp>
#include <lib/string.hpp>

BootInfo boot_info;

extern "C" uint64_t boot_tsc_at_entry;
extern "C" char _kernel_start[], _end[];
extern "C" [[noreturn]] void start_kernel();

namespace {

void copy_string(char* dst, size_t cap, const char* src) {
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++) dst[i] = src[i];
    dst[i] = 0;
}

void parse_multiboot(const MultibootInfo* info) {
    boot_info.kernel_phys_start = arch::virt_to_phys(_kernel_start);
    boot_info.kernel_phys_end = arch::virt_to_phys(_end);
    boot_info.reserved_phys_end = boot_info.kernel_phys_end;
    boot_info.tsc_at_entry = boot_tsc_at_entry;

    if (info->flags & MB_INFO_CMDLINE) {
        // QEMU's command line is "<path given to -kernel> <append string>": the first word is not ours.
        const char* cmd = static_cast<const char*>(arch::phys_to_virt(info->cmdline));
        while (*cmd && *cmd != ' ') cmd++;
        while (*cmd == ' ') cmd++;
        copy_string(boot_info.cmdline, sizeof boot_info.cmdline, cmd);
    }
    if (info->flags & MB_INFO_LOADER_NAME)
        copy_string(boot_info.loader_name, sizeof boot_info.loader_name,
                    static_cast<const char*>(arch::phys_to_virt(info->boot_loader_name)));

    if (info->flags & MB_INFO_MMAP) {
        auto p = reinterpret_cast<uintptr_t>(arch::phys_to_virt(info->mmap_addr));
        auto end = p + info->mmap_length;
        while (p < end && boot_info.memory_count < sizeof boot_info.memory / sizeof boot_info.memory[0]) {
            auto* e = reinterpret_cast<const MultibootMmapEntry*>(p);
            using T = MemoryRegion::Type;
            T type = e->type == 1 ? T::Usable : e->type == 3 ? T::AcpiReclaimable : e->type == 4 ? T::AcpiNvs
                   : e->type == 5 ? T::Bad : T::Reserved;
            boot_info.memory[boot_info.memory_count++] = MemoryRegion{e->addr, e->len, type};
            p += e->size + 4;
        }
    } else if (info->flags & MB_INFO_MEMORY) {
        boot_info.memory[0] = MemoryRegion{0, uint64_t(info->mem_lower) * 1024, MemoryRegion::Type::Usable};
        boot_info.memory[1] = MemoryRegion{0x100000, uint64_t(info->mem_upper) * 1024, MemoryRegion::Type::Usable};
        boot_info.memory_count = 2;
    }

    if (info->flags & MB_INFO_MODS) {
        auto* mods = static_cast<const MultibootModule*>(arch::phys_to_virt(info->mods_addr));
        for (uint32_t i = 0; i < info->mods_count && i < sizeof boot_info.modules / sizeof boot_info.modules[0]; i++) {
            BootModule& m = boot_info.modules[boot_info.module_count++];
            m.phys_start = mods[i].mod_start;
            m.phys_end = mods[i].mod_end;
            if (mods[i].string)
                copy_string(m.name, sizeof m.name, static_cast<const char*>(arch::phys_to_virt(mods[i].string)));
            // Module strings sit right after bss and modules follow: nothing below the last module end
            // is free memory.
            if (m.phys_end > boot_info.reserved_phys_end) boot_info.reserved_phys_end = m.phys_end;
            uint64_t str_end = mods[i].string + 64;
            if (mods[i].string && str_end > boot_info.reserved_phys_end) boot_info.reserved_phys_end = str_end;
        }
    }
}

}  // namespace

extern "C" [[noreturn]] void x86_64_start_kernel(uint32_t magic, uint32_t info_phys) {
    PerCpu& boot_cpu = per_cpu_data[0];
    boot_cpu.self = &boot_cpu;
    boot_cpu.cpu_id = 0;
    x86::wrmsr(x86::MSR_GS_BASE, reinterpret_cast<uint64_t>(&boot_cpu));

    uart16550_early_init();
    if (magic != kMultibootBootloaderMagic) {
        pr_emerg("Tern must be booted by a Multiboot 1 loader (magic %#x)", magic);
        for (;;) asm volatile("cli; hlt");
    }
    parse_multiboot(static_cast<const MultibootInfo*>(arch::phys_to_virt(info_phys)));
    start_kernel();
}
