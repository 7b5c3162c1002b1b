// TEMPORARY (to be deleted when the tty layer lands): /dev/console (5:1) as a write-only character
// device that copies what is written to the serial port, so that PID 1 has descriptors 0, 1 and 2 and
// user programs can print before the real console exists. Reading is not supported (EIO): there is no
// input side here. Not built into the host tests (it calls the UART driver).
#ifndef TERN_HOST
#include <fs/chrdev.hpp>
#include <fs/devtmpfs.hpp>
#include <fs/uapi_stat.hpp>
#include <init/initcall.hpp>
#include <printk/printk.hpp>

void uart16550_write(const char* text, size_t len);  // arch/x86_64/drivers/uart16550.hpp

namespace {

Result<size_t> console_stub_read(File*, IoIter&, int64_t*) { return Errno::EIO; }

Result<size_t> console_stub_write(File*, IoIter& from, int64_t*) {
    char buf[256];
    size_t done = 0;
    while (from.count()) {
        size_t want = from.count() < sizeof buf ? from.count() : sizeof buf;
        size_t got = from.copy_from(buf, want);
        if (got) uart16550_write(buf, got);
        done += got;
        if (got < want) break;
    }
    if (!done && from.count()) return Errno::EFAULT;
    return done;
}

const FileOperations console_stub_fops = {
    .read = console_stub_read,
    .write = console_stub_write,
};

int console_stub_init() {
    Result<uint32_t> r = register_chrdev_region(5, 1, 1, "console", &console_stub_fops);
    if (r.is_error() || devtmpfs_register_node("console", S_IFCHR | 0600, MKDEV(5, 1)).is_error())
        pr_warn("console stub: cannot register /dev/console");
    return 0;
}

}  // namespace

fs_initcall(console_stub_init);
#endif
