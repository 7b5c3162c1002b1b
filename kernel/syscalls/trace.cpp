// System-call tracing: "[pid 12] read(0, 0x7ffc..., 128) = 5", printed when the call returns (calls that
// do not return, exit and exit_group, print "= ?" before they run, as strace does).
//
// Arguments are printed by kind for the calls in kSignatures (strings are copied from user memory and
// quoted); any other call shows its six argument registers in hex. Turned on by the `strace` or
// `syscall_trace=1` boot parameter. Off, it costs the dispatcher one predictable branch.
#include <init/params.hpp>
#include <lib/errno.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>
#include <lib/vsprintf.hpp>
#include <printk/printk.hpp>
#include <sched/task.hpp>
#include <syscalls/dispatch.hpp>
#include <syscalls/trace.hpp>

bool syscall_trace_active = false;

namespace {

struct Signature {
    uint16_t nr;
    char result;       // 'd' decimal, 'x' hex (addresses: mmap, brk)
    const char* args;  // one kind per argument (see format_syscall_arg)
};

// Linux x86-64 numbers (syscall_64.tbl) of the calls worth decoding.
constexpr Signature kSignatures[] = {
    {0, 'd', "dpu"},    {1, 'd', "dpu"},     {2, 'd', "sxo"},     {3, 'd', "d"},      {4, 'd', "sp"},
    {5, 'd', "dp"},     {6, 'd', "sp"},      {7, 'd', "pud"},     {8, 'd', "ddd"},    {9, 'x', "puxxdx"},
    {10, 'd', "pux"},   {11, 'd', "pu"},     {12, 'x', "p"},      {13, 'd', "dppu"},  {14, 'd', "dppu"},
    {15, 'd', ""},      {16, 'd', "dxp"},    {17, 'd', "dpud"},   {18, 'd', "dpud"},  {19, 'd', "dpd"},
    {20, 'd', "dpd"},   {21, 'd', "so"},     {22, 'd', "p"},      {24, 'd', ""},      {32, 'd', "d"},
    {33, 'd', "dd"},    {34, 'd', ""},       {35, 'd', "pp"},     {39, 'd', ""},      {56, 'd', "xpppx"},
    {57, 'd', ""},      {58, 'd', ""},       {59, 'd', "spp"},    {60, 'd', "d"},     {61, 'd', "dpxp"},
    {62, 'd', "dd"},    {63, 'd', "p"},      {72, 'd', "ddx"},    {78, 'd', "dpu"},   {79, 'd', "pu"},
    {80, 'd', "s"},     {82, 'd', "ss"},     {83, 'd', "so"},     {84, 'd', "s"},     {87, 'd', "s"},
    {89, 'd', "spu"},   {96, 'd', "pp"},     {102, 'd', ""},      {104, 'd', ""},     {107, 'd', ""},
    {108, 'd', ""},     {109, 'd', "dd"},    {110, 'd', ""},      {111, 'd', ""},     {112, 'd', ""},
    {121, 'd', "d"},    {124, 'd', "d"},     {127, 'd', "pu"},    {128, 'd', "pppu"}, {130, 'd', "pu"},
    {131, 'd', "pp"},   {158, 'd', "xp"},    {186, 'd', ""},      {200, 'd', "dd"},   {201, 'd', "p"},
    {202, 'd', "pdupxu"}, {217, 'd', "dpu"}, {218, 'd', "p"},     {219, 'd', ""},     {228, 'd', "dp"},
    {230, 'd', "dxpp"}, {231, 'd', "d"},     {234, 'd', "ddd"},   {257, 'd', "dsxo"}, {262, 'd', "dspx"},
    {273, 'd', "pu"},   {302, 'd', "ddpp"},  {318, 'd', "pux"},   {334, 'd', "pudx"}, {435, 'd', "pu"},
    {99, 'd', "p"},     {153, 'd', ""},      {157, 'd', "dxxxx"}, {162, 'd', ""},     {169, 'd', "xxxp"},
    {229, 'd', "dp"},   {247, 'd', "ddpxp"}, {292, 'd', "ddx"},   {293, 'd', "px"},
};

const Signature* find_signature(uint64_t nr) {
    for (const Signature& s : kSignatures)
        if (s.nr == nr) return &s;
    return nullptr;
}

bool call_does_not_return(uint64_t nr) { return nr == 60 || nr == 231; }  // exit, exit_group

// Appends to a fixed line buffer, truncating silently.
struct Line {
    char buf[512];
    int len = 0;
    void append(const char* text) {
        while (*text && len < int(sizeof buf) - 1) buf[len++] = *text++;
        buf[len] = 0;
    }
    void appendf(const char* fmt, uint64_t v) {
        char tmp[64];
        ksnprintf(tmp, sizeof tmp, fmt, (unsigned long)v);
        append(tmp);
    }
};

// Copies a user string for display: quoted, escaped, at most 48 characters then "...".
int format_user_string(char* buf, int size, uint64_t address) {
    constexpr size_t kMax = 48;
    char raw[kMax + 1];
    Result<size_t> n = strncpy_from_user(raw, UserPtr<const char>(address), sizeof raw);
    bool truncated = false;
    size_t len;
    if (n) {
        len = n.value();
    } else if (n.error() == Errno::ENAMETOOLONG) {
        len = kMax;
        truncated = true;
    } else {
        return ksnprintf(buf, size_t(size), "%#lx", (unsigned long)address);
    }
    int out = 0;
    auto put = [&](char c) {
        if (out < size - 1) buf[out++] = c;
    };
    put('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = uint8_t(raw[i]);
        if (c == '\n') put('\\'), put('n');
        else if (c == '\t') put('\\'), put('t');
        else if (c == '"' || c == '\\') put('\\'), put(char(c));
        else if (c >= 0x20 && c < 0x7f) put(char(c));
        else {
            char hex[8];
            ksnprintf(hex, sizeof hex, "\\x%02x", c);
            for (char* h = hex; *h; h++) put(*h);
        }
    }
    put('"');
    if (truncated) put('.'), put('.'), put('.');
    if (size > 0) buf[out] = 0;
    return out;
}

// The kernel-internal restart codes (signal/restart.hpp), which user space never sees as such.
const char* restart_code_name(long ret) {
    switch (ret) {
    case -512: return "ERESTARTSYS";
    case -513: return "ERESTARTNOINTR";
    case -514: return "ERESTARTNOHAND";
    case -516: return "ERESTART_RESTARTBLOCK";
    default: return nullptr;
    }
}

void append_result(Line& line, const Signature* sig, long ret) {
    if (const char* restart = restart_code_name(ret)) {
        line.append(" = ? ");
        line.append(restart);
        line.append(" (To be restarted)");
        return;
    }
    if (ret < 0 && ret >= -4095) {
        char tmp[64];
        ksnprintf(tmp, sizeof tmp, " = -1 %s", errno_name(Errno(-ret)));
        line.append(tmp);
        return;
    }
    line.appendf(sig && sig->result == 'x' ? " = %#lx" : " = %ld", uint64_t(ret));
}

void format_call(Line& line, uint64_t nr, const Signature* sig, const uint64_t (&args)[6]) {
    char head[64];
    const char* name = syscall_name(nr);
    if (name) ksnprintf(head, sizeof head, "[pid %d] %s(", current()->pid, name);
    else ksnprintf(head, sizeof head, "[pid %d] syscall_%lu(", current()->pid, (unsigned long)nr);
    line.append(head);
    const char* kinds = sig ? sig->args : "xxxxxx";
    for (int i = 0; kinds[i] && i < 6; i++) {
        if (i) line.append(", ");
        char arg[128];
        format_syscall_arg(arg, sizeof arg, kinds[i], args[i]);
        line.append(arg);
    }
    line.append(")");
}

bool setup_strace(const char*) {
    set_syscall_trace(true);
    return true;
}
bool setup_syscall_trace(const char* value) {
    if (!value || (value[0] != '0' && value[0] != '1') || value[1]) return false;
    set_syscall_trace(value[0] == '1');
    return true;
}
KERNEL_PARAM("strace", setup_strace);
KERNEL_PARAM("syscall_trace", setup_syscall_trace);

}  // namespace

