#include <lib/cmdline.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

// Records every setup call so tests can check what the table saw.
struct Seen {
    std::string name;
    bool has_value;
    std::string value;
};
std::vector<Seen> g_seen;

bool record(const char* name, const char* value) {
    g_seen.push_back({name, value != nullptr, value ? value : ""});
    return true;
}
bool setup_console(const char* v) { return record("console", v); }
bool setup_init(const char* v) { return record("init", v); }
bool setup_quiet(const char* v) { return record("quiet", v); }
bool setup_panic(const char* v) {
    long n;
    if (!parse_int(v, n)) return false;  // rejected: falls through to init as unknown
    return record("panic", v);
}
bool setup_no_hz(const char* v) { return record("no_hz", v); }
bool setup_reject(const char*) { return false; }

const KernelParam kTable[] = {
    {"console", setup_console}, {"init", setup_init},   {"quiet", setup_quiet},
    {"panic", setup_panic},     {"no_hz", setup_no_hz}, {"rejectme", setup_reject},
};
constexpr size_t kTableSize = sizeof(kTable) / sizeof(kTable[0]);

struct Parsed {
    size_t accepted;
    InitArgs args;
};

Parsed parse(std::string& buf) {
    g_seen.clear();
    Parsed p;
    p.accepted = parse_kernel_cmdline(buf.data(), kTable, kTableSize, p.args);
    return p;
}

std::vector<std::string> argv_of(const InitArgs& a) {
    std::vector<std::string> out;
    for (size_t i = 0; i < a.argc; ++i) out.push_back(a.argv[i]);
    EXPECT_EQ(a.argv[a.argc], nullptr);
    return out;
}
std::vector<std::string> envp_of(const InitArgs& a) {
    std::vector<std::string> out;
    for (size_t i = 0; i < a.envc; ++i) out.push_back(a.envp[i]);
    EXPECT_EQ(a.envp[a.envc], nullptr);
    return out;
}

using Strings = std::vector<std::string>;

TEST(CmdlineTest, TypicalLine) {
    std::string buf = "console=ttyS0 init=/bin/sh panic=-1 quiet foo bar=baz -- -x y";
    Parsed p = parse(buf);
    EXPECT_EQ(p.accepted, 4u);
    ASSERT_EQ(g_seen.size(), 4u);
    EXPECT_EQ(g_seen[0].name, "console");
    EXPECT_EQ(g_seen[0].value, "ttyS0");
    EXPECT_EQ(g_seen[1].value, "/bin/sh");
    EXPECT_EQ(g_seen[2].name, "panic");
    EXPECT_EQ(g_seen[2].value, "-1");
    EXPECT_EQ(g_seen[3].name, "quiet");
    EXPECT_FALSE(g_seen[3].has_value);
    EXPECT_EQ(argv_of(p.args), (Strings{"foo", "-x", "y"}));
    EXPECT_EQ(envp_of(p.args), (Strings{"bar=baz"}));
    EXPECT_FALSE(p.args.overflow());
}

TEST(CmdlineTest, TokenizerBasics) {
    std::string buf = "  a=1\tb \n c=  d=\"x y\" ";
    char* cur = buf.data();
    char *name, *value;
    ASSERT_TRUE(cmdline_next_param(&cur, &name, &value));
    EXPECT_STREQ(name, "a");
    EXPECT_STREQ(value, "1");
    ASSERT_TRUE(cmdline_next_param(&cur, &name, &value));
    EXPECT_STREQ(name, "b");
    EXPECT_EQ(value, nullptr);
    ASSERT_TRUE(cmdline_next_param(&cur, &name, &value));
    EXPECT_STREQ(name, "c");
    EXPECT_STREQ(value, "");  // empty value is not the same as no value
    ASSERT_TRUE(cmdline_next_param(&cur, &name, &value));
    EXPECT_STREQ(name, "d");
    EXPECT_STREQ(value, "x y");
    EXPECT_FALSE(cmdline_next_param(&cur, &name, &value));
    EXPECT_FALSE(cmdline_next_param(&cur, &name, &value));
}

TEST(CmdlineTest, EmptyAndBlankLines) {
    std::string empty;
    Parsed p = parse(empty);
    EXPECT_EQ(p.accepted, 0u);
    EXPECT_EQ(p.args.argc, 0u);
    EXPECT_EQ(p.args.envc, 0u);
    std::string blank = " \t \n ";
    p = parse(blank);
    EXPECT_EQ(p.args.argc, 0u);
}

