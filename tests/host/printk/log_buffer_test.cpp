#include <gtest/gtest.h>
#include <printk/log_buffer.hpp>
#include <string>
#include <vector>

namespace {

std::string read_text(const LogBuffer& log, uint64_t seq) {
    LogRecord r;
    char text[LogBuffer::kMaxText];
    if (!log.read(seq, r, text, sizeof text)) return "<missing>";
    return std::string(r.text, r.text_len);
}

TEST(LogBuffer, KeepsRecordsInOrderWithMetadata) {
    std::vector<uint8_t> storage(1024);
    LogBuffer log(storage.data(), storage.size());
    log.append(6, 100, "first", 5);
    log.append(3, 200, "second", 6);
    EXPECT_EQ(log.first_seq(), 0u);
    EXPECT_EQ(log.next_seq(), 2u);
    LogRecord r;
    char text[64];
    ASSERT_TRUE(log.read(1, r, text, sizeof text));
    EXPECT_EQ(r.level, 3);
    EXPECT_EQ(r.timestamp_ns, 200u);
    EXPECT_EQ(std::string(r.text, r.text_len), "second");
    EXPECT_FALSE(log.read(2, r, text, sizeof text));
}

TEST(LogBuffer, DropsOldestWholeRecordsWhenFull) {
    std::vector<uint8_t> storage(256);
    LogBuffer log(storage.data(), storage.size());
    for (int i = 0; i < 100; i++) {
        std::string s = "message number " + std::to_string(i);
        log.append(6, uint64_t(i), s.data(), s.size());
    }
    EXPECT_EQ(log.next_seq(), 100u);
    EXPECT_GT(log.first_seq(), 90u);  // only a few ~40-byte records fit in 256 bytes
    for (uint64_t seq = log.first_seq(); seq < log.next_seq(); seq++)
        EXPECT_EQ(read_text(log, seq), "message number " + std::to_string(seq));
    EXPECT_EQ(read_text(log, log.first_seq() - 1), "<missing>");
}

TEST(LogBuffer, RecordsWrapAroundTheRingIntact) {
    std::vector<uint8_t> storage(200);
    LogBuffer log(storage.data(), storage.size());
    for (int i = 0; i < 37; i++) {
        std::string s(size_t(1 + i % 23), char('a' + i % 26));
        log.append(4, 0, s.data(), s.size());
        EXPECT_EQ(read_text(log, log.next_seq() - 1), s);
    }
}

TEST(LogBuffer, CutsOverlongText) {
    std::vector<uint8_t> storage(4096);
    LogBuffer log(storage.data(), storage.size());
    std::string big(LogBuffer::kMaxText + 100, 'x');
    log.append(6, 0, big.data(), big.size());
    EXPECT_EQ(read_text(log, 0).size(), LogBuffer::kMaxText);
}

}  // namespace
