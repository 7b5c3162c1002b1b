// Exec's argument strings, their limits (process/exec_args.cpp) and "#!" line parsing
// (process/binfmt_script.cpp).
#include <process/binfmt_script.hpp>
#include <process/exec_args.hpp>

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <string>

#include "mm/mm_arena.hpp"

namespace {

TEST(ExecArgs, LimitFollowsRlimitStack) {
    // 8 MiB stack: a quarter of it (2 MiB), minus the pointers.
    EXPECT_EQ(exec_string_limit(8ull << 20, 2, 3).value(), (2u << 20) - 5 * 8);
    // Tiny stack limit: never below ARG_MAX (32 pages).
    EXPECT_EQ(exec_string_limit(4096, 0, 0).value(), 32u * 4096 - 8);  // argc counts as at least 1
    // Unlimited: 3/4 of _STK_LIM (6 MiB).
    EXPECT_EQ(exec_string_limit(~0ull, 1, 0).value(), (6u << 20) - 8);
    // More pointers than the space holds.
    EXPECT_EQ(exec_string_limit(4096, 1u << 20, 0).error(), Errno::E2BIG);
}

class ExecStringsTest : public testing::Test {
protected:
    MmArena arena{512};
};

TEST_F(ExecStringsTest, PushPopAndBudget) {
    ExecStringBudget budget{20};
    ExecStrings s(budget);
    ASSERT_TRUE(s.push_back("abc", 3));
    ASSERT_TRUE(s.push_back("de", 2));
    EXPECT_EQ(s.count(), 2u);
    EXPECT_EQ(s.bytes(), 7u);
    EXPECT_EQ(budget.remaining, 13u);
    EXPECT_EQ(memcmp(s.data(), "abc\0de\0", 7), 0);
    ASSERT_TRUE(s.push_front("x", 1));
    EXPECT_EQ(memcmp(s.data(), "x\0abc\0de\0", 9), 0);
    s.pop_front();
    s.pop_front();
    EXPECT_EQ(memcmp(s.data(), "de\0", 3), 0);
    EXPECT_EQ(s.count(), 1u);
    EXPECT_EQ(budget.remaining, 17u);
    EXPECT_EQ(s.push_back("0123456789abcdefg", 17).error(), Errno::E2BIG);  // 18 > 17 left
    ASSERT_TRUE(s.push_back("0123456789abcdef", 16));                      // exactly fits
    EXPECT_EQ(budget.remaining, 0u);
    EXPECT_EQ(s.push_back("", 0).error(), Errno::E2BIG);
}

TEST_F(ExecStringsTest, ReserveCommitAndGrowth) {
    ExecStringBudget budget{1 << 20};
    ExecStrings s(budget);
    std::string big(10000, 'q');
    // (Up to 64 KiB: bigger buffers come from vmalloc, which host tests have no address range for.)
    for (int i = 0; i < 5; i++) {
        char* dst = s.reserve(big.size() + 1).value();
        memcpy(dst, big.data(), big.size());
        s.commit(big.size());
    }
    EXPECT_EQ(s.count(), 5u);
    EXPECT_EQ(s.bytes(), 5u * 10001);
    EXPECT_EQ(s.data()[10000], '\0');
    EXPECT_EQ(s.data()[5 * 10001 - 1], '\0');
    EXPECT_EQ(s.data()[4 * 10001], 'q');
    std::string too_long(MAX_ARG_STRLEN, 'z');
    EXPECT_EQ(s.push_back(too_long.data(), too_long.size()).error(), Errno::E2BIG);
    EXPECT_EQ(s.reserve(MAX_ARG_STRLEN + 1).error(), Errno::E2BIG);
    EXPECT_EQ(s.room_left(), MAX_ARG_STRLEN);
}

ScriptLine parse_ok(const std::string& text) {
    ScriptLine line{};
    Result<void> r = parse_script_line(reinterpret_cast<const uint8_t*>(text.data()), text.size(), line);
    EXPECT_TRUE(r) << text;
    return line;
}

Errno parse_error(const std::string& text) {
    ScriptLine line{};
    Result<void> r = parse_script_line(reinterpret_cast<const uint8_t*>(text.data()), text.size(), line);
    return r.is_error() ? r.error() : Errno::OK;
}

TEST(ScriptLine, InterpreterAndOneArgument) {
    ScriptLine a = parse_ok("#!/bin/sh\necho hi\n");
    EXPECT_STREQ(a.interpreter, "/bin/sh");
    EXPECT_FALSE(a.has_argument);
    ScriptLine b = parse_ok("#! /bin/sh -e -x  \n");
    EXPECT_STREQ(b.interpreter, "/bin/sh");
    ASSERT_TRUE(b.has_argument);
    EXPECT_STREQ(b.argument, "-e -x");  // one argument, as Linux passes it
    ScriptLine c = parse_ok("#!\t/usr/bin/env\t python3\n");
    EXPECT_STREQ(c.interpreter, "/usr/bin/env");
    EXPECT_STREQ(c.argument, "python3");
    ScriptLine d = parse_ok("#!/bin/sh");  // a file that is only the line, without a newline
    EXPECT_STREQ(d.interpreter, "/bin/sh");
    EXPECT_FALSE(d.has_argument);
    ScriptLine e = parse_ok("#!/bin/sh   \n");
    EXPECT_FALSE(e.has_argument);
}

TEST(ScriptLine, NotAScriptOrNoInterpreter) {
    EXPECT_EQ(parse_error("\x7f" "ELF"), Errno::ENOEXEC);
    EXPECT_EQ(parse_error("# comment\n"), Errno::ENOEXEC);
    EXPECT_EQ(parse_error("#!\n"), Errno::ENOEXEC);
    EXPECT_EQ(parse_error("#!   \t \n"), Errno::ENOEXEC);
}

TEST(ScriptLine, EmbeddedNulEndsTheName) {
    std::string text("#!/bin/sh\0-x\n", 13);
    ScriptLine line = parse_ok(text);
    EXPECT_STREQ(line.interpreter, "/bin/sh");
    EXPECT_FALSE(line.has_argument);
}

TEST(ScriptLine, LinesLongerThanTheBuffer) {
    // The interpreter's name goes past the buffer: it may be truncated, so Linux refuses it.
    std::string long_name = "#!/" + std::string(300, 'a') + "\n";
    EXPECT_EQ(parse_error(long_name), Errno::ENOEXEC);
    // The name ends inside the buffer: accepted, with the argument cut at the buffer's end.
    std::string long_arg = "#!/bin/sh " + std::string(300, 'b') + "\n";
    ScriptLine line = parse_ok(long_arg);
    EXPECT_STREQ(line.interpreter, "/bin/sh");
    ASSERT_TRUE(line.has_argument);
    EXPECT_EQ(strlen(line.argument), BINPRM_BUF_SIZE - 1 - 10);
}

}  // namespace
