// The file side of fork/exec/exit for builds without the VFS (see process.hpp): fs/ defines the same
// functions strongly and these drop out at link time. Without fs/ no task ever has an fd table or an
// fs_struct, so there is nothing to copy, share or release.
#include <process/process.hpp>
#include <sched/task.hpp>

[[gnu::weak]] Result<void> copy_files(uint64_t, Task* child) {
    child->files = nullptr;
    return {};
}

[[gnu::weak]] Result<void> copy_fs(uint64_t, Task* child) {
    child->fs = nullptr;
    return {};
}

[[gnu::weak]] void exit_files(Task* task) { task->files = nullptr; }
[[gnu::weak]] void exit_fs(Task* task) { task->fs = nullptr; }
[[gnu::weak]] void do_close_on_exec(Task*) {}
