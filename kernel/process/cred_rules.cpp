// The set*id() permission rules (see cred_rules.hpp).
#include <process/cred_rules.hpp>

namespace {

bool is_one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c) { return id == a || id == b || id == c; }

}  // namespace

Result<void> cred_setuid(const Credentials& old, Credentials& cred, uint32_t uid) {
    if (uid == kNoChangeId) return Errno::EINVAL;
    if (cred_can_setuid(old)) {
        cred.uid = cred.suid = uid;
    } else if (uid != old.uid && uid != old.suid) {
        return Errno::EPERM;
    }
    cred.euid = cred.fsuid = uid;
    return {};
}

Result<void> cred_setgid(const Credentials& old, Credentials& cred, uint32_t gid) {
    if (gid == kNoChangeId) return Errno::EINVAL;
    if (cred_can_setgid(old)) {
        cred.gid = cred.sgid = gid;
    } else if (gid != old.gid && gid != old.sgid) {
        return Errno::EPERM;
    }
    cred.egid = cred.fsgid = gid;
    return {};
}

Result<void> cred_setreuid(const Credentials& old, Credentials& cred, uint32_t ruid, uint32_t euid) {
    bool privileged = cred_can_setuid(old);
    if (ruid != kNoChangeId) {
        if (ruid != old.uid && ruid != old.euid && !privileged) return Errno::EPERM;
        cred.uid = ruid;
    }
    if (euid != kNoChangeId) {
        if (!is_one_of(euid, old.uid, old.euid, old.suid) && !privileged) return Errno::EPERM;
        cred.euid = euid;
    }
    if (ruid != kNoChangeId || (euid != kNoChangeId && euid != old.uid)) cred.suid = cred.euid;
    cred.fsuid = cred.euid;
    return {};
}

Result<void> cred_setregid(const Credentials& old, Credentials& cred, uint32_t rgid, uint32_t egid) {
    bool privileged = cred_can_setgid(old);
    if (rgid != kNoChangeId) {
        if (rgid != old.gid && rgid != old.egid && !privileged) return Errno::EPERM;
        cred.gid = rgid;
    }
    if (egid != kNoChangeId) {
        if (!is_one_of(egid, old.gid, old.egid, old.sgid) && !privileged) return Errno::EPERM;
        cred.egid = egid;
    }
    if (rgid != kNoChangeId || (egid != kNoChangeId && egid != old.gid)) cred.sgid = cred.egid;
    cred.fsgid = cred.egid;
    return {};
}

Result<void> cred_setresuid(const Credentials& old, Credentials& cred, uint32_t ruid, uint32_t euid, uint32_t suid) {
    if (!cred_can_setuid(old)) {
        for (uint32_t id : {ruid, euid, suid})
            if (id != kNoChangeId && !is_one_of(id, old.uid, old.euid, old.suid)) return Errno::EPERM;
    }
    if (ruid != kNoChangeId) cred.uid = ruid;
    if (euid != kNoChangeId) cred.euid = euid;
    if (suid != kNoChangeId) cred.suid = suid;
    cred.fsuid = cred.euid;
    return {};
}

Result<void> cred_setresgid(const Credentials& old, Credentials& cred, uint32_t rgid, uint32_t egid, uint32_t sgid) {
    if (!cred_can_setgid(old)) {
        for (uint32_t id : {rgid, egid, sgid})
            if (id != kNoChangeId && !is_one_of(id, old.gid, old.egid, old.sgid)) return Errno::EPERM;
    }
    if (rgid != kNoChangeId) cred.gid = rgid;
    if (egid != kNoChangeId) cred.egid = egid;
    if (sgid != kNoChangeId) cred.sgid = sgid;
    cred.fsgid = cred.egid;
    return {};
}

uint32_t cred_setfsuid(const Credentials& old, Credentials& cred, uint32_t fsuid) {
    uint32_t previous = old.fsuid;
    if (fsuid == kNoChangeId) return previous;  // Linux's invalid id: a query
    if (is_one_of(fsuid, old.uid, old.euid, old.suid) || fsuid == old.fsuid || cred_can_setuid(old))
        cred.fsuid = fsuid;
    return previous;
}

uint32_t cred_setfsgid(const Credentials& old, Credentials& cred, uint32_t fsgid) {
    uint32_t previous = old.fsgid;
    if (fsgid == kNoChangeId) return previous;
    if (is_one_of(fsgid, old.gid, old.egid, old.sgid) || fsgid == old.fsgid || cred_can_setgid(old))
        cred.fsgid = fsgid;
    return previous;
}

Result<void> cred_setgroups(const Credentials& old, Credentials& cred, const uint32_t* groups, unsigned count) {
    if (count > kNgroupsMax) return Errno::EINVAL;
    if (!cred_can_setgid(old)) return Errno::EPERM;
    if (count > kMaxGroups) return Errno::EINVAL;  // Tern's table is smaller than Linux's
    // Insertion sort: at most kMaxGroups entries (Linux sorts too, for its binary search).
    for (unsigned i = 0; i < count; i++) {
        uint32_t g = groups[i];
        unsigned j = i;
        for (; j > 0 && cred.groups[j - 1] > g; j--) cred.groups[j] = cred.groups[j - 1];
        cred.groups[j] = g;
    }
    cred.ngroups = count;
    return {};
}
