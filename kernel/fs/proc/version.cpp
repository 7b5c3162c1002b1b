// /proc/version, /proc/cmdline and /proc/filesystems.
#include <fs/proc/internal.hpp>
#include <init/boot_info.hpp>
#include <syscalls/utsname.hpp>

Result<void> proc_version_show(SeqBuf& m, ProcInode*) {
    // Linux's linux_banner: "Linux version <release> (<builder>) (<compiler>) <version>".
    m.printf("%s version %s (tern@tern) (gcc " __VERSION__ ") %s\n", kUtsSysname, kUtsRelease, kUtsVersion);
    return {};
}

Result<void> proc_cmdline_show(SeqBuf& m, ProcInode*) {
    m.printf("%s\n", boot_info.cmdline);
    return {};
}

namespace {
void show_filesystem(FileSystemType* type, void* arg) {
    SeqBuf& m = *static_cast<SeqBuf*>(arg);
    m.printf("%s\t%s\n", (type->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev", type->name);
}
}  // namespace

Result<void> proc_filesystems_show(SeqBuf& m, ProcInode*) {
    for_each_filesystem(show_filesystem, &m);
    return {};
}
