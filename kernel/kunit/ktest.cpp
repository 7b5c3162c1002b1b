#include <kunit/ktest.hpp>
#include <init/params.hpp>
#include <lib/string.hpp>
#include <printk/printk.hpp>
#include <time/sched_clock.hpp>

extern "C" const KTestCase __ktest_start[], __ktest_end[];

namespace {

const char* ktest_filter = nullptr;

bool setup_ktest(const char* value) {
    ktest_filter = value ? value : "all";
    return true;
}
KERNEL_PARAM("ktest", setup_ktest);

// The filter is "all" or a comma-separated list of "suite" or "suite.name" entries.
bool selected(const KTestCase& t) {
    if (!strcmp(ktest_filter, "all")) return true;
    const char* p = ktest_filter;
    while (*p) {
        const char* end = p;
        while (*end && *end != ',') end++;
        size_t len = size_t(end - p);
        size_t suite_len = strlen(t.suite);
        if (len == suite_len && !strncmp(p, t.suite, len)) return true;
        if (len > suite_len && !strncmp(p, t.suite, suite_len) && p[suite_len] == '.' &&
            len - suite_len - 1 == strlen(t.name) && !strncmp(p + suite_len + 1, t.name, len - suite_len - 1))
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

}  // namespace

bool KTestContext::check(bool ok, const char* expr, const char* file, int line) {
    if (!ok) {
        failed_ = true;
        pr_err("ktest:   %s:%d: expected %s", file, line, expr);
    }
    return ok;
}

bool KTestContext::check_eq(long long a, long long b, const char* ea, const char* eb, const char* file, int line) {
    if (a != b) {
        failed_ = true;
        pr_err("ktest:   %s:%d: expected %s == %s, got %lld vs %lld", file, line, ea, eb, a, b);
    }
    return a == b;
}

int run_ktests() {
    if (!ktest_filter) return -1;
    int passed = 0, failed = 0;
    for (const KTestCase* t = __ktest_start; t < __ktest_end; t++) {
        if (!selected(*t)) continue;
        pr_info("ktest: START %s.%s", t->suite, t->name);
        KTestContext ctx;
        uint64_t start = local_clock();
        t->fn(ctx);
        uint64_t us = (local_clock() - start) / 1000;
        if (ctx.failed()) {
            failed++;
            pr_err("ktest: FAIL %s.%s (%lu us)", t->suite, t->name, (unsigned long)us);
        } else {
            passed++;
            pr_info("ktest: PASS %s.%s (%lu us)", t->suite, t->name, (unsigned long)us);
        }
    }
    pr_info("ktest: SUMMARY passed=%d failed=%d", passed, failed);
    return failed;
}
