#pragma once
// Multiboot 1 information structure (the layout QEMU's -kernel loader fills in).
#include <stdint.h>

constexpr uint32_t kMultibootBootloaderMagic = 0x2BADB002;

struct MultibootInfo {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
} __attribute__((packed));

constexpr uint32_t MB_INFO_MEMORY = 1u << 0;
constexpr uint32_t MB_INFO_CMDLINE = 1u << 2;
constexpr uint32_t MB_INFO_MODS = 1u << 3;
constexpr uint32_t MB_INFO_MMAP = 1u << 6;
constexpr uint32_t MB_INFO_LOADER_NAME = 1u << 9;

struct MultibootModule {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
} __attribute__((packed));

struct MultibootMmapEntry {
    uint32_t size;  // of the rest of the entry: the next one is at (this + size + 4)
    uint64_t addr;
    uint64_t len;
    uint32_t type;  // 1 = available RAM, 3 = ACPI reclaimable, 4 = ACPI NVS, 5 = bad
} __attribute__((packed));
