#include <gtest/gtest.h>
#include <lib/vsprintf.hpp>
#include <climits>
#include <cstdio>
#include <string>

namespace {

template <class... Args>
std::string fmt(const char* f, Args... args) {
    char buf[256];
    ksnprintf(buf, sizeof buf, f, args...);
    return buf;
}

// Tern's formatter must agree with the C library on everything both support.
template <class... Args>
void expect_like_libc(const char* f, Args... args) {
    char ours[256], theirs[256];
    int n1 = ksnprintf(ours, sizeof ours, f, args...);
    int n2 = std::snprintf(theirs, sizeof theirs, f, args...);
    EXPECT_STREQ(ours, theirs) << "format " << f;
    EXPECT_EQ(n1, n2) << "format " << f;
}

TEST(Vsprintf, AgreesWithLibc) {
    expect_like_libc("%d %i %u", -42, 17, 4000000000u);
    expect_like_libc("%x %X %o %#x %#o", 0xbeef, 0xbeef, 8, 255, 8);
    expect_like_libc("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    expect_like_libc("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
    expect_like_libc("%zu %zd", size_t(123456789), ssize_t(-5));
    expect_like_libc("%hhd %hd %hhu", 300, 70000, 511);
    expect_like_libc("[%s] [%10s] [%-10s] [%.3s] [%*s]", "abc", "abc", "abc", "abcdef", 6, "x");
    expect_like_libc("%c%c%c %%", 'a', 'b', 'c');
    expect_like_libc("%.5d %8.3x %-8.3d|", 42, 0xa, 7);
    expect_like_libc("%#018lx", 0xffffffff80100000ul);
    expect_like_libc("%5lu.%06lu", 12ul, 345ul);
}

TEST(Vsprintf, TruncatesAndReportsFullLength) {
    char buf[8];
    int n = ksnprintf(buf, sizeof buf, "%s", "hello, world");
    EXPECT_EQ(n, 12);
    EXPECT_STREQ(buf, "hello, ");
    EXPECT_EQ(ksnprintf(nullptr, 0, "%d", 12345), 5);
}

TEST(Vsprintf, NullStringAndPointer) {
    const char* volatile null_string = nullptr;  // volatile: keep GCC's format checker out of it
    EXPECT_EQ(fmt("%s", null_string), "(null)");
    EXPECT_EQ(fmt("%p", reinterpret_cast<void*>(0x1234)), "0x0000000000001234");
}

size_t fake_symbolizer(unsigned long addr, char* buf, size_t size) {
    if (addr < 0x1000 || addr >= 0x2000) return 0;
    return size_t(std::snprintf(buf, size, "func+0x%lx/0x1000", addr - 0x1000));
}

TEST(Vsprintf, SymbolizesWithPS) {
    vsprintf_symbolizer = fake_symbolizer;
    EXPECT_EQ(fmt("%pS", reinterpret_cast<void*>(0x1010)), "func+0x10/0x1000");
    EXPECT_EQ(fmt("%pS", reinterpret_cast<void*>(0x3000)), "0x0000000000003000");
    vsprintf_symbolizer = nullptr;
}

}  // namespace
