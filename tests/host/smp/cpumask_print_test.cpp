// CPU sets in Linux's sysfs list format and /proc's bitmap format.
#include <lib/seq_buf.hpp>
#include <smp/cpumask_print.hpp>

#include <string>

#include <gtest/gtest.h>

namespace {

std::string list_of(const CpuMask& mask) {
    char buf[256];
    SeqBuf m(buf, sizeof buf);
    cpumask_print_list(m, mask);
    return std::string(m.data(), m.len());
}

std::string bitmap_of(const CpuMask& mask, unsigned bits) {
    char buf[256];
    SeqBuf m(buf, sizeof buf);
    cpumask_print_bitmap(m, mask, bits);
    return std::string(m.data(), m.len());
}

TEST(CpumaskPrint, Lists) {
    CpuMask m;
    EXPECT_EQ(list_of(m), "");
    m.set(0);
    EXPECT_EQ(list_of(m), "0");
    m.set(1);
    EXPECT_EQ(list_of(m), "0-1");
    m.set(3);
    m.set(4);
    m.set(5);
    m.set(7);
    EXPECT_EQ(list_of(m), "0-1,3-5,7");
    m.set(kMaxCpus - 1);
    EXPECT_EQ(list_of(m), "0-1,3-5,7," + std::to_string(kMaxCpus - 1));
}

TEST(CpumaskPrint, Bitmaps) {
    CpuMask m;
    m.set(0);
    m.set(1);
    EXPECT_EQ(bitmap_of(m, 2), "3");     // Linux's Cpus_allowed with 2 CPUs
    EXPECT_EQ(bitmap_of(m, 8), "03");
    EXPECT_EQ(bitmap_of(m, 64), "00000000,00000003");
    m.set(33);
    EXPECT_EQ(bitmap_of(m, 40), "02,00000003");
}

}  // namespace
