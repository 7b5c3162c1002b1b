#include <init/initramfs.hpp>
#include <init/boot_info.hpp>
#include <init/initcall.hpp>
#include <arch/arch.hpp>
#include <lib/inflate.hpp>
#include <lib/string.hpp>
#include <mm/vmalloc.hpp>
#include <printk/printk.hpp>

namespace {

struct Archive {
    const uint8_t* data;
    size_t size;
};
constexpr size_t kMaxArchives = 16;
Archive archives[kMaxArchives];
size_t archive_count = 0;
size_t entry_count = 0;

// Decompression state is ~3 KiB: static rather than on the kernel stack (populate_rootfs runs once).
InflateState inflate_state;

Result<void> add_archive(const uint8_t* data, size_t size) {
    if (archive_count == kMaxArchives) return Errno::E2BIG;
    CpioReader reader(data, size);
    CpioEntry entry;
    size_t entries = 0;
    while (reader.next(entry)) entries++;
    if (reader.error() != CpioError::None) {
        pr_err("Initramfs unpacking failed: %s at offset %zu", cpio_error_name(reader.error()), reader.offset());
        return Errno::EINVAL;
    }
    archives[archive_count++] = Archive{data, size};
    entry_count += entries;
    return {};
}

// Decompresses the gzip member at `in`; on success *used is its compressed length.
Result<void> add_gzip_member(const uint8_t* in, size_t len, size_t* used) {
    // ISIZE is exact for a lone member; otherwise start at 4x and grow.
    uint32_t isize = 0;
    size_t capacity = gzip_isize(in, len, &isize) && isize > 0 ? isize : len * 4;
    for (;;) {
        auto* out = static_cast<uint8_t*>(vmalloc(capacity));
        if (!out) return Errno::ENOMEM;
        size_t out_len = 0;
        GzipResult r = gunzip(in, len, out, capacity, &out_len, used, inflate_state);
        if (r == GzipResult::Ok) return add_archive(out, out_len);
        vfree(out);
        if (r != GzipResult::OutputTooSmall) {
            pr_err("Initramfs unpacking failed: %s", gzip_result_name(r));
            return Errno::EINVAL;
        }
        capacity *= 2;
    }
}

// A module is a sequence of segments: plain archives (read in place) and gzip members (decoded).
Result<void> unpack_module(const uint8_t* data, size_t size) {
    size_t offset = 0;
    while (offset < size) {
        if (data[offset] == 0) {  // padding between segments
            offset++;
            continue;
        }
        if (is_gzip(data + offset, size - offset)) {
            size_t used = 0;
            TRY(add_gzip_member(data + offset, size - offset, &used));
            offset += used;
            continue;
        }
        // A plain archive runs until the end or until something that is not cpio (a gzip member).
        CpioReader reader(data + offset, size - offset);
        CpioEntry entry;
        while (reader.next(entry)) {
        }
        size_t end = reader.error() == CpioError::None ? size - offset : reader.offset();
        if (end == 0 || (reader.error() != CpioError::None && !is_gzip(data + offset + end, size - offset - end))) {
            pr_err("Initramfs unpacking failed: %s at offset %zu", cpio_error_name(reader.error()), offset + end);
            return Errno::EINVAL;
        }
        TRY(add_archive(data + offset, end));
        offset += end;
    }
    return {};
}

// cpio names are relative ("init", "./bin/sh"); paths here are absolute.
bool same_path(const char* archive_name, const char* path) {
    while (*archive_name == '.' && archive_name[1] == '/') archive_name += 2;
    while (*archive_name == '/') archive_name++;
    while (*path == '/') path++;
    return !strcmp(archive_name, path);
}

}  // namespace

Result<void> populate_rootfs() {
    for (unsigned i = 0; i < boot_info.module_count; i++) {
        const BootModule& m = boot_info.modules[i];
        pr_info("Trying to unpack rootfs image as initramfs...");
        auto* data = static_cast<const uint8_t*>(arch::phys_to_virt(m.phys_start));
        TRY(unpack_module(data, size_t(m.phys_end - m.phys_start)));
    }
    if (boot_info.module_count)
        pr_info("initramfs: %zu entries in %zu archives", entry_count, archive_count);
    return {};
}

bool initramfs_lookup(const char* path, CpioEntry& found) {
    bool any = false;
    for (size_t a = 0; a < archive_count; a++) {
        CpioReader reader(archives[a].data, archives[a].size);
        CpioEntry entry;
        while (reader.next(entry)) {
            if (same_path(entry.name, path)) {
                found = entry;
                any = true;  // keep going: a later entry overrides
            }
        }
    }
    return any;
}

size_t initramfs_entry_count() { return entry_count; }

namespace {
int populate_rootfs_initcall() {
    Result<void> r = populate_rootfs();
    return r.is_error() ? -int(r.error()) : 0;
}
rootfs_initcall(populate_rootfs_initcall);
}  // namespace
