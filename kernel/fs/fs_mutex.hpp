#pragma once
// The VFS's long-held lock: Linux uses a sleeping lock (i_rwsem, f_pos_lock) for directories, file
// data and file positions, because holders allocate memory and copy to and from user space, which may
// sleep. Every such VFS lock is declared with these names.
//
// Rules for holders: task context only (never in interrupt handlers or with a spinlock held); a
// spinlock may be taken inside.
#include <locking/mutex.hpp>

using FsMutex = Mutex;
using FsMutexGuard = MutexGuard;
