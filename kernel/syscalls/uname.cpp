// uname(2), sethostname(2), setdomainname(2): the system's name as programs see it.
//
// C libraries and busybox look at the release: glibc refuses to run on a kernel older than it was
// configured for, so Tern reports a Linux-compatible release (the ABI it implements) with its own
// suffix, and "Linux" as the system name, since it speaks Linux's system-call ABI.
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <locking/spinlock.hpp>
#include <process/cred.hpp>
#include <sched/task.hpp>
#include <syscalls/syscall.hpp>
#include <syscalls/utsname.hpp>

namespace {

constexpr size_t kUtsLen = 65;  // __NEW_UTS_LEN + 1

struct NewUtsname {
    char sysname[kUtsLen];
    char nodename[kUtsLen];
    char release[kUtsLen];
    char version[kUtsLen];
    char machine[kUtsLen];
    char domainname[kUtsLen];
};
static_assert(sizeof(NewUtsname) == 390);

SpinLock uts_lock;
char hostname[kUtsLen] = "(none)";
char domainname[kUtsLen] = "(none)";

bool capable_sys_admin() {
    const Credentials* cred = current()->cred;
    return !cred || cred->euid == 0;
}

long set_name(char (&target)[kUtsLen], uint64_t uname, long len) {
    if (!capable_sys_admin()) return -long(Errno::EPERM);
    if (len < 0 || len > long(kUtsLen - 1)) return -long(Errno::EINVAL);
    char buf[kUtsLen] = {};
    TRY_SYSCALL(copy_from_user(buf, UserPtr<const void>(uname), size_t(len)));
    SpinLockIrqSaveGuard guard(uts_lock);
    memcpy(target, buf, sizeof target);
    return 0;
}

}  // namespace

// The release user space is told (also in /proc/sys/kernel/osrelease and /proc/version).
const char kUtsSysname[] = "Linux";
const char kUtsRelease[] = "6.1.0-tern";
const char kUtsVersion[] = "#1 SMP PREEMPT Tern";

void get_uts_hostname(char* buf, size_t size) {
    SpinLockIrqSaveGuard guard(uts_lock);
    strlcpy(buf, hostname, size);
}

void get_uts_domainname(char* buf, size_t size) {
    SpinLockIrqSaveGuard guard(uts_lock);
    strlcpy(buf, domainname, size);
}

SYSCALL_DEFINE1(uname, uint64_t, uname) {
    NewUtsname u{};
    strlcpy(u.sysname, kUtsSysname, kUtsLen);
    strlcpy(u.release, kUtsRelease, kUtsLen);
    strlcpy(u.version, kUtsVersion, kUtsLen);
    strlcpy(u.machine, "x86_64", kUtsLen);
    {
        SpinLockIrqSaveGuard guard(uts_lock);
        memcpy(u.nodename, hostname, kUtsLen);
        memcpy(u.domainname, domainname, kUtsLen);
    }
    return copy_to_user(UserPtr<void>(uname), &u, sizeof u).to_syscall_return();
}

SYSCALL_DEFINE2(sethostname, uint64_t, name, long, len) { return set_name(hostname, name, len); }
SYSCALL_DEFINE2(setdomainname, uint64_t, name, long, len) { return set_name(domainname, name, len); }
