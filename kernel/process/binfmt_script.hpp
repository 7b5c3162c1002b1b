#pragma once
// "#!" scripts (Linux's fs/binfmt_script.c). The first line of the file, within its first
// BINPRM_BUF_SIZE bytes, names an interpreter and at most one argument:
//
//   #! /bin/sh -e -x\n      interpreter "/bin/sh", argument "-e -x" (everything after the first blank,
//                           blanks at both ends trimmed: one argument, as Linux passes it)
//
// and exec runs the interpreter with argv = {interpreter, [argument], script path, argv[1], ...}. A line
// that does not fit in the buffer is accepted only if the interpreter name itself ended within it
// (otherwise the name may be truncated: ENOEXEC). Interpreters may be scripts themselves, up to a
// depth of 5 (ELOOP beyond).
#include <lib/result.hpp>
#include <stddef.h>
#include <stdint.h>

constexpr size_t BINPRM_BUF_SIZE = 256;
constexpr unsigned kMaxInterpreterDepth = 5;

struct ScriptLine {
    char interpreter[BINPRM_BUF_SIZE];
    char argument[BINPRM_BUF_SIZE];
    bool has_argument;
};

// Parses the first bytes of a file (`len` <= BINPRM_BUF_SIZE; a shorter file reads as zero-padded).
// ENOEXEC if it is not a script or names no interpreter.
Result<void> parse_script_line(const uint8_t* head, size_t len, ScriptLine& out);
