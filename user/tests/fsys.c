/* fsys: the file system calls files.c does not cover: dup3/fcntl flags, readv/writev, sendfile,
 * statx, access/umask/utimensat, unlinkat/renameat2, close_range, poll/ppoll/select/pselect6 with
 * timeouts and signals, pipe reads interrupted by a signal, with Linux's errnos. */
#define _GNU_SOURCE
#include "utest.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

static char path_buf[256], path_buf2[256];
static const char* scratch(const char* name) { return ut_scratch(path_buf, sizeof path_buf, name); }
static const char* scratch2(const char* name) { return ut_scratch(path_buf2, sizeof path_buf2, name); }

static long elapsed_ms(const struct timespec* since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void on_alarm(int sig) { (void)sig; }

/* SIGALRM with a handler (flags: SA_RESTART or 0), sent by a child after `ms`; returns the child. */
static pid_t alarm_in_ms(int ms, int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    UT_OK(sigaction(SIGALRM, &sa, NULL));
    pid_t parent = getpid();
    pid_t child = UT_OK(fork());
    if (child == 0) {
        struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&d, NULL);
        kill(parent, SIGALRM);
        _exit(0);
    }
    return child;
}

UTEST_CASE(dup3_and_fcntl_flags) {
    int fd = UT_OK(open(scratch("f"), O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600));
    UT_ERRNO(dup3(fd, fd, 0), EINVAL);
    UT_ERRNO(dup3(fd, 50, O_NONBLOCK), EINVAL);
    UT_ERRNO(dup2(999999, 50), EBADF);
    UT_EQ(dup3(fd, 50, O_CLOEXEC), 50);
    UT_EQ(fcntl(50, F_GETFD), FD_CLOEXEC);
    UT_EQ(fcntl(fd, F_GETFD), 0);
    int fl = UT_OK(fcntl(fd, F_GETFL));
    UT_ASSERT((fl & O_ACCMODE) == O_RDWR && (fl & O_APPEND), "F_GETFL 0x%x", fl);
    UT_OK(fcntl(fd, F_SETFL, O_NONBLOCK)); /* clears O_APPEND, sets O_NONBLOCK; access mode stays */
    fl = UT_OK(fcntl(50, F_GETFL));        /* the same open file description */
    UT_ASSERT((fl & O_ACCMODE) == O_RDWR && !(fl & O_APPEND) && (fl & O_NONBLOCK), "F_GETFL 0x%x", fl);
    UT_EQ(fcntl(fd, F_DUPFD, 60), 60);
    UT_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
    UT_ERRNO(fcntl(fd, 12345), EINVAL);
    int on = 1;
    UT_OK(ioctl(fd, FIOCLEX));
    UT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    UT_OK(ioctl(fd, FIONCLEX));
    UT_EQ(fcntl(fd, F_GETFD), 0);
    UT_OK(ioctl(fd, FIONBIO, &on));
    UT_ERRNO(ioctl(fd, TIOCGWINSZ, &on), ENOTTY);
    UT_ERRNO(fcntl(999999, F_GETFD), EBADF);
    unlink(scratch("f"));
}

UTEST_CASE(readv_writev_and_sendfile) {
    int fd = UT_OK(open(scratch("v"), O_RDWR | O_CREAT | O_TRUNC, 0600));
    char a[] = "abc", b[] = "defgh";
    struct iovec out[2] = {{a, 3}, {b, 5}};
    UT_EQ(writev(fd, out, 2), 8);
    char x[4] = {0}, y[8] = {0};
    struct iovec in[2] = {{x, 2}, {y, 6}};
    UT_EQ(preadv(fd, in, 2, 1), 7);
    UT_ASSERT(memcmp(x, "bc", 2) == 0 && memcmp(y, "defgh", 5) == 0, "preadv got %s %s", x, y);
    UT_EQ(lseek(fd, 0, SEEK_CUR), 8); /* preadv leaves the position */
    struct iovec bad[1] = {{a, (size_t)-1}};
    UT_ERRNO(writev(fd, bad, 1), EINVAL);
    UT_ERRNO(syscall(SYS_readv, fd, in, 1025), EINVAL);
    UT_EQ(writev(fd, in, 0), 0);

    int out_fd = UT_OK(open(scratch2("w"), O_RDWR | O_CREAT | O_TRUNC, 0600));
    off_t off = 2;
    UT_EQ(sendfile(out_fd, fd, &off, 100), 6);
    UT_EQ(off, 8);
    UT_EQ(lseek(fd, 0, SEEK_CUR), 8); /* with an offset, the input position stays */
    char back[16] = {0};
    UT_EQ(pread(out_fd, back, sizeof back, 0), 6);
    UT_ASSERT(strcmp(back, "cdefgh") == 0, "sendfile copied \"%s\"", back);
    UT_ERRNO(sendfile(out_fd, 999999, NULL, 1), EBADF);
    close(out_fd);
    close(fd);
    unlink(scratch("v"));
    unlink(scratch2("w"));
}

