#pragma once
// The initial user stack of a new program, laid out exactly as Linux's exec builds it (fs/exec.c,
// fs/binfmt_elf.c create_elf_tables(); no stack randomisation). From the top down:
//
//   stack_top - 8         8 zero bytes
//   execfn                the file name given to execve (AT_EXECFN points here)
//   envp strings          envp[0] lowest, each NUL-terminated, back to back
//   argv strings          argv[0] lowest                         <- arg_start; env_start = end of argv
//   (align down to 16)
//   platform string       "x86_64"                               <- AT_PLATFORM
//   16 random bytes                                              <- AT_RANDOM
//   (padding: the block below is placed so that sp is 16-byte aligned)
//   auxv                  (type, value) pairs, ending with AT_NULL
//   NULL, envp[envc-1] ... envp[0]   (pointers, lowest first)
//   NULL, argv[argc-1] ... argv[0]
//   argc                                                         <- sp (16-byte aligned)
//
// The builder is pure: it computes the layout for a given stack top and writes the bytes of
// [sp, stack_top) into a buffer, which exec then copies to the new stack.
#include <stddef.h>
#include <stdint.h>

// Auxiliary vector types (Linux's uapi/linux/auxvec.h).
constexpr uint64_t AT_NULL = 0, AT_IGNORE = 1, AT_EXECFD = 2, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5,
                   AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_NOTELF = 10, AT_UID = 11,
                   AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
                   AT_SECURE = 23, AT_BASE_PLATFORM = 24, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
                   AT_SYSINFO_EHDR = 33, AT_MINSIGSTKSZ = 51;

struct AuxEntry {
    uint64_t type;
    uint64_t value;  // for AT_EXECFN, AT_PLATFORM and AT_RANDOM the builder supplies the address
};

constexpr unsigned kMaxAuxEntries = 24;

struct StackInputs {
    uint64_t stack_top;
    const char* argv;   // argc NUL-terminated strings back to back
    size_t argv_bytes;
    unsigned argc;
    const char* envp;
    size_t envp_bytes;
    unsigned envc;
    const char* execfn;
    const char* platform;
    uint8_t random[16];
    AuxEntry aux[kMaxAuxEntries];  // in order; AT_NULL is appended by the builder
    unsigned naux;
};

struct StackLayout {
    uint64_t sp;  // the new program's %rsp: points at argc
    uint64_t arg_start, arg_end, env_start, env_end;
    uint64_t execfn, platform, random;  // addresses of those blocks
    size_t size() const { return size_t(top - sp); }
    uint64_t top;
};

// Where everything goes for these inputs.
StackLayout stack_layout(const StackInputs& in);
// Writes [layout.sp, layout.top) into `image` (layout.size() bytes).
void build_stack_image(const StackInputs& in, const StackLayout& layout, uint8_t* image);
