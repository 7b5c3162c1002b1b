// The initial user stack (process/exec_stack.cpp): the exact bytes for a small case, computed by hand
// from Linux's create_elf_tables().
#include <process/exec_stack.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

constexpr uint64_t kTop = 0x7ffffffff000ull;

StackInputs small_case() {
    StackInputs in{};
    in.stack_top = kTop;
    in.argv = "prog\0-v";
    in.argv_bytes = 8;
    in.argc = 2;
    in.envp = "A=1";
    in.envp_bytes = 4;
    in.envc = 1;
    in.execfn = "/bin/prog";
    in.platform = "x86_64";
    for (int i = 0; i < 16; i++) in.random[i] = uint8_t(0xa0 + i);
    in.aux[in.naux++] = {AT_HWCAP, 0x1234};
    in.aux[in.naux++] = {AT_PAGESZ, 4096};
    in.aux[in.naux++] = {AT_RANDOM, 0};
    in.aux[in.naux++] = {AT_EXECFN, 0};
    in.aux[in.naux++] = {AT_PLATFORM, 0};
    return in;
}

TEST(ExecStack, LayoutOfASmallCase) {
    StackInputs in = small_case();
    StackLayout l = stack_layout(in);
    // From the top: 8 zero bytes, "/bin/prog\0" (10), "A=1\0" (4), "prog\0-v\0" (8).
    EXPECT_EQ(l.execfn, kTop - 8 - 10);
    EXPECT_EQ(l.env_end, l.execfn);
    EXPECT_EQ(l.env_start, l.execfn - 4);
    EXPECT_EQ(l.arg_end, l.env_start);
    EXPECT_EQ(l.arg_start, l.env_start - 8);
    EXPECT_EQ(l.arg_start, 0x7fffffffefe2u);
    // Aligned down to 16 (0x...efe0), then "x86_64\0" and the 16 random bytes.
    EXPECT_EQ(l.platform, 0x7fffffffefe0u - 7);
    EXPECT_EQ(l.random, l.platform - 16);
    // 6 auxv pairs (with AT_NULL) = 12 words, argc + 3 argv words + 2 envp words = 6: sp 16-aligned below.
    EXPECT_EQ(l.sp, (l.random - 12 * 8 - 6 * 8) & ~15ull);
    EXPECT_EQ(l.sp, 0x7fffffffef30u);
    EXPECT_EQ(l.sp % 16, 0u);
    EXPECT_EQ(l.size(), size_t(kTop - l.sp));
}

TEST(ExecStack, ImageBytes) {
    StackInputs in = small_case();
    StackLayout l = stack_layout(in);
    std::vector<uint8_t> image(l.size() + 8);  // +8: room to check nothing is written past the top
    image.back() = 0x55;
    // (the builder works on 8-byte words: give it an aligned buffer)
    std::vector<uint64_t> aligned((l.size() + 7) / 8);
    auto* bytes = reinterpret_cast<uint8_t*>(aligned.data());
    build_stack_image(in, l, bytes);
    auto word = [&](unsigned i) { return aligned[i]; };
    auto at = [&](uint64_t user) { return reinterpret_cast<const char*>(bytes + (user - l.sp)); };
    uint64_t expected[] = {
        2,                      // argc
        l.arg_start,            // argv[0] "prog"
        l.arg_start + 5,        // argv[1] "-v"
        0,                      //
        l.env_start,            // envp[0] "A=1"
        0,                      //
        AT_HWCAP, 0x1234,       //
        AT_PAGESZ, 4096,        //
        AT_RANDOM, l.random,    //
        AT_EXECFN, l.execfn,    //
        AT_PLATFORM, l.platform,
        AT_NULL, 0,
    };
    for (unsigned i = 0; i < sizeof expected / sizeof expected[0]; i++) EXPECT_EQ(word(i), expected[i]) << "word " << i;
    EXPECT_STREQ(at(l.arg_start), "prog");
    EXPECT_STREQ(at(l.arg_start + 5), "-v");
    EXPECT_STREQ(at(l.env_start), "A=1");
    EXPECT_STREQ(at(l.execfn), "/bin/prog");
    EXPECT_STREQ(at(l.platform), "x86_64");
    EXPECT_EQ(memcmp(at(l.random), in.random, 16), 0);
    for (uint64_t a = kTop - 8; a < kTop; a++) EXPECT_EQ(*at(a), 0) << "top padding";
    // Between the auxv and the random bytes: zero padding only.
    for (uint64_t a = l.sp + sizeof expected; a < l.random; a++) EXPECT_EQ(*at(a), 0);
}

TEST(ExecStack, AlignmentHoldsForAnyStringLengths) {
    for (size_t extra = 0; extra < 40; extra++) {
        std::string args(extra, 'x');
        StackInputs in = small_case();
        in.argv = args.c_str();
        in.argv_bytes = args.size() + 1;
        in.argc = 1;
        StackLayout l = stack_layout(in);
        EXPECT_EQ(l.sp % 16, 0u);
        EXPECT_LE(l.sp + (1 + 2 + 2 + 2 * (in.naux + 1)) * 8, l.random);  // the vectors fit below
    }
}

}  // namespace
