// /proc/sys: the read-only part of sysctl Tern has (kernel.hostname, ostype, osrelease, pid_max).
// Writing (sethostname through /proc/sys/kernel/hostname) is not supported yet.
#include <fs/proc/internal.hpp>
#include <sched/pid.hpp>
#include <syscalls/utsname.hpp>

namespace {

Result<void> show_hostname(SeqBuf& m, ProcInode*) {
    char name[65];
    get_uts_hostname(name, sizeof name);
    m.printf("%s\n", name);
    return {};
}

Result<void> show_domainname(SeqBuf& m, ProcInode*) {
    char name[65];
    get_uts_domainname(name, sizeof name);
    m.printf("%s\n", name);
    return {};
}

Result<void> show_ostype(SeqBuf& m, ProcInode*) {
    m.printf("%s\n", kUtsSysname);
    return {};
}

Result<void> show_osrelease(SeqBuf& m, ProcInode*) {
    m.printf("%s\n", kUtsRelease);
    return {};
}

Result<void> show_version(SeqBuf& m, ProcInode*) {
    m.printf("%s\n", kUtsVersion);
    return {};
}

Result<void> show_pid_max(SeqBuf& m, ProcInode*) {
    m.printf("%d\n", PID_MAX_DEFAULT);
    return {};
}

const ProcEntry kernel_entries[] = {
    {"domainname", S_IFREG | 0444, show_domainname},
    {"hostname", S_IFREG | 0444, show_hostname},
    {"osrelease", S_IFREG | 0444, show_osrelease},
    {"ostype", S_IFREG | 0444, show_ostype},
    {"pid_max", S_IFREG | 0444, show_pid_max},
    {"version", S_IFREG | 0444, show_version},
};
const ProcDir kernel_dir = {kernel_entries, sizeof kernel_entries / sizeof kernel_entries[0]};

const ProcEntry sys_entries[] = {
    {"kernel", S_IFDIR | 0555, nullptr, nullptr, &kernel_dir},
};

}  // namespace

const ProcDir proc_sys_dir = {sys_entries, sizeof sys_entries / sizeof sys_entries[0]};
