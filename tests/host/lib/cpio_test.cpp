#include <lib/cpio.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

struct Spec {
    std::string name;
    uint32_t mode = 0100644;
    std::string data;
    uint32_t ino = 1, uid = 0, gid = 0, nlink = 1, mtime = 0;
    uint32_t devmajor = 0, devminor = 0, rdevmajor = 0, rdevminor = 0;
};

void pad4(Bytes& b) {
    while (b.size() % 4) b.push_back(0);
}

// Appends one entry the way `cpio -o -H newc` (or -H crc) lays it out.
void add(Bytes& b, const Spec& s, bool crc_format = false, int check_delta = 0) {
    uint32_t check = 0;
    if (crc_format)
        for (unsigned char c : s.data) check += c;
    check += uint32_t(check_delta);
    char hdr[111];
    snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             crc_format ? "070702" : "070701", s.ino, s.mode, s.uid, s.gid, s.nlink, s.mtime,
             unsigned(s.data.size()), s.devmajor, s.devminor, s.rdevmajor, s.rdevminor,
             unsigned(s.name.size() + 1), check);
    b.insert(b.end(), hdr, hdr + 110);
    b.insert(b.end(), s.name.begin(), s.name.end());
    b.push_back(0);
    pad4(b);
    b.insert(b.end(), s.data.begin(), s.data.end());
    pad4(b);
}

void add_trailer(Bytes& b) {
    Spec t;
    t.name = "TRAILER!!!";
    t.mode = 0;
    t.ino = 0;
    t.nlink = 1;
    add(b, t);
}

struct Result {
    std::vector<CpioEntry> entries;
    CpioError error;
    size_t offset;
    size_t archives;
};

// Reads from an exact-size heap copy so AddressSanitizer catches any read past the end.
Result read_all(const Bytes& b) {
    std::unique_ptr<uint8_t[]> copy(new uint8_t[b.size() ? b.size() : 1]);
    if (!b.empty()) memcpy(copy.get(), b.data(), b.size());
    CpioReader r(copy.get(), b.size());
    Result res;
    CpioEntry e;
    while (r.next(e)) {
        EXPECT_GE(e.data, copy.get());
        EXPECT_LE(e.data + e.filesize, copy.get() + b.size());
        EXPECT_EQ(strlen(e.name), e.name_len);
        // Re-point into the caller's vector so the results outlive the copy.
        e.name = reinterpret_cast<const char*>(b.data()) + (reinterpret_cast<const uint8_t*>(e.name) - copy.get());
        e.data = b.data() + (e.data - copy.get());
        res.entries.push_back(e);
    }
    EXPECT_FALSE(r.next(e));  // stays finished
    res.error = r.error();
    res.offset = r.offset();
    res.archives = r.archives();
    return res;
}

std::string data_of(const CpioEntry& e) { return std::string(reinterpret_cast<const char*>(e.data), e.filesize); }

Bytes sample_archive() {
    Bytes b;
    Spec dir{"dev", 040755, ""};
    dir.nlink = 2;
    add(b, dir);
    Spec console{"dev/console", 020600, ""};
    console.rdevmajor = 5;
    console.rdevminor = 1;
    add(b, console);
    for (int len = 0; len <= 5; ++len) {
        Spec f{"f" + std::to_string(len), 0100644, std::string(size_t(len), char('a' + len))};
        f.uid = 1000 + len;
        f.gid = 100;
        f.mtime = 0x5f5e1000u + len;
        add(b, f);
    }
    add(b, Spec{"bin/sh", 0120777, "busybox"});
    add_trailer(b);
    return b;
}

TEST(CpioTest, ReadsAllFields) {
    Bytes b = sample_archive();
    Result r = read_all(b);
    EXPECT_EQ(r.error, CpioError::None);
    EXPECT_EQ(r.archives, 1u);
    ASSERT_EQ(r.entries.size(), 9u);
    EXPECT_STREQ(r.entries[0].name, "dev");
    EXPECT_EQ(r.entries[0].mode, 040755u);
    EXPECT_EQ(r.entries[0].nlink, 2u);
    EXPECT_STREQ(r.entries[1].name, "dev/console");
    EXPECT_EQ(r.entries[1].rdevmajor, 5u);
    EXPECT_EQ(r.entries[1].rdevminor, 1u);
    for (int len = 0; len <= 5; ++len) {
        const CpioEntry& e = r.entries[2 + len];
        EXPECT_EQ(e.name, "f" + std::to_string(len));
        EXPECT_EQ(e.name_len, 2u);
        EXPECT_EQ(e.filesize, uint32_t(len));
        EXPECT_EQ(data_of(e), std::string(size_t(len), char('a' + len)));
        EXPECT_EQ(e.uid, 1000u + len);
        EXPECT_EQ(e.gid, 100u);
        EXPECT_EQ(e.mtime, 0x5f5e1000u + len);
        EXPECT_EQ(e.ino, 1u);
    }
    EXPECT_EQ(r.entries[8].mode, 0120777u);
    EXPECT_EQ(data_of(r.entries[8]), "busybox");
}

