#pragma once
// The kernel log: a byte ring of variable-length records (sequence number, timestamp, level, text).
// When full, the oldest records are dropped whole. Readers (dmesg, the syslog syscall) iterate by
// sequence number, so a reader that fell behind learns how many records it missed.
#include <stddef.h>
#include <stdint.h>

struct LogRecord {
    uint64_t seq;
    uint64_t timestamp_ns;
    uint8_t level;
    uint16_t text_len;
    const char* text;  // points into the caller's buffer after read()
};

class LogBuffer {
public:
    LogBuffer(uint8_t* storage, size_t capacity) : buf_(storage), cap_(capacity) {}

    // Stores one record; text longer than kMaxText is cut.
    void append(uint8_t level, uint64_t timestamp_ns, const char* text, size_t len);

    uint64_t first_seq() const { return first_seq_; }
    uint64_t next_seq() const { return next_seq_; }

    // Copies record `seq` (first_seq() <= seq < next_seq()) into `out`, with its text in `text_buf`.
    bool read(uint64_t seq, LogRecord& out, char* text_buf, size_t text_cap) const;

    static constexpr size_t kMaxText = 1024;

private:
    struct Header {
        uint64_t seq;
        uint64_t timestamp_ns;
        uint16_t text_len;
        uint8_t level;
        uint8_t pad[5];
    };
    static_assert(sizeof(Header) == 24);

    size_t record_size(size_t text_len) const { return (sizeof(Header) + text_len + 7) & ~size_t(7); }
    void copy_in(size_t pos, const void* src, size_t n);
    void copy_out(size_t pos, void* dst, size_t n) const;
    void drop_oldest();

    uint8_t* buf_;
    size_t cap_;
    size_t head_ = 0;  // byte offset of the oldest record
    size_t tail_ = 0;  // byte offset where the next record goes
    size_t used_ = 0;
    uint64_t first_seq_ = 0;
    uint64_t next_seq_ = 0;
};