UTEST_CASE(statx_and_fstatat_empty_path) {
    int fd = UT_OK(open(scratch("s"), O_RDWR | O_CREAT | O_TRUNC, 0640));
    UT_EQ(write(fd, "12345", 5), 5);
    struct statx stx;
    UT_OK(statx(AT_FDCWD, scratch("s"), 0, STATX_BASIC_STATS, &stx));
    UT_ASSERT((stx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, "mask 0x%x", stx.stx_mask);
    UT_EQ(stx.stx_size, 5);
    UT_EQ(stx.stx_mode & 07777, 0640);
    UT_ASSERT(S_ISREG(stx.stx_mode), "mode 0%o", stx.stx_mode);
    UT_ERRNO(statx(AT_FDCWD, scratch("s"), 0, 0x80000000u, &stx), EINVAL);
    UT_ERRNO(statx(AT_FDCWD, scratch("s"), 0x6000, STATX_BASIC_STATS, &stx), EINVAL);
    struct stat st;
    UT_OK(fstatat(fd, "", &st, AT_EMPTY_PATH));
    UT_EQ(st.st_size, 5);
    UT_ERRNO(fstatat(fd, "", &st, 0), ENOENT);
    UT_ERRNO(fstatat(fd, "x", &st, 0), ENOTDIR);
    UT_ERRNO(fstatat(AT_FDCWD, scratch("s"), &st, 0x8000), EINVAL);
    close(fd);
    unlink(scratch("s"));
}

UTEST_CASE(access_umask_utimensat) {
    mode_t old = umask(027);
    UT_EQ(umask(old), 027);
    umask(022);
    int fd = UT_OK(open(scratch("t"), O_RDWR | O_CREAT | O_TRUNC, 0777));
    struct stat st;
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_mode & 0777, 0755);
    UT_OK(access(scratch("t"), R_OK | W_OK));
    UT_ERRNO(access(scratch("t"), 8), EINVAL);
    UT_ERRNO(access(scratch("nope"), F_OK), ENOENT);
    UT_ERRNO(faccessat(AT_FDCWD, scratch("t"), F_OK, 0x8000), EINVAL);
    struct timespec times[2] = {{1000, 5}, {2000, 7}};
    UT_OK(utimensat(AT_FDCWD, scratch("t"), times, 0));
    UT_OK(stat(scratch("t"), &st));
    UT_EQ(st.st_atim.tv_sec, 1000);
    UT_EQ(st.st_mtim.tv_sec, 2000);
    UT_EQ(st.st_mtim.tv_nsec, 7);
    struct timespec omit_atime[2] = {{0, UTIME_OMIT}, {3000, 0}};
    UT_OK(futimens(fd, omit_atime));
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_atim.tv_sec, 1000);
    UT_EQ(st.st_mtim.tv_sec, 3000);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    UT_ERRNO(utimensat(AT_FDCWD, scratch("t"), bad, 0), EINVAL);
    UT_OK(utimensat(AT_FDCWD, scratch("t"), NULL, 0));
    UT_OK(stat(scratch("t"), &st));
    UT_ASSERT(st.st_mtim.tv_sec > 3000, "mtime now %ld", (long)st.st_mtim.tv_sec);
    UT_ERRNO(ftruncate(fd, -1), EINVAL);
    close(fd);
    fd = UT_OK(open(scratch("t"), O_RDONLY));
    UT_ERRNO(ftruncate(fd, 0), EINVAL); /* not open for writing */
    close(fd);
    unlink(scratch("t"));
}

