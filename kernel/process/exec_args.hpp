#pragma once
// The argument and environment strings of an exec, held in kernel memory until the new program's
// stack is built (Linux copies them straight into the new stack's pages; Tern builds the whole stack
// image first and copies it once the new address space is in place).
//
// Limits, as Linux's (fs/exec.c):
//   each string at most MAX_ARG_STRLEN (32 pages) including its NUL                       E2BIG
//   all strings (and the file name) together at most max(ARG_MAX, min(RLIMIT_STACK / 4,
//   3/4 of _STK_LIM)) minus the pointers to them                                          E2BIG
// The budget is shared by argv and envp (ExecStringBudget).
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

constexpr size_t MAX_ARG_STRLEN = 32 * 4096;
constexpr size_t ARG_MAX = 32 * 4096;
constexpr unsigned MAX_ARG_STRINGS = 0x7fffffff;

// Bytes the strings of an exec may take, given RLIMIT_STACK and the number of pointers (argc, at least
// 1, plus envc); E2BIG if the pointers alone do not fit (Linux's bprm_stack_limits()).
Result<size_t> exec_string_limit(uint64_t stack_rlimit, uint64_t argc, uint64_t envc);

struct ExecStringBudget {
    size_t remaining;
};

// A list of NUL-terminated strings, stored back to back.
class ExecStrings {
public:
    explicit ExecStrings(ExecStringBudget& budget) : budget_(budget) {}
    ~ExecStrings();
    ExecStrings(const ExecStrings&) = delete;
    ExecStrings& operator=(const ExecStrings&) = delete;

    Result<void> push_back(const char* s, size_t len);
    Result<void> push_front(const char* s, size_t len);
    // Drops the first string (a script's argv[0] makes way for the interpreter's).
    void pop_front();

    // For copying from user space straight into the list: room for a string of up to `max` bytes with
    // its NUL (E2BIG beyond the budget, ENOMEM), then commit() with the length actually copied.
    Result<char*> reserve(size_t max);
    void commit(size_t len);

    unsigned count() const { return count_; }
    size_t bytes() const { return used_; }  // with the NULs
    const char* data() const { return data_; }

private:
    Result<void> grow(size_t need);

    ExecStringBudget& budget_;
    char* data_ = nullptr;
    size_t used_ = 0, capacity_ = 0;
    unsigned count_ = 0;
};