TEST(CpioTest, EmptyBufferAndOnlyZeros) {
    Result r = read_all(Bytes{});
    EXPECT_EQ(r.error, CpioError::None);
    EXPECT_TRUE(r.entries.empty());
    r = read_all(Bytes(512, 0));
    EXPECT_EQ(r.error, CpioError::None);
    EXPECT_TRUE(r.entries.empty());
}

TEST(CpioTest, LowercaseHexAccepted) {
    Bytes b;
    add(b, Spec{"x", 0100644, std::string(26, 'z')});  // filesize 0000001A
    for (size_t i = 6; i < 110; ++i) b[i] = uint8_t(tolower(b[i]));
    Result r = read_all(b);
    EXPECT_EQ(r.error, CpioError::None);
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].filesize, 26u);
}

TEST(CpioTest, CrcFormatVerified) {
    Bytes good;
    add(good, Spec{"a", 0100644, "\xff\xfe hello"}, true);
    add_trailer(good);
    Result r = read_all(good);
    EXPECT_EQ(r.error, CpioError::None);
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].check, 0xffu + 0xfeu + uint32_t(' ') + 'h' + 'e' + 'l' + 'l' + 'o');

    Bytes bad;
    add(bad, Spec{"a", 0100644, "hello"}, true, 1);
    r = read_all(bad);
    EXPECT_EQ(r.error, CpioError::BadChecksum);
    EXPECT_EQ(r.offset, 0u);
    EXPECT_TRUE(r.entries.empty());
}

TEST(CpioTest, ConcatenatedArchivesWithZeroPadding) {
    Bytes b;
    add(b, Spec{"one", 0100644, "1"});
    add_trailer(b);
    b.insert(b.end(), 512, 0);  // e.g. block padding from `cpio`
    add(b, Spec{"two", 0100644, "22"});
    add_trailer(b);
    add(b, Spec{"three", 0100644, "333"});  // directly after the trailer, no padding
    add_trailer(b);
    b.insert(b.end(), 4, 0);
    Result r = read_all(b);
    EXPECT_EQ(r.error, CpioError::None);
    EXPECT_EQ(r.archives, 3u);
    ASSERT_EQ(r.entries.size(), 3u);
    EXPECT_STREQ(r.entries[2].name, "three");
    EXPECT_EQ(data_of(r.entries[2]), "333");
}

TEST(CpioTest, MisalignedSecondArchive) {
    Bytes b;
    add(b, Spec{"one", 0100644, "1"});
    add_trailer(b);
    b.insert(b.end(), 3, 0);
    size_t bad_at = b.size();
    add(b, Spec{"two", 0100644, "2"});
    Result r = read_all(b);
    EXPECT_EQ(r.error, CpioError::BadPadding);
    EXPECT_EQ(r.offset, bad_at);
    EXPECT_EQ(r.entries.size(), 1u);
}

TEST(CpioTest, SomethingElseAfterTrailerIsReportedWithOffset) {
    Bytes b = sample_archive();
    size_t end = b.size();
    const uint8_t gzip[] = {0x1f, 0x8b, 0x08, 0x00};
    b.insert(b.end(), gzip, gzip + 4);
    Result r = read_all(b);
    EXPECT_EQ(r.entries.size(), 9u);
    EXPECT_EQ(r.error, CpioError::Truncated);  // fewer than 110 bytes left
    EXPECT_EQ(r.offset, end);
    b.insert(b.end(), 200, 'x');
    r = read_all(b);
    EXPECT_EQ(r.error, CpioError::BadMagic);
    EXPECT_EQ(r.offset, end);
}

