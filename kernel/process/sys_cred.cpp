// The credential system calls: get*id, set*id, getgroups/setgroups (rules in cred_rules.cpp).
#include <lib/uaccess.hpp>
#include <process/cred.hpp>
#include <process/cred_rules.hpp>
#include <syscalls/syscall.hpp>

namespace {

// prepare_creds(), apply `change` to the copy, commit it if the change is allowed.
template <class Change>
long change_creds(Change&& change) {
    Credentials* cred = prepare_creds();
    if (!cred) return -long(Errno::ENOMEM);
    Result<void> r = change(*current_cred(), *cred);
    if (r.is_error()) {
        abort_creds(cred);
        return -long(r.error());
    }
    commit_creds(cred);
    return 0;
}

long put_three(UserPtr<uint32_t> a, uint32_t va, UserPtr<uint32_t> b, uint32_t vb, UserPtr<uint32_t> c, uint32_t vc) {
    if (put_user(va, a).is_error() || put_user(vb, b).is_error() || put_user(vc, c).is_error())
        return -long(Errno::EFAULT);
    return 0;
}

}  // namespace

SYSCALL_DEFINE0(getuid) { return current_cred()->uid; }
SYSCALL_DEFINE0(geteuid) { return current_cred()->euid; }
SYSCALL_DEFINE0(getgid) { return current_cred()->gid; }
SYSCALL_DEFINE0(getegid) { return current_cred()->egid; }

SYSCALL_DEFINE3(getresuid, UserPtr<uint32_t>, ruid, UserPtr<uint32_t>, euid, UserPtr<uint32_t>, suid) {
    const Credentials* c = current_cred();
    return put_three(ruid, c->uid, euid, c->euid, suid, c->suid);
}

SYSCALL_DEFINE3(getresgid, UserPtr<uint32_t>, rgid, UserPtr<uint32_t>, egid, UserPtr<uint32_t>, sgid) {
    const Credentials* c = current_cred();
    return put_three(rgid, c->gid, egid, c->egid, sgid, c->sgid);
}

SYSCALL_DEFINE1(setuid, uint32_t, uid) {
    return change_creds([&](const Credentials& old, Credentials& c) { return cred_setuid(old, c, uid); });
}
SYSCALL_DEFINE1(setgid, uint32_t, gid) {
    return change_creds([&](const Credentials& old, Credentials& c) { return cred_setgid(old, c, gid); });
}
SYSCALL_DEFINE2(setreuid, uint32_t, ruid, uint32_t, euid) {
    return change_creds([&](const Credentials& old, Credentials& c) { return cred_setreuid(old, c, ruid, euid); });
}
SYSCALL_DEFINE2(setregid, uint32_t, rgid, uint32_t, egid) {
    return change_creds([&](const Credentials& old, Credentials& c) { return cred_setregid(old, c, rgid, egid); });
}
SYSCALL_DEFINE3(setresuid, uint32_t, ruid, uint32_t, euid, uint32_t, suid) {
    return change_creds(
        [&](const Credentials& old, Credentials& c) { return cred_setresuid(old, c, ruid, euid, suid); });
}
SYSCALL_DEFINE3(setresgid, uint32_t, rgid, uint32_t, egid, uint32_t, sgid) {
    return change_creds(
        [&](const Credentials& old, Credentials& c) { return cred_setresgid(old, c, rgid, egid, sgid); });
}

// setfsuid/setfsgid never fail: they return the previous id whether or not they changed it.
SYSCALL_DEFINE1(setfsuid, uint32_t, uid) {
    uint32_t previous = current_cred()->fsuid;
    (void)change_creds([&](const Credentials& old, Credentials& c) -> Result<void> {
        cred_setfsuid(old, c, uid);
        return {};
    });
    return previous;
}
SYSCALL_DEFINE1(setfsgid, uint32_t, gid) {
    uint32_t previous = current_cred()->fsgid;
    (void)change_creds([&](const Credentials& old, Credentials& c) -> Result<void> {
        cred_setfsgid(old, c, gid);
        return {};
    });
    return previous;
}

SYSCALL_DEFINE2(getgroups, int, size, UserPtr<uint32_t>, list) {
    const Credentials* c = current_cred();
    if (size < 0) return -long(Errno::EINVAL);
    if (size == 0) return c->ngroups;
    if (unsigned(size) < c->ngroups) return -long(Errno::EINVAL);
    if (copy_to_user(list.cast<void>(), c->groups, c->ngroups * sizeof(uint32_t)).is_error())
        return -long(Errno::EFAULT);
    return c->ngroups;
}

SYSCALL_DEFINE2(setgroups, int, size, UserPtr<const uint32_t>, list) {
    if (size < 0 || unsigned(size) > kNgroupsMax) return -long(Errno::EINVAL);
    uint32_t groups[kMaxGroups];
    unsigned count = unsigned(size);
    if (count <= kMaxGroups && copy_from_user(groups, list.cast<const void>(), count * sizeof(uint32_t)).is_error())
        return -long(Errno::EFAULT);
    return change_creds(
        [&](const Credentials& old, Credentials& c) { return cred_setgroups(old, c, groups, count); });
}