TEST(CmdlineTest, QuotedValues) {
    std::string buf = "console=\"ttyS0 115200\" \"whole word\" msg=\"a b\" \"k=v w\" in\"ner q\"uote";
    Parsed p = parse(buf);
    ASSERT_EQ(g_seen.size(), 1u);
    EXPECT_EQ(g_seen[0].value, "ttyS0 115200");
    // Quotes around a value or a whole word go; quotes inside a word stay, as in Linux.
    EXPECT_EQ(argv_of(p.args), (Strings{"whole word", "in\"ner q\"uote"}));
    // Unknown quoted values reach init's environment with the quotes removed.
    EXPECT_EQ(envp_of(p.args), (Strings{"msg=a b", "k=v w"}));
}

TEST(CmdlineTest, UnterminatedQuoteRunsToEnd) {
    std::string buf = "a=\"b c d";
    Parsed p = parse(buf);
    EXPECT_EQ(envp_of(p.args), (Strings{"a=b c d"}));
}

TEST(CmdlineTest, DashUnderscoreEquivalence) {
    std::string buf = "no-hz=1 No_hz=2";
    Parsed p = parse(buf);
    ASSERT_EQ(g_seen.size(), 1u);
    EXPECT_EQ(g_seen[0].name, "no_hz");
    EXPECT_EQ(g_seen[0].value, "1");
    EXPECT_EQ(envp_of(p.args), (Strings{"No_hz=2"}));  // matching is case-sensitive
    EXPECT_TRUE(cmdline_param_eq("a-b_c", "a_b-c"));
    EXPECT_FALSE(cmdline_param_eq("a-b", "a-bc"));
    EXPECT_FALSE(cmdline_param_eq("ab", "a"));
}

TEST(CmdlineTest, ModuleParamsAreDropped) {
    std::string buf = "usbcore.autosuspend=-1 foo.bar rd.x=1 x=a.b";
    Parsed p = parse(buf);
    EXPECT_EQ(p.args.argc, 0u);
    EXPECT_EQ(envp_of(p.args), (Strings{"x=a.b"}));  // a dot in the value does not count
}

TEST(CmdlineTest, RejectedParamFallsThroughToInit) {
    std::string buf = "panic=abc rejectme rejectme=2";
    Parsed p = parse(buf);
    EXPECT_EQ(p.accepted, 0u);
    EXPECT_EQ(argv_of(p.args), (Strings{"rejectme"}));
    EXPECT_EQ(envp_of(p.args), (Strings{"panic=abc", "rejectme=2"}));
}

TEST(CmdlineTest, LaterEnvAssignmentWins) {
    std::string buf = "TERM=vt100 HOME=/ TERM=linux";
    Parsed p = parse(buf);
    EXPECT_EQ(envp_of(p.args), (Strings{"TERM=linux", "HOME=/"}));
}

TEST(CmdlineTest, EverythingAfterDashesGoesToArgv) {
    std::string buf = "quiet -- console=tty0 a.b \"x y\" k=\"v w\" --";
    Parsed p = parse(buf);
    EXPECT_EQ(p.accepted, 1u);  // console=tty0 after -- is not a kernel parameter
    EXPECT_EQ(argv_of(p.args), (Strings{"console=tty0", "a.b", "x y", "k=v w", "--"}));
    EXPECT_EQ(p.args.envc, 0u);
}

TEST(CmdlineTest, DashesWithValueIsNotTheSeparator) {
    std::string buf = "--=1 -x";
    Parsed p = parse(buf);
    EXPECT_EQ(envp_of(p.args), (Strings{"--=1"}));
    EXPECT_EQ(argv_of(p.args), (Strings{"-x"}));
}

TEST(CmdlineTest, ArgvOverflowIsFlagged) {
    std::string buf;
    for (int i = 0; i < 40; ++i) buf += "w" + std::to_string(i) + " ";
    Parsed p = parse(buf);
    EXPECT_EQ(p.args.argc, InitArgs::kMaxArgs);
    EXPECT_TRUE(p.args.argv_overflow);
    EXPECT_FALSE(p.args.envp_overflow);
    EXPECT_TRUE(p.args.overflow());
    EXPECT_STREQ(p.args.argv[31], "w31");
    EXPECT_EQ(p.args.argv[32], nullptr);
}

TEST(CmdlineTest, EnvpOverflowIsFlagged) {
    std::string buf;
    for (int i = 0; i < 33; ++i) buf += "v" + std::to_string(i) + "=1 ";
    buf += "v0=again";  // replacing an existing name still works when full
    Parsed p = parse(buf);
    EXPECT_EQ(p.args.envc, InitArgs::kMaxEnvs);
    EXPECT_TRUE(p.args.envp_overflow);
    EXPECT_STREQ(p.args.envp[0], "v0=again");
}

