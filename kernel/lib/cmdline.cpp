// Kernel command-line parsing. See lib/cmdline.hpp for the rules.
#include <lib/cmdline.hpp>

namespace {

// Compiler-predefined rather than <limits>: clang rejects <limits> under -mgeneral-regs-only.
constexpr unsigned long kLongMax = __LONG_MAX__;
constexpr unsigned long kULongMax = ~0UL;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

size_t str_len(const char* s) {
    size_t n = 0;
    while (s[n]) ++n;
    return n;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool str_eq_nocase(const char* a, const char* b) {
    while (*a && lower(*a) == lower(*b)) ++a, ++b;
    return *a == 0 && *b == 0;
}

bool contains(const char* s, char c) {
    for (; *s; ++s)
        if (*s == c) return true;
    return false;
}

// The tokenizer split `name=value` at the '=' and may have dropped an opening quote of the value.
// Init wants one "name=value" string, so glue it back in place (the result only ever gets shorter).
const char* rejoin(char* name, char* value) {
    if (!value) return name;
    size_t len = str_len(name);
    name[len] = '=';
    char* dst = name + len + 1;
    if (dst != value) {
        // One quote character sat between '=' and the value: slide the value (and its NUL) left.
        size_t i = 0;
        do {
            dst[i] = value[i];
        } while (value[i++]);
    }
    return name;
}

// Length of the "name" part of an environment string "name=value".
size_t env_name_len(const char* s) {
    size_t n = 0;
    while (s[n] && s[n] != '=') ++n;
    return n;
}

void add_arg(InitArgs& out, const char* arg) {
    if (out.argc == InitArgs::kMaxArgs) {
        out.argv_overflow = true;
        return;
    }
    out.argv[out.argc++] = arg;
    out.argv[out.argc] = nullptr;
}

void add_env(InitArgs& out, const char* env) {
    // A later assignment to the same name wins, as in Linux.
    size_t len = env_name_len(env);
    for (size_t i = 0; i < out.envc; ++i) {
        const char* old = out.envp[i];
        if (env_name_len(old) != len) continue;
        bool same = true;
        for (size_t k = 0; k < len && same; ++k) same = old[k] == env[k];
        if (same) {
            out.envp[i] = env;
            return;
        }
    }
    if (out.envc == InitArgs::kMaxEnvs) {
        out.envp_overflow = true;
        return;
    }
    out.envp[out.envc++] = env;
    out.envp[out.envc] = nullptr;
}

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

// Parses an unsigned decimal or 0x-hex prefix of s no larger than `limit`; sets *end past it.
bool parse_unsigned(const char* s, unsigned long limit, unsigned long& out, const char** end) {
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (digit_value(*s) >= int(base)) return false;  // no digits at all
    unsigned long v = 0;
    for (; digit_value(*s) < int(base); ++s) {
        unsigned d = unsigned(digit_value(*s));
        if (v > (limit - d) / base) return false;  // v * base + d would exceed limit
        v = v * base + d;
    }
    out = v;
    *end = s;
    return true;
}

}  // namespace

void InitArgs::clear() {
    argc = 0;
    envc = 0;
    argv[0] = nullptr;
    envp[0] = nullptr;
    argv_overflow = false;
    envp_overflow = false;
}

bool cmdline_next_param(char** cursor, char** name_out, char** value_out) {
    char* p = *cursor;
    while (is_space(*p)) ++p;
    if (!*p) {
        *cursor = p;
        return false;
    }

    // A word that opens with a quote starts inside the quote; every later quote toggles the state.
    // Whitespace only ends the word outside quotes.
    bool word_quoted = *p == '"';
    if (word_quoted) ++p;
    bool in_quote = word_quoted;
    char* eq = nullptr;
    char* end = p;
    for (; *end; ++end) {
        if (is_space(*end) && !in_quote) break;
        if (!eq && *end == '=') eq = end;
        if (*end == '"') in_quote = !in_quote;
    }

    char* value = nullptr;
    if (eq) {
        *eq = '\0';
        value = eq + 1;
        if (*value == '"') {
            ++value;
            if (end[-1] == '"') end[-1] = '\0';
        }
    }
    if (word_quoted && end[-1] == '"') end[-1] = '\0';

    if (*end) {
        *end = '\0';
        ++end;
    }
    *cursor = end;
    *name_out = p;
    *value_out = value;
    return true;
}

bool cmdline_param_eq(const char* a, const char* b) {
    for (;; ++a, ++b) {
        char ca = *a == '-' ? '_' : *a;
        char cb = *b == '-' ? '_' : *b;
        if (ca != cb) return false;
        if (!ca) return true;
    }
}

size_t parse_kernel_cmdline(char* buf, const KernelParam* table, size_t n, InitArgs& out) {
    out.clear();
    size_t accepted = 0;
    char* cursor = buf;
    char* name;
    char* value;
    while (cmdline_next_param(&cursor, &name, &value)) {
        if (!value && name[0] == '-' && name[1] == '-' && name[2] == '\0') {
            // Everything after "--" belongs to init, split by the same quoting rules.
            while (cmdline_next_param(&cursor, &name, &value)) add_arg(out, rejoin(name, value));
            break;
        }
        if (!name[0]) continue;  // an empty word such as a lone `"`

        bool handled = false;
        for (size_t i = 0; i < n && !handled; ++i)
            if (cmdline_param_eq(name, table[i].name) && table[i].setup) handled = table[i].setup(value);
        if (handled) {
            ++accepted;
            continue;
        }
        if (contains(name, '.')) continue;  // parameter for a module we do not have
        if (value)
            add_env(out, rejoin(name, value));
        else
            add_arg(out, name);
    }
    return accepted;
}

bool parse_int(const char* s, long& out) {
    if (!s) return false;
    bool negative = false;
    if (*s == '-' || *s == '+') negative = *s++ == '-';
    // |LONG_MIN| is one more than LONG_MAX.
    unsigned long limit = negative ? kLongMax + 1 : kLongMax;
    unsigned long v;
    const char* end;
    if (!parse_unsigned(s, limit, v, &end) || *end) return false;
    out = negative ? long(0 - v) : long(v);  // modular conversion, well defined since C++20
    return true;
}

bool parse_size(const char* s, uint64_t& out) {
    if (!s) return false;
    unsigned long v;
    const char* end;
    if (!parse_unsigned(s, kULongMax, v, &end)) return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    case '\0': break;
    default: return false;
    }
    if (shift) {
        if (end[1] != '\0') return false;
        if (v > (kULongMax >> shift)) return false;
        v <<= shift;
    }
    out = v;
    return true;
}

bool parse_bool(const char* s, bool& out) {
    if (!s || !*s) {
        out = true;
        return true;
    }
    static const char* const yes[] = {"1", "y", "yes", "on", "true"};
    static const char* const no[] = {"0", "n", "no", "off", "false"};
    for (const char* w : yes) {
        if (str_eq_nocase(s, w)) {
            out = true;
            return true;
        }
    }
    for (const char* w : no) {
        if (str_eq_nocase(s, w)) {
            out = false;
            return true;
        }
    }
    return false;
}
