// The architecture's part of fork for the host build: host tests create processes that run kernel
// functions (user_mode_thread), never ones that return to user space.
#include <arch/thread.hpp>

namespace arch {
Result<void> copy_thread(Task*, uint64_t, bool, uint64_t) { return Errno::ENOSYS; }
}  // namespace arch