TEST(CpioTest, ArchiveWithoutTrailerEndsCleanly) {
    Bytes b;
    add(b, Spec{"a", 0100644, "abc"});
    Result r = read_all(b);
    EXPECT_EQ(r.error, CpioError::None);
    EXPECT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.archives, 0u);
}

TEST(CpioTest, MissingFinalPaddingTolerated) {
    Bytes b;
    add(b, Spec{"a", 0100644, "abcde"});
    b.resize(b.size() - 3);  // drop the data's padding
    Result r = read_all(b);
    EXPECT_EQ(r.error, CpioError::None);
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(data_of(r.entries[0]), "abcde");
}

TEST(CpioTest, MalformedHeaders) {
    auto one = [] {
        Bytes b;
        add(b, Spec{"name", 0100644, "data"});
        add_trailer(b);
        return b;
    };
    Bytes b = one();
    b[0] = '1';
    EXPECT_EQ(read_all(b).error, CpioError::BadMagic);
    b = one();
    b[5] = '7';  // 070707 is the old binary-ish odc format: unsupported
    EXPECT_EQ(read_all(b).error, CpioError::BadMagic);
    b = one();
    b[6 + 8 + 3] = 'g';  // mode field
    EXPECT_EQ(read_all(b).error, CpioError::BadHeader);
    b = one();
    b[6 + 8 * 6] = ' ';  // filesize field
    EXPECT_EQ(read_all(b).error, CpioError::BadHeader);

    // namesize 0
    b = one();
    memcpy(&b[6 + 8 * 11], "00000000", 8);
    EXPECT_EQ(read_all(b).error, CpioError::BadName);
    // name not NUL-terminated at namesize
    b = one();
    memcpy(&b[6 + 8 * 11], "00000004", 8);
    EXPECT_EQ(read_all(b).error, CpioError::BadName);
    // embedded NUL
    b = one();
    b[111] = 0;
    EXPECT_EQ(read_all(b).error, CpioError::BadName);
    // namesize and filesize far beyond the buffer
    b = one();
    memcpy(&b[6 + 8 * 11], "FFFFFFFF", 8);
    EXPECT_EQ(read_all(b).error, CpioError::Truncated);
    b = one();
    memcpy(&b[6 + 8 * 6], "FFFFFFFF", 8);
    EXPECT_EQ(read_all(b).error, CpioError::Truncated);
    b = one();
    memcpy(&b[6 + 8 * 6], "00000100", 8);
    EXPECT_EQ(read_all(b).error, CpioError::Truncated);
}

TEST(CpioTest, EveryTruncationIsSafe) {
    Bytes full = sample_archive();
    for (size_t len = 0; len < full.size(); ++len) {
        Bytes b(full.begin(), full.begin() + long(len));
        Result r = read_all(b);
        EXPECT_LE(r.entries.size(), 9u);
        // Cutting inside a header, name or data is an error; cutting at an entry boundary is a clean
        // end with fewer entries. Either way no read past the end (ASan checks that).
        if (len > 0 && len < CpioReader::kHeaderSize) {
            EXPECT_EQ(r.error, CpioError::Truncated);
        }
        for (const CpioEntry& e : r.entries) EXPECT_LE(size_t(e.data - b.data()) + e.filesize, len);
    }
}

TEST(CpioTest, RandomCorruptionIsSafe) {
    Bytes full = sample_archive();
    std::mt19937 rng(4242);
    for (int round = 0; round < 3000; ++round) {
        Bytes b = full;
        int flips = 1 + int(rng() % 4);
        for (int k = 0; k < flips; ++k) {
            size_t at = rng() % b.size();
            switch (rng() % 3) {
            case 0: b[at] = uint8_t(rng()); break;
            case 1: b[at] = uint8_t("0123456789ABCDEF"[rng() % 16]); break;
            default: b[at] = 'F'; break;
            }
        }
        if (rng() % 4 == 0) b.resize(rng() % b.size());
        Result r = read_all(b);
        for (const CpioEntry& e : r.entries) {
            ASSERT_LE(size_t(e.data - b.data()) + e.filesize, b.size());
            ASSERT_LT(size_t(reinterpret_cast<const uint8_t*>(e.name) - b.data()) + e.name_len, b.size());
        }
    }
}

TEST(CpioTest, ErrorNames) {
    EXPECT_STREQ(cpio_error_name(CpioError::None), "none");
    EXPECT_STREQ(cpio_error_name(CpioError::Truncated), "truncated");
}

}  // namespace
