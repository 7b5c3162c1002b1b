// Registers the "proc" file-system type at boot; init (or a test) mounts it where it wants, usually
// with `mount -t proc proc /proc`.
#include <fs/super.hpp>
#include <init/initcall.hpp>
#include <printk/printk.hpp>

extern FileSystemType proc_fs_type;

namespace {
int proc_root_init() {
    Result<void> r = register_filesystem(&proc_fs_type);
    if (r.is_error()) {
        pr_err("proc: cannot register the file system: %s", errno_name(r.error()));
        return -int(r.error());
    }
    return 0;
}
}  // namespace
fs_initcall(proc_root_init);
