#include <printk/log_buffer.hpp>

void LogBuffer::copy_in(size_t pos, const void* src, size_t n) {
    auto* s = static_cast<const uint8_t*>(src);
    for (size_t i = 0; i < n; i++) buf_[(pos + i) % cap_] = s[i];
}

void LogBuffer::copy_out(size_t pos, void* dst, size_t n) const {
    auto* d = static_cast<uint8_t*>(dst);
    for (size_t i = 0; i < n; i++) d[i] = buf_[(pos + i) % cap_];
}

void LogBuffer::drop_oldest() {
    Header h;
    copy_out(head_, &h, sizeof h);
    size_t size = record_size(h.text_len);
    head_ = (head_ + size) % cap_;
    used_ -= size;
    first_seq_ = h.seq + 1;
}

void LogBuffer::append(uint8_t level, uint64_t timestamp_ns, const char* text, size_t len) {
    if (len > kMaxText) len = kMaxText;
    size_t size = record_size(len);
    if (size > cap_) return;
    while (cap_ - used_ < size) drop_oldest();
    Header h{next_seq_++, timestamp_ns, uint16_t(len), level, {}};
    copy_in(tail_, &h, sizeof h);
    copy_in(tail_ + sizeof h, text, len);
    tail_ = (tail_ + size) % cap_;
    used_ += size;
}

bool LogBuffer::read(uint64_t seq, LogRecord& out, char* text_buf, size_t text_cap) const {
    if (seq < first_seq_ || seq >= next_seq_) return false;
    size_t pos = head_;
    for (;;) {
        Header h;
        copy_out(pos, &h, sizeof h);
        if (h.seq == seq) {
            size_t n = h.text_len < text_cap ? h.text_len : text_cap;
            copy_out(pos + sizeof h, text_buf, n);
            out = LogRecord{h.seq, h.timestamp_ns, h.level, uint16_t(n), text_buf};
            return true;
        }
        pos = (pos + record_size(h.text_len)) % cap_;
    }
}