int format_syscall_arg(char* buf, int size, char kind, uint64_t value) {
    switch (kind) {
    case 'd': return ksnprintf(buf, size_t(size), "%d", int(value));
    case 'u': return ksnprintf(buf, size_t(size), "%lu", (unsigned long)value);
    case 'o': return ksnprintf(buf, size_t(size), "%#lo", (unsigned long)value);
    case 's': return format_user_string(buf, size, value);
    case 'p':
        if (!value) return ksnprintf(buf, size_t(size), "NULL");
        return ksnprintf(buf, size_t(size), "%#lx", (unsigned long)value);
    default: return ksnprintf(buf, size_t(size), "%#lx", (unsigned long)value);
    }
}

void set_syscall_trace(bool on) { __atomic_store_n(&syscall_trace_active, on, __ATOMIC_RELAXED); }
bool syscall_trace_enabled() { return __atomic_load_n(&syscall_trace_active, __ATOMIC_RELAXED); }

long traced_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5) {
    const Signature* sig = find_signature(nr);
    const uint64_t args[6] = {a0, a1, a2, a3, a4, a5};
    Line line;
    // Strings are read before the call (an execve or a rename changes what they mean afterwards).
    format_call(line, nr, sig, args);
    if (call_does_not_return(nr)) pr_info("%s = ?", line.buf);
    long ret = call_syscall_handler(nr, a0, a1, a2, a3, a4, a5);
    append_result(line, sig, ret);
    pr_info("%s", line.buf);
    return ret;
}
