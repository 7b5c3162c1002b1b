#pragma once
// The identity a file-system operation is checked against. The process code owns the real credentials
// and passes these in; the VFS only reads them.
//
// As in Linux, permission checks use the effective ids (Linux's fsuid/fsgid, which follow euid/egid
// unless setfsuid() was called: the process code may put the fs ids in euid/egid here). access(2)
// without AT_EACCESS checks with the real ids: see Credentials::for_access().
#include <stddef.h>
#include <stdint.h>

struct Credentials {
    uint32_t uid = 0, gid = 0;    // real
    uint32_t euid = 0, egid = 0;  // effective: what permission checks and new files' owners use
    const uint32_t* groups = nullptr;  // supplementary groups, owned by the caller
    size_t ngroups = 0;

    static Credentials root() { return {}; }
    static Credentials user(uint32_t uid, uint32_t gid) { return {uid, gid, uid, gid, nullptr, 0}; }

    // The superuser's capabilities (Linux's CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN, CAP_MKNOD,
    // CAP_SYS_ADMIN ...), all granted to euid 0 until capabilities exist.
    bool is_root() const { return euid == 0; }
    bool in_group(uint32_t g) const {
        if (g == egid) return true;
        for (size_t i = 0; i < ngroups; i++)
            if (groups[i] == g) return true;
        return false;
    }
    // access(2)/faccessat() without AT_EACCESS: the same check done with the real ids.
    Credentials for_access() const {
        Credentials c = *this;
        c.euid = uid;
        c.egid = gid;
        return c;
    }
};
