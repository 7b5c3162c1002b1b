#pragma once
// The VFS's questions about the caller's credentials (process/cred.hpp's Credentials, which the process
// code owns and passes in; the VFS only reads them).
//
// As in Linux, permission checks and the owners of new files use the file-system ids (fsuid/fsgid,
// which follow euid/egid unless setfsuid() set them apart) and the supplementary groups; access(2)
// without AT_EACCESS checks with the real ids instead (cred_for_access). There are no capabilities
// yet: the superuser's file capabilities (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER,
// CAP_FSETID, CAP_CHOWN, CAP_MKNOD), which Linux drops when fsuid leaves 0, go with fsuid 0, and
// CAP_SYS_ADMIN (mount) with euid 0.
#include <process/cred.hpp>

inline bool capable_fs(const Credentials& c) { return c.fsuid == 0; }
inline bool capable_sys_admin(const Credentials& c) { return c.euid == 0; }

// Credentials are reference-counted objects, not values: these fill one in field by field.
// Every id = uid/gid, no supplementary groups (kernel callers, tests).
void cred_set_ids(Credentials& c, uint32_t uid, uint32_t gid);
// `to` = `from`'s ids and groups, with fsuid/fsgid replaced by the real ids (faccessat).
void cred_for_access(Credentials& to, const Credentials& from);