UTEST_CASE(unlinkat_renameat2_readlinkat) {
    UT_OK(mkdir(scratch("d"), 0755));
    int dfd = UT_OK(open(scratch("d"), O_RDONLY | O_DIRECTORY));
    int fd = UT_OK(openat(dfd, "one", O_CREAT | O_WRONLY, 0600));
    close(fd);
    fd = UT_OK(openat(dfd, "two", O_CREAT | O_WRONLY, 0600));
    UT_EQ(write(fd, "2", 1), 1);
    close(fd);
    UT_ERRNO(renameat2(dfd, "one", dfd, "two", RENAME_NOREPLACE), EEXIST);
    UT_OK(renameat2(dfd, "one", dfd, "two", RENAME_EXCHANGE));
    struct stat st;
    UT_OK(fstatat(dfd, "one", &st, 0));
    UT_EQ(st.st_size, 1);
    UT_ERRNO(renameat2(dfd, "one", dfd, "two", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
    UT_OK(symlinkat("two", dfd, "link"));
    char buf[16] = {0};
    UT_EQ(readlinkat(dfd, "link", buf, sizeof buf), 3);
    UT_ASSERT(strcmp(buf, "two") == 0, "readlinkat \"%s\"", buf);
    UT_ERRNO(readlinkat(dfd, "one", buf, sizeof buf), EINVAL);
    UT_ERRNO(readlinkat(dfd, "link", buf, 0), EINVAL);
    UT_OK(mkdirat(dfd, "sub", 0755));
    UT_ERRNO(unlinkat(dfd, "sub", 0), EISDIR);
    UT_ERRNO(unlinkat(dfd, "one", AT_REMOVEDIR), ENOTDIR);
    UT_ERRNO(unlinkat(dfd, "one", 0x1), EINVAL);
    UT_OK(unlinkat(dfd, "sub", AT_REMOVEDIR));
    UT_OK(unlinkat(dfd, "one", 0));
    UT_OK(unlinkat(dfd, "two", 0));
    UT_OK(unlinkat(dfd, "link", 0));
    UT_ERRNO(openat(fd, "x", O_RDONLY), EBADF); /* fd is closed */
    close(dfd);
    UT_OK(rmdir(scratch("d")));
}

UTEST_CASE(getcwd_fchdir_erange) {
    UT_OK(mkdir(scratch("cwd"), 0755));
    int dfd = UT_OK(open(scratch("cwd"), O_RDONLY | O_DIRECTORY));
    UT_OK(fchdir(dfd));
    char buf[256];
    UT_ASSERT(getcwd(buf, sizeof buf) != NULL, "getcwd: %s", strerror(errno));
    UT_ASSERT(strcmp(buf, scratch("cwd")) == 0, "cwd \"%s\"", buf);
    UT_EQ(syscall(SYS_getcwd, buf, 2), -1);
    UT_EQ(errno, ERANGE);
    UT_EQ(syscall(SYS_getcwd, buf, sizeof buf), (long)strlen(buf) + 1);
    int fd = UT_OK(open(scratch2("plain"), O_CREAT | O_WRONLY, 0600));
    UT_ERRNO(fchdir(fd), ENOTDIR);
    close(fd);
    unlink(scratch2("plain"));
    UT_OK(chdir(".."));
    close(dfd);
    UT_OK(rmdir(scratch("cwd")));
}

UTEST_CASE(close_range_closes_and_marks) {
    for (int i = 0; i < 3; i++) UT_EQ(dup2(0 + 1, 40 + i), 40 + i);
    UT_OK(syscall(SYS_close_range, 41, 41, 4 /* CLOSE_RANGE_CLOEXEC */));
    UT_EQ(fcntl(41, F_GETFD), FD_CLOEXEC);
    UT_OK(syscall(SYS_close_range, 40, ~0u, 0));
    UT_ERRNO(fcntl(40, F_GETFD), EBADF);
    UT_ERRNO(fcntl(42, F_GETFD), EBADF);
    UT_ERRNO(syscall(SYS_close_range, 5, 4, 0), EINVAL);
    UT_ERRNO(syscall(SYS_close_range, 0, 1, 0x100), EINVAL);
}

UTEST_CASE(poll_timeout_and_nval) {
    int p[2];
    UT_OK(pipe(p));
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {-1, POLLIN, 0}, {999, POLLIN, 0}};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    UT_EQ(poll(fds, 3, 0), 1); /* only the bad descriptor: POLLNVAL */
    UT_EQ(fds[2].revents, POLLNVAL);
    UT_EQ(fds[1].revents, 0);
    UT_EQ(poll(fds, 1, 100), 0);
    long ms = elapsed_ms(&t0);
    UT_ASSERT(ms >= 95 && ms < 2000, "poll(100 ms) took %ld ms", ms);
    close(p[1]);
    UT_EQ(poll(fds, 1, -1), 1); /* no writer left: hang-up */
    UT_ASSERT(fds[0].revents & POLLHUP, "revents 0x%x", fds[0].revents);
    struct timespec ts = {0, 50 * 1000000};
    UT_EQ(ppoll(fds, 1, &ts, NULL), 1);
    UT_ERRNO(syscall(SYS_poll, fds, 1u << 30, 0), EINVAL);
    UT_ERRNO(syscall(SYS_poll, 8L, 1, 0), EFAULT);
    close(p[0]);
}

UTEST_CASE(select_readiness_and_timeout) {
    int p[2];
    UT_OK(pipe(p));
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    struct timeval tv = {0, 0};
    UT_EQ(select(p[1] + 1, &rd, &wr, NULL, &tv), 1); /* writable, not readable */
    UT_ASSERT(!FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr), "select sets");
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv.tv_sec = 0;
    tv.tv_usec = 80000;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    UT_EQ(select(p[0] + 1, &rd, NULL, NULL, &tv), 0);
    long ms = elapsed_ms(&t0);
    UT_ASSERT(ms >= 75 && ms < 2000, "select(80 ms) took %ld ms", ms);
    UT_ASSERT(tv.tv_sec == 0 && tv.tv_usec == 0, "time left %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
    UT_EQ(write(p[1], "x", 1), 1);
    FD_SET(p[0], &rd);
    UT_EQ(select(p[0] + 1, &rd, NULL, NULL, NULL), 1);
    UT_ASSERT(FD_ISSET(p[0], &rd), "readable");
    FD_ZERO(&rd);
    FD_SET(p[1] + 5, &rd);
    UT_ERRNO(select(p[1] + 6, &rd, NULL, NULL, NULL), EBADF);
    UT_ERRNO(select(-1, NULL, NULL, NULL, NULL), EINVAL);
    tv.tv_sec = -1;
    UT_ERRNO(select(0, NULL, NULL, NULL, &tv), EINVAL);
    close(p[0]);
    close(p[1]);
}

UTEST_CASE(signal_interrupts_poll_and_pipe_read) {
    int p[2];
    UT_OK(pipe(p));
    struct pollfd fd = {p[0], POLLIN, 0};
    pid_t killer = alarm_in_ms(50, SA_RESTART);
    UT_ERRNO(poll(&fd, 1, -1), EINTR); /* poll is never restarted after a handler */
    UT_WAIT_OK(killer);
    killer = alarm_in_ms(50, 0);
    char c;
    UT_ERRNO(read(p[0], &c, 1), EINTR);
    UT_WAIT_OK(killer);
    /* With SA_RESTART the read goes on after the handler and gets the byte written later. */
    pid_t child = UT_OK(fork());
    if (child == 0) {
        struct timespec d = {0, 200 * 1000000};
        nanosleep(&d, NULL);
        write(p[1], "z", 1);
        _exit(0);
    }
    killer = alarm_in_ms(50, SA_RESTART);
    UT_EQ(read(p[0], &c, 1), 1);
    UT_EQ(c, 'z');
    UT_WAIT_OK(child);
    UT_WAIT_OK(killer);
    close(p[0]);
    close(p[1]);
}

UTEST_CASE(pselect6_and_ppoll_swap_sigmask) {
    /* SIGUSR1 blocked and pending: the temporary mask unblocks it, so the wait ends with EINTR
     * after the handler ran, and the old mask (SIGUSR1 blocked) is back afterwards. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    UT_OK(sigaction(SIGUSR1, &sa, NULL));
    sigset_t block, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    UT_OK(sigprocmask(SIG_BLOCK, &block, NULL));
    UT_OK(raise(SIGUSR1));
    int p[2];
    UT_OK(pipe(p));
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    UT_ERRNO(pselect(p[0] + 1, &rd, NULL, NULL, NULL, &empty), EINTR);
    UT_OK(sigprocmask(SIG_BLOCK, NULL, &now));
    UT_ASSERT(sigismember(&now, SIGUSR1), "mask restored after pselect");
    UT_OK(raise(SIGUSR1));
    struct pollfd fd = {p[0], POLLIN, 0};
    UT_ERRNO(ppoll(&fd, 1, NULL, &empty), EINTR);
    UT_OK(sigprocmask(SIG_BLOCK, NULL, &now));
    UT_ASSERT(sigismember(&now, SIGUSR1), "mask restored after ppoll");
    /* Nothing pending: a timeout returns 0 with the mask restored at once. */
    struct timespec ts = {0, 20 * 1000000};
    UT_EQ(ppoll(&fd, 1, &ts, &empty), 0);
    UT_OK(sigprocmask(SIG_BLOCK, NULL, &now));
    UT_ASSERT(sigismember(&now, SIGUSR1), "mask restored after a ppoll timeout");
    close(p[0]);
    close(p[1]);
}
