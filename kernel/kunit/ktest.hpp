#pragma once
// In-kernel self-tests (KUnit-like). A test is a function registered in the .ktest section:
//
//   KTEST(buddy, alloc_free_balance) {
//       KEXPECT_EQ(nr_free_pages(), before);
//   }
//
// The runner (kunit/ktest.cpp) runs them from kernel_init when the command line has ktest=<filter>, and
// prints one "ktest: PASS|FAIL suite.name" line each; tests/harness turns those lines into CTest results.
#include <stdint.h>

class KTestContext {
public:
    // Records a failure; returns `ok` so KASSERT can bail out.
    bool check(bool ok, const char* expr, const char* file, int line);
    bool check_eq(long long a, long long b, const char* ea, const char* eb, const char* file, int line);
    bool failed() const { return failed_; }

private:
    bool failed_ = false;
};

struct KTestCase {
    const char* suite;
    const char* name;
    void (*fn)(KTestContext&);
};

#define KTEST(suite, name)                                                                      \
    static void ktest_fn_##suite##_##name(KTestContext&);                                       \
    [[gnu::used, gnu::section(".ktest." #suite), gnu::aligned(8)]] static const KTestCase ktest_case_##suite##_##name = { \
        #suite, #name, ktest_fn_##suite##_##name};                                              \
    static void ktest_fn_##suite##_##name([[maybe_unused]] KTestContext& ktest_ctx)

#define KEXPECT_TRUE(cond) ktest_ctx.check(!!(cond), #cond, __FILE__, __LINE__)
#define KEXPECT_FALSE(cond) ktest_ctx.check(!(cond), "!(" #cond ")", __FILE__, __LINE__)
#define KEXPECT_EQ(a, b) ktest_ctx.check_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define KASSERT_TRUE(cond) \
    do {                   \
        if (!KEXPECT_TRUE(cond)) return; \
    } while (0)
#define KASSERT_EQ(a, b)   \
    do {                   \
        if (!KEXPECT_EQ(a, b)) return; \
    } while (0)

// Runs the tests selected by the ktest= parameter; returns the number that failed, or -1 if none were
// requested.
int run_ktests();
