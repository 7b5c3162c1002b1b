/* files: the basic file system calls on a writable file system (/tmp, or the initramfs root):
 * open/read/write/lseek/pread/pwrite/ftruncate, stat, getdents64, dup/dup2/fcntl, unlink, rename,
 * mkdir/rmdir, link/symlink/readlink, chdir/getcwd, with Linux's errnos. */
#include "utest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

static char path_buf[256];
static const char* scratch(const char* name) { return ut_scratch(path_buf, sizeof path_buf, name); }

static int create(const char* path, const char* contents) {
    int fd = UT_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
    size_t len = strlen(contents);
    UT_EQ(write(fd, contents, len), (long)len);
    return fd;
}

static void expect_contents(const char* path, const char* want) {
    int fd = UT_OK(open(path, O_RDONLY));
    char buf[256];
    ut_read_all(fd, buf, sizeof buf);
    close(fd);
    UT_ASSERT(strcmp(buf, want) == 0, "%s holds \"%s\", expected \"%s\"", path, buf, want);
}

UTEST_CASE(create_write_read) {
    const char* p = scratch("a");
    int fd = create(p, "hello, file");
    UT_EQ(lseek(fd, 0, SEEK_SET), 0);
    char buf[32] = {0};
    UT_EQ(read(fd, buf, sizeof buf), 11);
    UT_ASSERT(strcmp(buf, "hello, file") == 0, "read \"%s\"", buf);
    UT_EQ(read(fd, buf, sizeof buf), 0); /* at end of file */
    close(fd);
    expect_contents(p, "hello, file");
    UT_OK(unlink(p));
}

UTEST_CASE(lseek_whence_and_holes) {
    const char* p = scratch("seek");
    int fd = create(p, "0123456789");
    UT_EQ(lseek(fd, 3, SEEK_SET), 3);
    UT_EQ(lseek(fd, 2, SEEK_CUR), 5);
    UT_EQ(lseek(fd, -1, SEEK_END), 9);
    char c;
    UT_EQ(read(fd, &c, 1), 1);
    UT_EQ(c, '9');
    UT_ERRNO(lseek(fd, -100, SEEK_SET), EINVAL);
    UT_ERRNO(lseek(fd, 0, 42), EINVAL);
    UT_EQ(lseek(fd, 8192, SEEK_SET), 8192); /* a hole: reads back as zeros */
    UT_EQ(write(fd, "Z", 1), 1);
    struct stat st;
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_size, 8193);
    char buf[16];
    UT_EQ(pread(fd, buf, 16, 4000), 16);
    for (int i = 0; i < 16; i++)
        UT_EQ(buf[i], 0);
    close(fd);
    unlink(p);
}

UTEST_CASE(pread_pwrite_keep_offset) {
    const char* p = scratch("pio");
    int fd = create(p, "abcdef");
    UT_EQ(lseek(fd, 1, SEEK_SET), 1);
    UT_EQ(pwrite(fd, "XY", 2, 3), 2);
    char buf[8] = {0};
    UT_EQ(pread(fd, buf, 6, 0), 6);
    UT_ASSERT(strcmp(buf, "abcXYf") == 0, "pread \"%s\"", buf);
    UT_EQ(lseek(fd, 0, SEEK_CUR), 1);
    close(fd);
    unlink(p);
}

UTEST_CASE(truncate_and_append) {
    const char* p = scratch("trunc");
    int fd = create(p, "0123456789");
    UT_OK(ftruncate(fd, 4));
    struct stat st;
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_size, 4);
    close(fd);
    fd = UT_OK(open(p, O_WRONLY | O_APPEND));
    UT_EQ(lseek(fd, 0, SEEK_SET), 0);
    UT_EQ(write(fd, "ab", 2), 2); /* O_APPEND: at the end whatever the offset */
    close(fd);
    expect_contents(p, "0123ab");
    fd = UT_OK(open(p, O_WRONLY | O_TRUNC));
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_size, 0);
    close(fd);
    unlink(p);
}

