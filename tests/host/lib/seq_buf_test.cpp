// SeqBuf: bounded text generation that reports overflow instead of truncating silently.
#include <lib/seq_buf.hpp>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace {

std::string text(const SeqBuf& m) { return std::string(m.data(), m.len()); }

TEST(SeqBuf, AppendsFormattedText) {
    char buf[64];
    SeqBuf m(buf, sizeof buf);
    m.printf("%s:\t%8llu kB\n", "MemTotal", 1024ull);
    m.put_decimal_ull(" ", 42);
    m.put_decimal_ll(" ", -7);
    m.putc('\n');
    EXPECT_EQ(text(m), "MemTotal:\t    1024 kB\n 42 -7\n");
    EXPECT_FALSE(m.overflowed());
}

TEST(SeqBuf, WritesBinaryDataWithNuls) {
    char buf[16];
    SeqBuf m(buf, sizeof buf);
    m.write("a\0b\0", 4);
    EXPECT_EQ(m.len(), 4u);
    EXPECT_EQ(std::memcmp(m.data(), "a\0b\0", 4), 0);
}

TEST(SeqBuf, OverflowIsStickyAndNeverWritesPastTheEnd) {
    char storage[12];
    std::memset(storage, 'Z', sizeof storage);
    SeqBuf m(storage, 8);
    m.puts("1234567");
    EXPECT_FALSE(m.overflowed());
    m.printf("%d", 89);  // does not fit: nothing of it is kept
    EXPECT_TRUE(m.overflowed());
    EXPECT_EQ(m.len(), 7u);
    m.puts("x");  // ignored once overflowed
    EXPECT_EQ(m.len(), 7u);
    EXPECT_EQ(storage[8], 'Z');
    EXPECT_EQ(storage[11], 'Z');
}

TEST(SeqBuf, ExactFitOfRawBytes) {
    char buf[4];
    SeqBuf m(buf, sizeof buf);
    m.write("abcd", 4);
    EXPECT_FALSE(m.overflowed());
    EXPECT_EQ(text(m), "abcd");
    m.putc('e');
    EXPECT_TRUE(m.overflowed());
}

}  // namespace
