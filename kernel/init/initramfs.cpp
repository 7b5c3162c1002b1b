#include <init/initramfs.hpp>
#include <init/boot_info.hpp>
#include <init/initcall.hpp>
#include <arch/arch.hpp>
#include <fs/unpack_cpio.hpp>
#include <lib/cpio.hpp>
#include <lib/inflate.hpp>
#include <mm/vmalloc.hpp>
#include <printk/printk.hpp>

namespace {

struct Totals {
    size_t archives = 0;
    CpioUnpackStats entries;
};
Totals totals;

// Decompression state is ~3 KiB: static rather than on the kernel stack (populate_rootfs runs once).
InflateState inflate_state;

Result<void> unpack_archive(const uint8_t* data, size_t size) {
    CpioUnpackStats s = TRY(unpack_to_rootfs(data, size));
    totals.archives++;
    totals.entries.dirs += s.dirs;
    totals.entries.files += s.files;
    totals.entries.symlinks += s.symlinks;
    totals.entries.nodes += s.nodes;
    totals.entries.hardlinks += s.hardlinks;
    totals.entries.failed += s.failed;
    totals.entries.bytes += s.bytes;
    return {};
}

// Decompresses the gzip member at `in` into a temporary buffer and unpacks it; *used is its length.
Result<void> unpack_gzip_member(const uint8_t* in, size_t len, size_t* used) {
    // ISIZE is exact for a lone member; otherwise start at 4x and grow.
    uint32_t isize = 0;
    size_t capacity = gzip_isize(in, len, &isize) && isize > 0 ? isize : len * 4;
    for (;;) {
        auto* out = static_cast<uint8_t*>(vmalloc(capacity));
        if (!out) return Errno::ENOMEM;
        size_t out_len = 0;
        GzipResult r = gunzip(in, len, out, capacity, &out_len, used, inflate_state);
        if (r == GzipResult::Ok) {
            Result<void> unpacked = unpack_archive(out, out_len);
            vfree(out);
            return unpacked;
        }
        vfree(out);
        if (r != GzipResult::OutputTooSmall) {
            pr_err("Initramfs unpacking failed: %s", gzip_result_name(r));
            return Errno::EINVAL;
        }
        capacity *= 2;
    }
}

// A module is a sequence of segments: plain archives (unpacked in place) and gzip members.
Result<void> unpack_module(const uint8_t* data, size_t size) {
    size_t offset = 0;
    while (offset < size) {
        if (data[offset] == 0) {  // padding between segments
            offset++;
            continue;
        }
        if (is_gzip(data + offset, size - offset)) {
            size_t used = 0;
            TRY(unpack_gzip_member(data + offset, size - offset, &used));
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
        TRY(unpack_archive(data + offset, end));
        offset += end;
    }
    return {};
}

}  // namespace

Result<void> populate_rootfs() {
    for (unsigned i = 0; i < boot_info.module_count; i++) {
        const BootModule& m = boot_info.modules[i];
        pr_info("Trying to unpack rootfs image as initramfs...");
        auto* data = static_cast<const uint8_t*>(arch::phys_to_virt(m.phys_start));
        TRY(unpack_module(data, size_t(m.phys_end - m.phys_start)));
    }
    if (!boot_info.module_count) return {};
    const CpioUnpackStats& e = totals.entries;
    pr_info("initramfs: %zu archives: %zu directories, %zu files (%zuK), %zu symlinks, %zu nodes, %zu hard links",
            totals.archives, e.dirs, e.files, (e.bytes + 1023) / 1024, e.symlinks, e.nodes, e.hardlinks);
    if (e.failed) pr_warn("initramfs: %zu entries could not be created", e.failed);
    return {};
}

namespace {
int populate_rootfs_initcall() {
    Result<void> r = populate_rootfs();
    return r.is_error() ? -int(r.error()) : 0;
}
rootfs_initcall(populate_rootfs_initcall);
}  // namespace
