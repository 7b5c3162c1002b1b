// Parsing a script's "#!" line (see binfmt_script.hpp), with Linux's rules for blanks, NULs and lines
// longer than the buffer.
#include <lib/string.hpp>
#include <process/binfmt_script.hpp>

namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

// The first non-blank in [first, last], or nullptr.
const char* skip_blanks(const char* first, const char* last) {
    for (; first <= last; first++)
        if (!blank(*first)) return first;
    return nullptr;
}

// The first blank or NUL in [first, last], or nullptr.
const char* find_terminator(const char* first, const char* last) {
    for (; first <= last; first++)
        if (blank(*first) || !*first) return first;
    return nullptr;
}

}  // namespace

Result<void> parse_script_line(const uint8_t* head, size_t len, ScriptLine& out) {
    char buf[BINPRM_BUF_SIZE] = {};
    memcpy(buf, head, len < sizeof buf ? len : sizeof buf);
    if (buf[0] != '#' || buf[1] != '!') return Errno::ENOEXEC;
    const char* buf_end = buf + sizeof buf - 1;

    // The end of the line: its newline (searching stops at a NUL, as Linux's strnchr does), or the end
    // of the buffer if the interpreter's name provably ended before it.
    const char* line_end = nullptr;
    for (const char* c = buf; c <= buf_end && *c; c++)
        if (*c == '\n') {
            line_end = c;
            break;
        }
    if (!line_end) {
        const char* name = skip_blanks(buf + 2, buf_end);
        if (!name) return Errno::ENOEXEC;                       // only blanks
        if (!find_terminator(name, buf_end)) return Errno::ENOEXEC;  // the name may go on: truncated
        line_end = buf_end;
    }
    while (blank(line_end[-1])) line_end--;

    const char* name = skip_blanks(buf + 2, line_end);
    if (!name || name == line_end) return Errno::ENOEXEC;  // no interpreter
    const char* arg = nullptr;
    const char* separator = find_terminator(name, line_end);
    if (separator && *separator) arg = skip_blanks(separator, line_end);

    const char* name_end = arg ? separator : line_end;
    // A NUL inside the name ends it (C string semantics, as in Linux).
    size_t name_len = strnlen(name, size_t(name_end - name));
    memcpy(out.interpreter, name, name_len);
    out.interpreter[name_len] = '\0';
    out.has_argument = arg && arg < line_end;
    if (out.has_argument) {
        size_t arg_len = strnlen(arg, size_t(line_end - arg));
        memcpy(out.argument, arg, arg_len);
        out.argument[arg_len] = '\0';
    } else {
        out.argument[0] = '\0';
    }
    return {};
}
