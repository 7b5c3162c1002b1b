#pragma once
// Credentials (Linux's struct cred): who a task is for permission checks. Shared between tasks until one
// changes its own (copy on write, as Linux does): setuid() and friends make a new Credentials.
#include <lib/atomic.hpp>
#include <stdint.h>

constexpr unsigned kMaxGroups = 32;

struct Credentials {
    uint32_t uid = 0, gid = 0;      // real
    uint32_t euid = 0, egid = 0;    // effective: what permission checks use
    uint32_t suid = 0, sgid = 0;    // saved set-IDs
    uint32_t fsuid = 0, fsgid = 0;  // file system checks (follow euid/egid unless set apart)
    uint32_t groups[kMaxGroups] = {};
    unsigned ngroups = 0;
    Atomic<int> usage{1};

    bool in_group(uint32_t group) const {
        if (group == fsgid) return true;
        for (unsigned i = 0; i < ngroups; i++)
            if (groups[i] == group) return true;
        return false;
    }
};

// The credentials of the boot tasks and kernel threads: root.
extern Credentials init_cred;
