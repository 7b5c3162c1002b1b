/* pipe: data flows between processes in order, end-of-file when every writer is gone, EPIPE/SIGPIPE
 * when every reader is gone, O_NONBLOCK gives EAGAIN, writes of up to PIPE_BUF bytes are atomic, and
 * poll reports readiness. */
#include "utest.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>

UTEST_CASE(round_trip_between_processes) {
    int down[2], up[2];
    UT_OK(pipe(down));
    UT_OK(pipe(up));
    pid_t pid = ut_fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        char buf[64];
        ssize_t n;
        while ((n = read(down[0], buf, sizeof buf)) > 0) { /* upper-case and send back */
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] >= 'a' && buf[i] <= 'z')
                    buf[i] = (char)(buf[i] - 32);
            if (write(up[1], buf, (size_t)n) != n)
                _exit(1);
        }
        _exit(n == 0 ? 0 : 2);
    }
    close(down[0]);
    close(up[1]);
    const char* words[] = {"hello", "tern", "pipes"};
    const char* want[] = {"HELLO", "TERN", "PIPES"};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(words[i]);
        UT_EQ(write(down[1], words[i], len), (long)len);
        char buf[16] = {0};
        size_t got = 0;
        while (got < len) {
            ssize_t n = read(up[0], buf + got, len - got);
            UT_ASSERT(n > 0, "read returned %ld", (long)n);
            got += (size_t)n;
        }
        UT_ASSERT(strcmp(buf, want[i]) == 0, "got \"%s\", expected \"%s\"", buf, want[i]);
    }
    close(down[1]);
    UT_WAIT_OK(pid);
    char c;
    UT_EQ(read(up[0], &c, 1), 0); /* the child's end is closed: EOF */
}

UTEST_CASE(eof_after_last_writer_closes) {
    int p[2];
    UT_OK(pipe(p));
    pid_t pid = ut_fork();
    if (pid == 0) {
        close(p[0]);
        write(p[1], "abc", 3);
        _exit(0); /* closing the child's copy of the write end */
    }
    close(p[1]);
    char buf[8] = {0};
    ssize_t n = ut_read_all(p[0], buf, sizeof buf);
    UT_EQ(n, 3);
    UT_EQ(read(p[0], buf, 1), 0);
    UT_WAIT_OK(pid);
}

UTEST_CASE(read_blocks_until_data) {
    int p[2];
    UT_OK(pipe(p));
    long long start = ut_now_ns(); /* before the fork: the data cannot come sooner than 100 ms after */
    pid_t pid = ut_fork();
    if (pid == 0) {
        ut_sleep_ms(100);
        write(p[1], "late", 4);
        _exit(0);
    }
    char buf[8];
    UT_EQ(read(p[0], buf, sizeof buf), 4);
    UT_ASSERT(ut_now_ns() - start >= 100000000LL, "read returned before the writer wrote");
    UT_WAIT_OK(pid);
}

UTEST_CASE(write_without_reader_epipe) {
    int p[2];
    UT_OK(pipe(p));
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    UT_ERRNO(write(p[1], "x", 1), EPIPE);
}

UTEST_CASE(write_without_reader_sigpipe) {
    int p[2];
    UT_OK(pipe(p));
    close(p[0]); /* before the fork: no reader anywhere when the child writes */
    pid_t pid = ut_fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        write(p[1], "x", 1);
        _exit(0);
    }
    close(p[1]);
    int status = ut_wait(pid);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "the writer %s, expected SIGPIPE", ut_status_str(status));
}

UTEST_CASE(blocked_writer_gets_epipe_when_reader_exits) {
    int p[2];
    UT_OK(pipe(p));
    pid_t reader = ut_fork();
    if (reader == 0) {
        close(p[1]);
        ut_sleep_ms(200);
        _exit(0); /* without reading */
    }
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    static char buf[4096];
    ssize_t n;
    do /* fill the pipe, then block until the reader is gone */
        n = write(p[1], buf, sizeof buf);
    while (n > 0);
    UT_ASSERT(n == -1 && errno == EPIPE, "write returned %ld errno %s", (long)n, ut_errno_name(errno));
    UT_WAIT_OK(reader);
}

UTEST_CASE(nonblocking_read_and_write_eagain) {
    int p[2];
    UT_OK(pipe2(p, O_NONBLOCK));
    char c;
    UT_ERRNO(read(p[0], &c, 1), EAGAIN);
    static char buf[4096];
    long total = 0;
    for (;;) {
        ssize_t n = write(p[1], buf, sizeof buf);
        if (n < 0) {
            UT_ASSERT(errno == EAGAIN, "write to a full pipe: %s", ut_errno_name(errno));
            break;
        }
        total += n;
        UT_ASSERT(total <= 16L << 20, "the pipe never fills");
    }
    UT_ASSERT(total >= 4096, "capacity %ld below one page", total);
    UT_EQ(read(p[0], buf, sizeof buf), (long)sizeof buf); /* room again */
    UT_ASSERT(write(p[1], buf, PIPE_BUF) == PIPE_BUF, "write after making room failed");
}

