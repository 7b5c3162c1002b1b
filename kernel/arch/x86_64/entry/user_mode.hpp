#pragma once
// Running a tiny user program by hand, for self-tests that need ring 3 before exec exists: a bare page
// table (the kernel half plus a code, a data and a stack page), a task that enters user mode on it
// through start_thread(), and a way to wait for the task to die and read what the program left in its
// data page.
#include <mm/gfp.hpp>
#include <stddef.h>
#include <stdint.h>

struct Task;

namespace x86::usertest {

constexpr uint64_t kCodeAddr = 0x400000;
constexpr uint64_t kDataAddr = 0x600000;
constexpr uint64_t kStackPage = 0x7fe000;
constexpr uint64_t kStackTop = 0x7ff000;

class UserProcess {
public:
    UserProcess() = default;
    ~UserProcess();
    UserProcess(const UserProcess&) = delete;
    UserProcess& operator=(const UserProcess&) = delete;

    // Builds the address space with the program [start, end) at kCodeAddr. False on allocation failure.
    bool load(const char* start, const char* end);
    // Starts the program in a new task (not a kernel thread) with its own signal state.
    bool start(const char* name);
    // Waits until the task is dead (up to timeout_ms); its exit code, or -1 on timeout.
    long wait_exit(unsigned timeout_ms = 5000);

    // The data page as the kernel sees it.
    uint64_t data(size_t offset) const;
    // Waits until the program stores a non-zero word at `offset` (false on timeout or if it died).
    bool wait_data(size_t offset, unsigned timeout_ms = 5000) const;
    Task* task() const { return task_; }
    uint64_t cr3() const;

private:
    void* table_ = nullptr;  // the PageTable (arch/x86_64/mm/page_table.hpp), kept opaque here
    uint64_t root_ = 0;
    Page* code_ = nullptr;
    Page* data_ = nullptr;
    Page* stack_ = nullptr;
    Task* task_ = nullptr;
};

}  // namespace x86::usertest
