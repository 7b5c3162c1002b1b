#pragma once
// System-call handlers, Linux's way: a handler is defined next to the subsystem code it calls, with
//
//   SYSCALL_DEFINE3(read, unsigned int, fd, UserPtr<char>, buf, size_t, count) {
//       ...return a value >= 0 or -errno...
//   }
//
// which defines sys_read with the raw six-register signature the dispatch table uses and unpacks the
// arguments into their declared types. The table itself (number -> handler) is generated from the one
// list in arch/x86_64/entry/syscall_64.tbl; a number whose handler no file defines returns -ENOSYS.
// Handlers stay thin: check and copy arguments (lib/uaccess.hpp), call the subsystem, and turn its
// Result into the return value (Result::to_syscall_return()).
#include <stdint.h>

#define SYSCALL_RAW_PARAMS uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
using SyscallFn = long (*)(SYSCALL_RAW_PARAMS);

extern const unsigned kNrSyscalls;
extern const SyscallFn syscall_table[];
extern const char* const syscall_names[];

#define SYSCALL_ARG_CAST_(type, index) ((type)(raw##index))

#define SYSCALL_DEFINE_(name, params, args)                                                           \
    static long do_sys_##name params;                                                                 \
    extern "C" long sys_##name(uint64_t raw0, uint64_t raw1, uint64_t raw2, uint64_t raw3, uint64_t raw4, \
                               uint64_t raw5) {                                                       \
        (void)raw0, (void)raw1, (void)raw2, (void)raw3, (void)raw4, (void)raw5;                       \
        return do_sys_##name args;                                                                    \
    }                                                                                                 \
    static long do_sys_##name params

#define SYSCALL_DEFINE0(name) SYSCALL_DEFINE_(name, (), ())
#define SYSCALL_DEFINE1(name, t0, a0) SYSCALL_DEFINE_(name, (t0 a0), (SYSCALL_ARG_CAST_(t0, 0)))
#define SYSCALL_DEFINE2(name, t0, a0, t1, a1) \
    SYSCALL_DEFINE_(name, (t0 a0, t1 a1), (SYSCALL_ARG_CAST_(t0, 0), SYSCALL_ARG_CAST_(t1, 1)))
#define SYSCALL_DEFINE3(name, t0, a0, t1, a1, t2, a2)                 \
    SYSCALL_DEFINE_(name, (t0 a0, t1 a1, t2 a2),                      \
                    (SYSCALL_ARG_CAST_(t0, 0), SYSCALL_ARG_CAST_(t1, 1), SYSCALL_ARG_CAST_(t2, 2)))
#define SYSCALL_DEFINE4(name, t0, a0, t1, a1, t2, a2, t3, a3)                                    \
    SYSCALL_DEFINE_(name, (t0 a0, t1 a1, t2 a2, t3 a3),                                          \
                    (SYSCALL_ARG_CAST_(t0, 0), SYSCALL_ARG_CAST_(t1, 1), SYSCALL_ARG_CAST_(t2, 2), \
                     SYSCALL_ARG_CAST_(t3, 3)))
#define SYSCALL_DEFINE5(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)                            \
    SYSCALL_DEFINE_(name, (t0 a0, t1 a1, t2 a2, t3 a3, t4 a4),                                   \
                    (SYSCALL_ARG_CAST_(t0, 0), SYSCALL_ARG_CAST_(t1, 1), SYSCALL_ARG_CAST_(t2, 2), \
                     SYSCALL_ARG_CAST_(t3, 3), SYSCALL_ARG_CAST_(t4, 4)))
#define SYSCALL_DEFINE6(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)                    \
    SYSCALL_DEFINE_(name, (t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5),                            \
                    (SYSCALL_ARG_CAST_(t0, 0), SYSCALL_ARG_CAST_(t1, 1), SYSCALL_ARG_CAST_(t2, 2), \
                     SYSCALL_ARG_CAST_(t3, 3), SYSCALL_ARG_CAST_(t4, 4), SYSCALL_ARG_CAST_(t5, 5)))
