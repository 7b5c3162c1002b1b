#pragma once
// Kernel command-line parsing, with Linux's rules.
//
// The command line is split into words on whitespace. A word is `name` or `name=value`. Double quotes
// group spaces: `foo="a b"` gives name "foo", value "a b" (the quotes around the value, or around the
// whole word, are removed; quotes elsewhere are kept). A bare `--` ends the kernel's parameters: every
// later word is an argument for init.
//
// parse_kernel_cmdline hands each parameter to the first matching KernelParam whose setup accepts it.
// Anything no entry accepts follows Linux:
//   - a name containing '.' is a module parameter (`foo.bar=1`) and is dropped;
//   - `name=value` becomes an environment variable for init (a later one replaces an earlier one);
//   - a bare word becomes an argument for init.
// Names match with '-' and '_' treated as the same character, as Linux does.
//
// Parsing happens in place: the buffer is cut into NUL-terminated pieces, and every pointer handed out
// (setup values, InitArgs strings) points into it, so it must outlive them.
#include <stddef.h>
#include <stdint.h>

// One entry of a kernel parameter table. setup receives the value, or nullptr for a bare `name`, and
// returns false to reject it (the parameter is then treated as unknown, as in Linux).
struct KernelParam {
    const char* name;
    bool (*setup)(const char* value);
};

// Arguments and environment for init, collected from unknown parameters and from words after `--`.
// argv excludes argv[0] (the init path, which the caller chooses). Both arrays stay nullptr-terminated.
// Words that do not fit are dropped and the matching overflow flag is set.
struct InitArgs {
    static constexpr size_t kMaxArgs = 32;
    static constexpr size_t kMaxEnvs = 32;

    const char* argv[kMaxArgs + 1];
    size_t argc;
    const char* envp[kMaxEnvs + 1];
    size_t envc;
    bool argv_overflow;
    bool envp_overflow;

    void clear();
    bool overflow() const { return argv_overflow || envp_overflow; }
};

// Cuts the next parameter off *cursor, which is advanced past it. Sets *name, and *value to the value
// or nullptr when the word has no '='. Returns false when only whitespace remains.
bool cmdline_next_param(char** cursor, char** name, char** value);

// Parameter-name equality with '-' == '_'.
bool cmdline_param_eq(const char* a, const char* b);

// Parses `buf` (NUL-terminated, modified in place): runs the table's setup functions and fills `out`
// (which is cleared first). Returns the number of parameters a table entry accepted.
size_t parse_kernel_cmdline(char* buf, const KernelParam* table, size_t n, InitArgs& out);

// Value helpers for setup functions. All return false, leaving `out` untouched, unless the whole string
// is valid.
// parse_int: optional sign, then decimal or 0x-prefixed hex ("-1", "0x1f", "42"). No octal.
bool parse_int(const char* s, long& out);
// parse_size: like parse_int but unsigned, with an optional K/M/G/T suffix (binary units): "512M".
bool parse_size(const char* s, uint64_t& out);
// parse_bool: 1/y/yes/on/true and 0/n/no/off/false, any case. A missing value (nullptr or "") means
// true, so a bare `flag` enables it.
bool parse_bool(const char* s, bool& out);
