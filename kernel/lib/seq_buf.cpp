#include <lib/seq_buf.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>

void SeqBuf::vprintf(const char* fmt, va_list args) {
    if (overflow_) return;
    size_t room = size_ - len_;
    // kvsnprintf always leaves room for a NUL; the NUL is not part of the text.
    int n = kvsnprintf(buf_ + len_, room, fmt, args);
    if (n < 0 || size_t(n) >= room) {
        overflow_ = true;
        return;
    }
    len_ += size_t(n);
}

void SeqBuf::printf(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
}

void SeqBuf::write(const void* data, size_t len) {
    if (overflow_) return;
    if (len > size_ - len_) {
        overflow_ = true;
        return;
    }
    memcpy(buf_ + len_, data, len);
    len_ += len;
}

void SeqBuf::puts(const char* s) { write(s, strlen(s)); }
void SeqBuf::putc(char c) { write(&c, 1); }

void SeqBuf::put_decimal_ull(const char* delimiter, unsigned long long value) {
    printf("%s%llu", delimiter, value);
}

void SeqBuf::put_decimal_ll(const char* delimiter, long long value) {
    printf("%s%lld", delimiter, value);
}