UTEST_CASE(open_flags_and_errors) {
    const char* p = scratch("flags");
    int fd = create(p, "x");
    close(fd);
    UT_ERRNO(open(p, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    UT_ERRNO(open("/nonexistent-dir/file", O_RDONLY), ENOENT);
    UT_ERRNO(open("/nonexistent-dir/file", O_CREAT | O_WRONLY, 0644), ENOENT);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/below", p);
    UT_ERRNO(open(sub, O_RDONLY), ENOTDIR);
    UT_ERRNO(open("/", O_WRONLY), EISDIR);
    UT_ERRNO(open(p, O_RDONLY | O_DIRECTORY), ENOTDIR);
    fd = UT_OK(open(p, O_RDONLY));
    UT_ERRNO(write(fd, "y", 1), EBADF);
    close(fd);
    UT_ERRNO(read(fd, &fd, 1), EBADF);
    unlink(p);
}

UTEST_CASE(stat_reports_type_size_links) {
    const char* p = scratch("stat");
    int fd = create(p, "12345");
    UT_OK(fchmod(fd, 0640));
    struct stat st, st2;
    UT_OK(stat(p, &st));
    UT_ASSERT(S_ISREG(st.st_mode), "mode %o is not a regular file", st.st_mode);
    UT_EQ(st.st_mode & 07777, 0640);
    UT_EQ(st.st_size, 5);
    UT_EQ(st.st_nlink, 1);
    UT_EQ(st.st_uid, getuid());
    UT_OK(fstat(fd, &st2));
    UT_EQ(st.st_ino, st2.st_ino);
    UT_EQ(st.st_dev, st2.st_dev);
    UT_OK(stat("/", &st));
    UT_ASSERT(S_ISDIR(st.st_mode), "/ is not a directory (mode %o)", st.st_mode);
    UT_ERRNO(stat("/no/such/path", &st), ENOENT);
    close(fd);
    unlink(p);
}

UTEST_CASE(dup_shares_offset_dup2_replaces) {
    const char* p = scratch("dup");
    int fd = create(p, "abcdef");
    UT_EQ(lseek(fd, 0, SEEK_SET), 0);
    int d = UT_OK(dup(fd));
    char c;
    UT_EQ(read(fd, &c, 1), 1);
    UT_EQ(read(d, &c, 1), 1);
    UT_EQ(c, 'b'); /* one open file, one offset */
    int other = UT_OK(open(p, O_RDONLY));
    UT_EQ(dup2(other, d), d); /* d now refers to the other open file, at offset 0 */
    UT_EQ(read(d, &c, 1), 1);
    UT_EQ(c, 'a');
    UT_EQ(dup2(d, d), d);
    UT_ERRNO(dup2(1000, d), EBADF);
    UT_ERRNO(dup(1000), EBADF);
    close(fd);
    close(d);
    close(other);
    unlink(p);
}

UTEST_CASE(fcntl_fd_flags_and_dupfd) {
    const char* p = scratch("fcntl");
    int fd = create(p, "x");
    UT_EQ(UT_OK(fcntl(fd, F_GETFD)), 0);
    UT_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
    UT_EQ(UT_OK(fcntl(fd, F_GETFD)), FD_CLOEXEC);
    int d = UT_OK(fcntl(fd, F_DUPFD, 50));
    UT_ASSERT(d >= 50, "F_DUPFD 50 gave %d", d);
    UT_EQ(UT_OK(fcntl(d, F_GETFD)), 0); /* dups do not inherit FD_CLOEXEC */
    int d2 = UT_OK(fcntl(fd, F_DUPFD_CLOEXEC, 50));
    UT_ASSERT(d2 > d, "F_DUPFD_CLOEXEC 50 gave %d", d2);
    UT_EQ(UT_OK(fcntl(d2, F_GETFD)), FD_CLOEXEC);
    int fl = UT_OK(fcntl(fd, F_GETFL));
    UT_EQ(fl & O_ACCMODE, O_RDWR);
    UT_OK(fcntl(fd, F_SETFL, fl | O_APPEND));
    UT_ASSERT(UT_OK(fcntl(d, F_GETFL)) & O_APPEND, "file status flags are not shared by dups");
    UT_ERRNO(fcntl(1000, F_GETFD), EBADF);
    close(fd);
    close(d);
    close(d2);
    unlink(p);
}

UTEST_CASE(unlinked_file_stays_open) {
    const char* p = scratch("unlink");
    int fd = create(p, "still here");
    UT_OK(unlink(p));
    struct stat st;
    UT_ERRNO(stat(p, &st), ENOENT);
    UT_ERRNO(unlink(p), ENOENT);
    UT_OK(fstat(fd, &st));
    UT_EQ(st.st_nlink, 0);
    char buf[16] = {0};
    UT_EQ(pread(fd, buf, sizeof buf, 0), 10);
    UT_ASSERT(strcmp(buf, "still here") == 0, "read \"%s\"", buf);
    close(fd);
}

UTEST_CASE(rename_moves_and_replaces) {
    char a[256], b[256];
    ut_scratch(a, sizeof a, "ren-a");
    ut_scratch(b, sizeof b, "ren-b");
    close(create(a, "first"));
    close(create(b, "second"));
    UT_OK(rename(a, b)); /* replaces b atomically */
    struct stat st;
    UT_ERRNO(stat(a, &st), ENOENT);
    expect_contents(b, "first");
    UT_ERRNO(rename(a, b), ENOENT);
    UT_OK(rename(b, b)); /* same file: nothing happens */
    expect_contents(b, "first");
    UT_OK(unlink(b));
}

UTEST_CASE(mkdir_rmdir_rules) {
    char d[256], f[300];
    ut_scratch(d, sizeof d, "dir");
    UT_OK(mkdir(d, 0755));
    UT_ERRNO(mkdir(d, 0755), EEXIST);
    struct stat st;
    UT_OK(stat(d, &st));
    UT_ASSERT(S_ISDIR(st.st_mode), "mode %o", st.st_mode);
    snprintf(f, sizeof f, "%s/file", d);
    close(create(f, "x"));
    UT_ERRNO(rmdir(d), ENOTEMPTY);
    UT_ERRNO(rmdir(f), ENOTDIR);
    UT_ERRNO(unlink(d), EISDIR);
    UT_OK(unlink(f));
    UT_OK(rmdir(d));
    UT_ERRNO(rmdir(d), ENOENT);
}

UTEST_CASE(getdents_lists_entries) {
    char d[256], f[300];
    ut_scratch(d, sizeof d, "ls");
    UT_OK(mkdir(d, 0755));
    const char* names[] = {"alpha", "beta", "gamma"};
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s/%s", d, names[i]);
        close(create(f, ""));
    }
    snprintf(f, sizeof f, "%s/sub", d);
    UT_OK(mkdir(f, 0755));
    int fd = UT_OK(open(d, O_RDONLY | O_DIRECTORY));
    char buf[4096];
    int seen = 0, dots = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64* e = (struct dirent64*)(buf + off);
            for (int i = 0; i < 3; i++)
                if (strcmp(e->d_name, names[i]) == 0) {
                    seen |= 1 << i;
                    UT_EQ(e->d_type, DT_REG);
                }
            if (strcmp(e->d_name, "sub") == 0) {
                seen |= 8;
                UT_EQ(e->d_type, DT_DIR);
            }
            dots += strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
            UT_ASSERT(e->d_reclen > 0 && e->d_reclen % 8 == 0, "d_reclen %d", e->d_reclen);
            off += e->d_reclen;
        }
    }
    UT_EQ(n, 0);
    UT_EQ(seen, 0xf);
    UT_EQ(dots, 2);
    close(fd);
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s/%s", d, names[i]);
        unlink(f);
    }
    snprintf(f, sizeof f, "%s/sub", d);
    rmdir(f);
    rmdir(d);
}

