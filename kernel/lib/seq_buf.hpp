#pragma once
// SeqBuf: text generated into a fixed buffer (Linux's seq_buf), for files whose contents the kernel
// prints on demand (/proc, /sys). Appending never writes past the buffer: output that does not fit
// marks the buffer overflowed, and the caller retries with a larger one (what seq_file does).
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

class SeqBuf {
public:
    SeqBuf(char* buf, size_t size) : buf_(buf), size_(size) {}

    void printf(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    void vprintf(const char* fmt, va_list args);
    void puts(const char* s);
    void putc(char c);
    void write(const void* data, size_t len);
    // A "name:\t" label padded Linux's way is just printf; these two cover /proc's common shapes:
    // a decimal after a separator (seq_put_decimal_ull / _ll).
    void put_decimal_ull(const char* delimiter, unsigned long long value);
    void put_decimal_ll(const char* delimiter, long long value);

    const char* data() const { return buf_; }
    size_t len() const { return len_; }
    bool overflowed() const { return overflow_; }

private:
    char* buf_;
    size_t size_;
    size_t len_ = 0;
    bool overflow_ = false;
};
