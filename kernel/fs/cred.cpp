#include <fs/cred.hpp>

void cred_set_ids(Credentials& c, uint32_t uid, uint32_t gid) {
    c.uid = c.euid = c.suid = c.fsuid = uid;
    c.gid = c.egid = c.sgid = c.fsgid = gid;
    c.ngroups = 0;
}

void cred_for_access(Credentials& to, const Credentials& from) {
    to.uid = from.uid;
    to.gid = from.gid;
    to.euid = from.euid;
    to.egid = from.egid;
    to.suid = from.suid;
    to.sgid = from.sgid;
    to.fsuid = from.uid;
    to.fsgid = from.gid;
    to.ngroups = from.ngroups;
    for (unsigned i = 0; i < from.ngroups && i < kMaxGroups; i++) to.groups[i] = from.groups[i];
}
