// /dev/null, /dev/zero, /dev/full, and the dispatch of major 1's minors (random.cpp has 8 and 9).
#include <fs/chrdev.hpp>
#include <fs/devices/mem.hpp>
#include <fs/devtmpfs.hpp>
#include <fs/seek.hpp>
#include <fs/uapi_stat.hpp>
#include <init/initcall.hpp>
#include <printk/printk.hpp>

namespace {

Result<size_t> read_null(File*, IoIter&, int64_t*) { return size_t(0); }

Result<size_t> write_null(File*, IoIter& from, int64_t*) {
    size_t n = from.count();
    from.advance(n);
    return n;
}

Result<size_t> read_zero(File*, IoIter& to, int64_t*) {
    size_t want = to.count();
    size_t n = to.zero(want);
    if (n == 0 && want) return Errno::EFAULT;
    return n;
}

Result<size_t> write_full(File*, IoIter&, int64_t*) { return Errno::ENOSPC; }

struct MemDevice {
    uint32_t minor;
    const char* name;
    const FileOperations* fops;
};

const MemDevice mem_devices[] = {
    {3, "null", &null_fops},
    {5, "zero", &zero_fops},
    {7, "full", &full_fops},
    {8, "random", &random_fops},
    {9, "urandom", &urandom_fops},
};

// Linux's memory_open: the minor picks the device.
Result<void> memory_open(Inode* inode, File* file) {
    for (const MemDevice& dev : mem_devices) {
        if (dev.minor != MINOR(inode->rdev)) continue;
        file->f_op = dev.fops;
        if (dev.fops->llseek) file->fmode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
        if (dev.fops->open) return dev.fops->open(inode, file);
        return {};
    }
    return Errno::ENXIO;
}

const FileOperations memory_fops = {.open = memory_open};

}  // namespace

const FileOperations null_fops = {
    .read = read_null,
    .write = write_null,
    .llseek = null_llseek,
};

const FileOperations zero_fops = {
    .read = read_zero,
    .write = write_null,
    .llseek = null_llseek,
};

const FileOperations full_fops = {
    .read = read_zero,
    .write = write_full,
    .llseek = null_llseek,
};

Result<void> chr_dev_init() {
    TRY(register_chrdev_region(MEM_MAJOR, 0, 256, "mem", &memory_fops));
    for (const MemDevice& dev : mem_devices)
        TRY(devtmpfs_register_node(dev.name, S_IFCHR | 0666, MKDEV(MEM_MAJOR, dev.minor)));
    return {};
}

namespace {
int chr_dev_initcall() {
    Result<void> r = chr_dev_init();
    if (r.is_error()) pr_err("mem: cannot register the memory devices: %s", errno_name(r.error()));
    return r.is_error() ? -int(r.error()) : 0;
}
}  // namespace
fs_initcall(chr_dev_initcall);
