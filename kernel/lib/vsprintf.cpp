#include <lib/vsprintf.hpp>
#include <stdint.h>

SymbolizeFn vsprintf_symbolizer = nullptr;

namespace {

// Appends to a bounded buffer, counting what would have been written past its end.
struct Sink {
    char* buf;
    size_t size;
    size_t len = 0;
    void put(char c) {
        if (len + 1 < size) buf[len] = c;
        len++;
    }
    void put_n(char c, int n) {
        while (n-- > 0) put(c);
    }
};

struct Spec {
    bool left = false, zero = false, plus = false, space = false, alt = false;
    int width = 0;
    int precision = -1;
};

void put_string(Sink& out, const char* s, const Spec& spec) {
    if (!s) s = "(null)";
    int len = 0;
    while (s[len] && (spec.precision < 0 || len < spec.precision)) len++;
    if (!spec.left) out.put_n(' ', spec.width - len);
    for (int i = 0; i < len; i++) out.put(s[i]);
    if (spec.left) out.put_n(' ', spec.width - len);
}

void put_number(Sink& out, uint64_t value, bool negative, unsigned base, bool upper, const Spec& spec) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    if (value == 0 && spec.precision != 0) tmp[n++] = '0';
    while (value) {
        tmp[n++] = digits[value % base];
        value /= base;
    }
    char sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : 0;
    const char* prefix = "";
    if (spec.alt && base == 16) prefix = upper ? "0X" : "0x";
    if (spec.alt && base == 8 && !(n && tmp[n - 1] == '0')) prefix = "0";
    int prefix_len = prefix[0] ? (prefix[1] ? 2 : 1) : 0;
    int digits_len = n > spec.precision ? n : spec.precision;
    int total = digits_len + (sign ? 1 : 0) + prefix_len;
    bool zero_pad = spec.zero && !spec.left && spec.precision < 0;
    if (!spec.left && !zero_pad) out.put_n(' ', spec.width - total);
    if (sign) out.put(sign);
    for (int i = 0; i < prefix_len; i++) out.put(prefix[i]);
    if (zero_pad) out.put_n('0', spec.width - total);
    out.put_n('0', digits_len - n);
    while (n) out.put(tmp[--n]);
    if (spec.left) out.put_n(' ', spec.width - total);
}

}  // namespace

int kvsnprintf(char* buf, size_t size, const char* fmt, va_list args) {
    Sink out{buf, size};
    for (const char* p = fmt; *p; p++) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        Spec spec;
        for (;;) {
            char f = *++p;
            if (f == '-') spec.left = true;
            else if (f == '0') spec.zero = true;
            else if (f == '+') spec.plus = true;
            else if (f == ' ') spec.space = true;
            else if (f == '#') spec.alt = true;
            else break;
        }
        if (*p == '*') {
            spec.width = va_arg(args, int);
            if (spec.width < 0) spec.left = true, spec.width = -spec.width;
            p++;
        } else {
            while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            spec.precision = 0;
            if (*p == '*') {
                spec.precision = va_arg(args, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9') spec.precision = spec.precision * 10 + (*p++ - '0');
            }
        }
        int length = 0;  // 0 int, 1 long, 2 long long, -1 short, -2 char
        for (;; p++) {
            if (*p == 'l') length++;
            else if (*p == 'h') length--;
            else if (*p == 'z' || *p == 't' || *p == 'j') length = 1;
            else break;
        }
        auto fetch_signed = [&]() -> int64_t {
            if (length >= 1) return length == 1 ? va_arg(args, long) : va_arg(args, long long);
            int v = va_arg(args, int);
            return length == -1 ? (short)v : length <= -2 ? (signed char)v : v;
        };
        auto fetch_unsigned = [&]() -> uint64_t {
            if (length >= 1) return length == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned long long);
            unsigned v = va_arg(args, unsigned);
            return length == -1 ? (unsigned short)v : length <= -2 ? (unsigned char)v : v;
        };
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = fetch_signed();
            put_number(out, v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v), v < 0, 10, false, spec);
            break;
        }
        case 'u': put_number(out, fetch_unsigned(), false, 10, false, spec); break;
        case 'x': put_number(out, fetch_unsigned(), false, 16, false, spec); break;
        case 'X': put_number(out, fetch_unsigned(), false, 16, true, spec); break;
        case 'o': put_number(out, fetch_unsigned(), false, 8, false, spec); break;
        case 'c': {
            char c = char(va_arg(args, int));
            if (!spec.left) out.put_n(' ', spec.width - 1);
            out.put(c);
            if (spec.left) out.put_n(' ', spec.width - 1);
            break;
        }
        case 's': put_string(out, va_arg(args, const char*), spec); break;
        case 'p': {
            unsigned long v = (unsigned long)va_arg(args, void*);
            if (p[1] == 'S' || p[1] == 's') {
                p++;
                char sym[128];
                if (vsprintf_symbolizer && vsprintf_symbolizer(v, sym, sizeof sym)) {
                    put_string(out, sym, spec);
                    break;
                }
            }
            Spec hex = spec;
            hex.alt = true;
            hex.zero = true;
            if (hex.width == 0) hex.width = 18;
            put_number(out, v, false, 16, false, hex);
            break;
        }
        case '%': out.put('%'); break;
        case 0: p--; break;
        default:
            out.put('%');
            out.put(*p);
        }
    }
    if (size) buf[out.len < size ? out.len : size - 1] = 0;
    return int(out.len);
}

int ksnprintf(char* buf, size_t size, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = kvsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