TEST(CmdlineTest, RandomLinesStayInsideTheBuffer) {
    std::mt19937 rng(31337);
    const char alphabet[] = " \t\n\"=-_.aZ09";
    for (int round = 0; round < 5000; ++round) {
        size_t n = rng() % 80;
        // Exact-size heap buffer so ASan catches a read past the terminating NUL.
        std::unique_ptr<char[]> buf(new char[n + 1]);
        for (size_t i = 0; i < n; ++i) buf[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
        buf[n] = 0;
        InitArgs args;
        parse_kernel_cmdline(buf.get(), kTable, kTableSize, args);
        ASSERT_LE(args.argc, InitArgs::kMaxArgs);
        ASSERT_LE(args.envc, InitArgs::kMaxEnvs);
        for (size_t i = 0; i < args.argc; ++i) {
            ASSERT_GE(args.argv[i], buf.get());
            ASSERT_LE(args.argv[i] + strlen(args.argv[i]), buf.get() + n);
        }
        for (size_t i = 0; i < args.envc; ++i) {
            ASSERT_GE(args.envp[i], buf.get());
            ASSERT_NE(strchr(args.envp[i], '='), nullptr);
        }
    }
}

TEST(CmdlineTest, ParseInt) {
    long v = 0;
    EXPECT_TRUE(parse_int("0", v));
    EXPECT_EQ(v, 0);
    EXPECT_TRUE(parse_int("-1", v));
    EXPECT_EQ(v, -1);
    EXPECT_TRUE(parse_int("+17", v));
    EXPECT_EQ(v, 17);
    EXPECT_TRUE(parse_int("0x1F", v));
    EXPECT_EQ(v, 31);
    EXPECT_TRUE(parse_int("-0x10", v));
    EXPECT_EQ(v, -16);
    EXPECT_TRUE(parse_int("010", v));
    EXPECT_EQ(v, 10);  // decimal, not octal
    EXPECT_TRUE(parse_int("9223372036854775807", v));
    EXPECT_EQ(v, 9223372036854775807L);
    EXPECT_TRUE(parse_int("-9223372036854775808", v));
    EXPECT_EQ(v, (-9223372036854775807L - 1));
    v = 5;
    for (const char* bad : {"", "-", "0x", "12a", "9223372036854775808", "-9223372036854775809", " 1", "1 ",
                            "0x1g", "--1"})
        EXPECT_FALSE(parse_int(bad, v)) << bad;
    EXPECT_FALSE(parse_int(nullptr, v));
    EXPECT_EQ(v, 5);  // untouched on failure
}

TEST(CmdlineTest, ParseSize) {
    uint64_t v = 0;
    EXPECT_TRUE(parse_size("4096", v));
    EXPECT_EQ(v, 4096u);
    EXPECT_TRUE(parse_size("512M", v));
    EXPECT_EQ(v, 512ull << 20);
    EXPECT_TRUE(parse_size("2g", v));
    EXPECT_EQ(v, 2ull << 30);
    EXPECT_TRUE(parse_size("0x10k", v));
    EXPECT_EQ(v, 16ull << 10);
    EXPECT_TRUE(parse_size("1T", v));
    EXPECT_EQ(v, 1ull << 40);
    for (const char* bad : {"", "M", "12MB", "-1", "16777216T", "1X"}) EXPECT_FALSE(parse_size(bad, v)) << bad;
}

TEST(CmdlineTest, ParseBool) {
    bool b = false;
    for (const char* t : {"1", "y", "Y", "yes", "on", "ON", "true"}) {
        b = false;
        EXPECT_TRUE(parse_bool(t, b)) << t;
        EXPECT_TRUE(b) << t;
    }
    for (const char* f : {"0", "n", "N", "no", "off", "False"}) {
        b = true;
        EXPECT_TRUE(parse_bool(f, b)) << f;
        EXPECT_FALSE(b) << f;
    }
    b = false;
    EXPECT_TRUE(parse_bool(nullptr, b));
    EXPECT_TRUE(b);
    b = false;
    EXPECT_TRUE(parse_bool("", b));
    EXPECT_TRUE(b);
    for (const char* bad : {"2", "yess", "o", "enable"}) EXPECT_FALSE(parse_bool(bad, b)) << bad;
}

}  // namespace