UTEST_CASE(fcntl_sets_nonblocking) {
    int p[2];
    UT_OK(pipe(p));
    int fl = UT_OK(fcntl(p[0], F_GETFL));
    UT_EQ(fl & O_ACCMODE, O_RDONLY);
    UT_EQ(UT_OK(fcntl(p[1], F_GETFL)) & O_ACCMODE, O_WRONLY);
    UT_OK(fcntl(p[0], F_SETFL, fl | O_NONBLOCK));
    char c;
    UT_ERRNO(read(p[0], &c, 1), EAGAIN);
}

UTEST_CASE(writes_up_to_pipe_buf_are_atomic) {
    enum { WRITERS = 4, CHUNKS = 64 };
    int p[2];
    UT_OK(pipe(p));
    for (int w = 0; w < WRITERS; w++) {
        pid_t pid = ut_fork();
        if (pid == 0) {
            close(p[0]);
            char chunk[PIPE_BUF];
            memset(chunk, 'A' + w, sizeof chunk);
            for (int i = 0; i < CHUNKS; i++)
                if (write(p[1], chunk, sizeof chunk) != (ssize_t)sizeof chunk)
                    _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    /* Every PIPE_BUF-aligned chunk of the stream must be one writer's bytes only. */
    static char chunk[PIPE_BUF];
    int counts[WRITERS] = {0};
    for (int i = 0; i < WRITERS * CHUNKS; i++) {
        size_t got = 0;
        while (got < sizeof chunk) {
            ssize_t n = read(p[0], chunk + got, sizeof chunk - got);
            UT_ASSERT(n > 0, "stream ended after %d chunks", i);
            got += (size_t)n;
        }
        for (size_t j = 1; j < sizeof chunk; j++)
            UT_ASSERT(chunk[j] == chunk[0], "chunk %d mixes writers '%c' and '%c' at byte %zu", i, chunk[0], chunk[j], j);
        int w = chunk[0] - 'A';
        UT_ASSERT(w >= 0 && w < WRITERS, "chunk %d from unknown writer '%c'", i, chunk[0]);
        counts[w]++;
    }
    for (int w = 0; w < WRITERS; w++) {
        UT_EQ(counts[w], CHUNKS);
        int status;
        wait(&status);
    }
}

UTEST_CASE(large_transfer_intact) {
    enum { TOTAL = 1 << 20 };
    int p[2];
    UT_OK(pipe(p));
    pid_t pid = ut_fork();
    if (pid == 0) {
        close(p[0]);
        static unsigned char buf[7919]; /* odd-sized writes */
        unsigned seq = 0;
        for (long sent = 0; sent < TOTAL;) {
            long n = TOTAL - sent < (long)sizeof buf ? TOTAL - sent : (long)sizeof buf;
            for (long i = 0; i < n; i++)
                buf[i] = (unsigned char)(seq++ * 31u);
            if (write(p[1], buf, (size_t)n) != n)
                _exit(1);
            sent += n;
        }
        _exit(0);
    }
    close(p[1]);
    static unsigned char buf[65536];
    unsigned seq = 0;
    long total = 0;
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++, seq++)
            UT_ASSERT(buf[i] == (unsigned char)(seq * 31u), "byte %u is wrong", seq);
        total += n;
    }
    UT_EQ(total, TOTAL);
    UT_WAIT_OK(pid);
}

UTEST_CASE(poll_reports_readiness) {
    int p[2];
    UT_OK(pipe(p));
    struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    UT_EQ(poll(fds, 2, 0), 1);
    UT_EQ(fds[0].revents, 0);
    UT_EQ(fds[1].revents, POLLOUT);
    UT_EQ(write(p[1], "x", 1), 1);
    UT_EQ(poll(fds, 1, 0), 1);
    UT_EQ(fds[0].revents, POLLIN);
    close(p[1]);
    char c;
    UT_EQ(read(p[0], &c, 1), 1);
    UT_EQ(poll(fds, 1, 0), 1);
    UT_ASSERT(fds[0].revents & POLLHUP, "revents %#x without POLLHUP after the writer closed", fds[0].revents);
}

UTEST_CASE(poll_wakes_when_data_arrives) {
    int p[2];
    UT_OK(pipe(p));
    pid_t pid = ut_fork();
    if (pid == 0) {
        ut_sleep_ms(100);
        write(p[1], "x", 1);
        _exit(0);
    }
    struct pollfd fd = {p[0], POLLIN, 0};
    UT_EQ(poll(&fd, 1, 10000), 1);
    UT_EQ(fd.revents, POLLIN);
    UT_WAIT_OK(pid);
}

UTEST_CASE(pipe2_cloexec) {
    int p[2];
    UT_OK(pipe2(p, O_CLOEXEC));
    UT_EQ(UT_OK(fcntl(p[0], F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
    UT_EQ(UT_OK(fcntl(p[1], F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
    UT_ERRNO(pipe2(p, 0x12345678), EINVAL);
}

UTEST_CASE(wrong_direction_ebadf) {
    int p[2];
    UT_OK(pipe(p));
    char c = 0;
    UT_ERRNO(write(p[0], &c, 1), EBADF);
    UT_ERRNO(read(p[1], &c, 1), EBADF);
    UT_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
}
