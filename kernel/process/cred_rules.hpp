#pragma once
// The permission rules of the set*id() system calls, as Linux applies them (kernel/sys.c), on plain
// Credentials values: `old` is the caller's, `cred` starts as a copy of it and receives the change.
// Tern has no capabilities: CAP_SETUID and CAP_SETGID are "euid == 0".
//
// An id of (uint32_t)-1 means "unchanged" where Linux says so (setreuid, setresuid, ...); setuid(-1)
// and setgid(-1) are EINVAL. Unprivileged callers may only move ids among values they already have:
//   setuid(u):        u == uid or u == suid  -> euid = fsuid = u
//   setreuid(r, e):   r in {uid, euid}; e in {uid, euid, suid}; the saved id follows the new euid
//                     when r is set or e differs from the old real uid
//   setresuid(r,e,s): each in {uid, euid, suid}
//   setfsuid(u):      u in {uid, euid, suid, fsuid}; returns the previous fsuid either way
// Root may set anything (setuid then sets all four ids).
#include <lib/result.hpp>
#include <process/cred.hpp>
#include <stdint.h>

constexpr uint32_t kNoChangeId = ~0u;  // (uid_t)-1
constexpr unsigned kNgroupsMax = 65536;  // Linux's limit; Tern keeps at most kMaxGroups

inline bool cred_can_setuid(const Credentials& c) { return c.euid == 0; }  // CAP_SETUID
inline bool cred_can_setgid(const Credentials& c) { return c.euid == 0; }  // CAP_SETGID

Result<void> cred_setuid(const Credentials& old, Credentials& cred, uint32_t uid);
Result<void> cred_setgid(const Credentials& old, Credentials& cred, uint32_t gid);
Result<void> cred_setreuid(const Credentials& old, Credentials& cred, uint32_t ruid, uint32_t euid);
Result<void> cred_setregid(const Credentials& old, Credentials& cred, uint32_t rgid, uint32_t egid);
Result<void> cred_setresuid(const Credentials& old, Credentials& cred, uint32_t ruid, uint32_t euid, uint32_t suid);
Result<void> cred_setresgid(const Credentials& old, Credentials& cred, uint32_t rgid, uint32_t egid, uint32_t sgid);
// Returns the old fsuid/fsgid; changes cred.fsuid/fsgid only when allowed.
uint32_t cred_setfsuid(const Credentials& old, Credentials& cred, uint32_t fsuid);
uint32_t cred_setfsgid(const Credentials& old, Credentials& cred, uint32_t fsgid);
// EPERM unless root; EINVAL if more than kMaxGroups (Linux: kNgroupsMax). Stored sorted, as Linux does.
Result<void> cred_setgroups(const Credentials& old, Credentials& cred, const uint32_t* groups, unsigned count);
