// The futex side of CLONE_CHILD_CLEARTID (see process.hpp) for builds without futexes: nobody can be
// waiting on the TID word, so there is nobody to wake. The futex code's strong definition replaces this.
#include <process/process.hpp>

[[gnu::weak]] void futex_wake_tid(uint64_t) {}