UTEST_CASE(readdir_via_libc) {
    DIR* dir = opendir("/");
    UT_ASSERT(dir != NULL, "opendir(/): %s", ut_errno_name(errno));
    int count = 0;
    while (readdir(dir))
        count++;
    closedir(dir);
    UT_ASSERT(count >= 3, "/ has only %d entries", count);
}

UTEST_CASE(hard_and_symbolic_links) {
    char a[256], b[256], s[256];
    ut_scratch(a, sizeof a, "link-a");
    ut_scratch(b, sizeof b, "link-b");
    ut_scratch(s, sizeof s, "link-s");
    close(create(a, "linked"));
    UT_OK(link(a, b));
    struct stat st;
    UT_OK(stat(a, &st));
    UT_EQ(st.st_nlink, 2);
    UT_OK(symlink(a, s));
    char target[256] = {0};
    UT_EQ(readlink(s, target, sizeof target), (long)strlen(a));
    UT_ASSERT(strcmp(target, a) == 0, "readlink gave \"%s\"", target);
    UT_OK(lstat(s, &st));
    UT_ASSERT(S_ISLNK(st.st_mode), "lstat mode %o", st.st_mode);
    expect_contents(s, "linked");
    UT_OK(unlink(a));
    expect_contents(b, "linked");
    UT_ERRNO(open(s, O_RDONLY), ENOENT); /* dangling now */
    UT_ERRNO(link(a, b), ENOENT);
    unlink(b);
    unlink(s);
}

UTEST_CASE(chdir_and_getcwd) {
    char d[256], cwd[256];
    ut_scratch(d, sizeof d, "cwd");
    UT_OK(mkdir(d, 0755));
    UT_OK(chdir(d));
    UT_ASSERT(getcwd(cwd, sizeof cwd) != NULL, "getcwd: %s", ut_errno_name(errno));
    if (d[0] == '/')
        UT_ASSERT(strcmp(cwd, d) == 0, "getcwd \"%s\", expected \"%s\"", cwd, d);
    close(create("relative", "r"));
    char f[300];
    snprintf(f, sizeof f, "%s/relative", d);
    expect_contents(f, "r");
    UT_OK(unlink("relative"));
    UT_OK(chdir(".."));
    UT_OK(rmdir(d));
    UT_ERRNO(chdir(d), ENOENT);
    UT_ASSERT(getcwd(cwd, 1) == NULL && errno == ERANGE, "getcwd with a 1-byte buffer");
}
