/* syslog: the kernel log through syslog(2) (klogctl): its size, the "<level>[time] text" records
 * READ_ALL returns, CLEAR, the console level's bounds, and who may do what (only READ_ALL and
 * SIZE_BUFFER are open to everyone, unless kernel.dmesg_restrict says otherwise). */
#include "utest.h"

#include <sys/klog.h>

enum { CLOSE, OPEN, READ, READ_ALL, READ_CLEAR, CLEAR, CONSOLE_OFF, CONSOLE_ON, CONSOLE_LEVEL, SIZE_UNREAD, SIZE_BUFFER };

static char logbuf[1 << 20];

static int dmesg_restricted(void) {
    FILE* f = fopen("/proc/sys/kernel/dmesg_restrict", "r");
    int v = 0;
    if (f) {
        if (fscanf(f, "%d", &v) != 1) v = 0;
        fclose(f);
    }
    return v;
}

UTEST_CASE(size_buffer) {
    int size = klogctl(SIZE_BUFFER, NULL, 0);
    UT_ASSERT(size >= 4096, "log buffer of %d bytes", size);
}

UTEST_CASE(read_all_records) {
    int n = klogctl(READ_ALL, logbuf, sizeof logbuf);
    UT_ASSERT(n > 0, "READ_ALL gave %d (%s)", n, strerror(errno));
    UT_ASSERT(logbuf[0] == '<' && logbuf[2] == '>', "first record starts with \"%.8s\"", logbuf);
    UT_ASSERT(logbuf[n - 1] == '\n', "last record does not end the line");
    int lines = 0;
    for (int i = 0; i < n; i++) {
        if (i == 0 || logbuf[i - 1] == '\n') {
            UT_ASSERT(logbuf[i] == '<' && logbuf[i + 1] >= '0' && logbuf[i + 1] <= '7', "record %d: \"%.12s\"",
                      lines, logbuf + i);
            lines++;
        }
    }
    UT_ASSERT(lines > 1, "%d records", lines);
    /* A small buffer gets the newest records that fit, whole. */
    static char small[200];
    int m = klogctl(READ_ALL, small, sizeof small);
    UT_ASSERT(m >= 0 && m <= (int)sizeof small, "READ_ALL into 200 bytes gave %d", m);
    if (m > 0) UT_ASSERT(small[0] == '<' && small[m - 1] == '\n', "partial record in \"%.20s\"", small);
}

UTEST_CASE(bad_arguments) {
    UT_ERRNO(klogctl(11, logbuf, 10), EINVAL);
    UT_ERRNO(klogctl(-1, logbuf, 10), EINVAL);
    UT_ERRNO(klogctl(READ_ALL, NULL, 10), EINVAL);
    UT_ERRNO(klogctl(READ_ALL, logbuf, -1), EINVAL);
    UT_EQ(klogctl(READ_ALL, logbuf, 0), 0);
    UT_ERRNO(klogctl(READ_ALL, (char*)16, 1 << 16), EFAULT); /* room for at least the newest record */
    UT_ERRNO(klogctl(CONSOLE_LEVEL, NULL, 0), EINVAL);
    UT_ERRNO(klogctl(CONSOLE_LEVEL, NULL, 9), EINVAL);
}

UTEST_CASE(clear_empties_read_all) {
    int before = klogctl(READ_ALL, logbuf, sizeof logbuf);
    UT_ASSERT(before > 0, "READ_ALL gave %d", before);
    UT_OK(klogctl(CLEAR, NULL, 0));
    int after = klogctl(READ_ALL, logbuf, sizeof logbuf);
    UT_ASSERT(after >= 0 && after < before, "READ_ALL after CLEAR: %d bytes, before %d", after, before);
    UT_ASSERT(klogctl(SIZE_UNREAD, NULL, 0) >= 0, "SIZE_UNREAD: %s", strerror(errno));
}

UTEST_CASE(unprivileged_rights) {
    UT_OK(setuid(1000));
    if (dmesg_restricted()) {
        UT_ERRNO(klogctl(READ_ALL, logbuf, sizeof logbuf), EPERM);
    } else {
        int n = klogctl(READ_ALL, logbuf, sizeof logbuf);
        UT_ASSERT(n >= 0, "READ_ALL as uid 1000: %s", strerror(errno));
    }
    if (!dmesg_restricted())
        UT_ASSERT(klogctl(SIZE_BUFFER, NULL, 0) > 0, "SIZE_BUFFER as uid 1000: %s", strerror(errno));
    UT_ERRNO(klogctl(CLEAR, NULL, 0), EPERM);
    UT_ERRNO(klogctl(READ, logbuf, 10), EPERM);
    UT_ERRNO(klogctl(CONSOLE_LEVEL, NULL, 7), EPERM);
}
