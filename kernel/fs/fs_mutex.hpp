#pragma once
// The VFS's long-held lock (Linux uses a sleeping mutex, i_rwsem, for directories and file data).
//
// Until kernel/locking/ has a Mutex this is a SpinLock: correct mutual exclusion, but whoever holds it
// must not sleep, and it disables preemption while held. Every VFS lock of this kind is declared with
// these names, so switching to the sleeping Mutex is a change here only.
#include <locking/spinlock.hpp>

using FsMutex = SpinLock;
using FsMutexGuard = SpinLockGuard;
