// read, write, readv, writev, pread64, pwrite64, preadv, pwritev, lseek, sendfile: the data path from
// user buffers (IoIter::user) through the VFS.
#include <fs/syscall_util.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <mm/slab.hpp>
#include <syscalls/syscall.hpp>

namespace {

constexpr size_t UIO_MAXIOV = 1024;
constexpr size_t kFastIov = 8;  // iovecs kept on the stack

struct UserIovec {
    uint64_t iov_base;
    uint64_t iov_len;
};

// The iovec array in kernel memory, checked as Linux checks it (import_iovec): more than UIO_MAXIOV
// entries or a length that is negative as ssize_t is EINVAL, a segment outside user space EFAULT; the
// total is cut at MAX_RW_COUNT (later segments shrink or drop out).
class IovecImport {
public:
    ~IovecImport() {
        if (segs_ != fast_) kfree(segs_);
    }
    Result<IoIter> import(uint64_t uvec, uint64_t nr) {
        if (nr > UIO_MAXIOV) return Errno::EINVAL;
        if (nr > kFastIov) {
            segs_ = static_cast<IoSegment*>(kmalloc(nr * sizeof(IoSegment)));
            if (!segs_) return Errno::ENOMEM;
        }
        static_assert(sizeof(UserIovec) == sizeof(IoSegment));
        if (nr) TRY(copy_from_user(segs_, UserPtr<const void>(uvec), nr * sizeof(UserIovec)));
        uint64_t total = 0;
        for (size_t i = 0; i < nr; i++) {
            if (int64_t(segs_[i].len) < 0) return Errno::EINVAL;
            if (!access_ok(segs_[i].base, segs_[i].len)) return Errno::EFAULT;
            if (segs_[i].len > MAX_RW_COUNT - total) segs_[i].len = MAX_RW_COUNT - total;
            total += segs_[i].len;
        }
        return IoIter::user_vec(segs_, size_t(nr));
    }

private:
    IoSegment fast_[kFastIov];
    IoSegment* segs_ = fast_;
};

Result<IoIter> user_buffer(uint64_t buf, size_t count) {
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    if (!access_ok(buf, count)) return Errno::EFAULT;
    return IoIter::user(buf, count);
}

// pos < 0 is "at the file position" (readv/writev), else at pos (p* calls).
long do_readv(int fd, uint64_t uvec, uint64_t nr, int64_t pos, bool positioned) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    IovecImport iov;
    IoIter it = TRY_SYSCALL(iov.import(uvec, nr));
    if (positioned) return vfs_pread(*file, it, pos).to_syscall_return();
    return vfs_read(*file, it).to_syscall_return();
}

long do_writev(int fd, uint64_t uvec, uint64_t nr, int64_t pos, bool positioned) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    IovecImport iov;
    IoIter it = TRY_SYSCALL(iov.import(uvec, nr));
    if (positioned) return vfs_pwrite(*file, it, pos).to_syscall_return();
    return vfs_write(*file, it).to_syscall_return();
}

}  // namespace

SYSCALL_DEFINE3(read, int, fd, uint64_t, buf, size_t, count) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (!file->readable()) return -long(Errno::EBADF);
    IoIter it = TRY_SYSCALL(user_buffer(buf, count));
    return vfs_read(*file, it).to_syscall_return();
}

SYSCALL_DEFINE3(write, int, fd, uint64_t, buf, size_t, count) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (!file->writable()) return -long(Errno::EBADF);
    IoIter it = TRY_SYSCALL(user_buffer(buf, count));
    return vfs_write(*file, it).to_syscall_return();
}

SYSCALL_DEFINE4(pread64, int, fd, uint64_t, buf, size_t, count, int64_t, pos) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (!file->readable()) return -long(Errno::EBADF);
    IoIter it = TRY_SYSCALL(user_buffer(buf, count));
    return vfs_pread(*file, it, pos).to_syscall_return();
}

SYSCALL_DEFINE4(pwrite64, int, fd, uint64_t, buf, size_t, count, int64_t, pos) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    if (!file->writable()) return -long(Errno::EBADF);
    IoIter it = TRY_SYSCALL(user_buffer(buf, count));
    return vfs_pwrite(*file, it, pos).to_syscall_return();
}

SYSCALL_DEFINE3(readv, int, fd, uint64_t, vec, uint64_t, vlen) { return do_readv(fd, vec, vlen, 0, false); }
SYSCALL_DEFINE3(writev, int, fd, uint64_t, vec, uint64_t, vlen) { return do_writev(fd, vec, vlen, 0, false); }

// On 64-bit the position is all in pos_l (Linux's pos_from_hilo shifts pos_h out).
SYSCALL_DEFINE5(preadv, int, fd, uint64_t, vec, uint64_t, vlen, int64_t, pos_l, int64_t, pos_h) {
    (void)pos_h;
    if (pos_l < 0) return -long(Errno::EINVAL);
    return do_readv(fd, vec, vlen, pos_l, true);
}

SYSCALL_DEFINE5(pwritev, int, fd, uint64_t, vec, uint64_t, vlen, int64_t, pos_l, int64_t, pos_h) {
    (void)pos_h;
    if (pos_l < 0) return -long(Errno::EINVAL);
    return do_writev(fd, vec, vlen, pos_l, true);
}

SYSCALL_DEFINE3(lseek, int, fd, int64_t, offset, int, whence) {
    RefPtr<File> file = TRY_SYSCALL(fdget_io(fd));
    return vfs_llseek(*file, offset, whence).to_syscall_return();
}

// sendfile: through a kernel page, from `in` (at *offset if given, else its position) to `out`.
SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, uint64_t, uoffset, size_t, count) {
    RefPtr<File> in = TRY_SYSCALL(fdget_io(in_fd));
    RefPtr<File> out = TRY_SYSCALL(fdget_io(out_fd));
    if (!in->readable() || !out->writable()) return -long(Errno::EBADF);
    if (out->flags & O_APPEND) return -long(Errno::EINVAL);
    int64_t pos = 0;
    if (uoffset) {
        TRY_SYSCALL(get_user(pos, UserPtr<int64_t>(uoffset)));
        if (pos < 0) return -long(Errno::EINVAL);
        if (!(in->fmode & FMODE_PREAD)) return -long(Errno::ESPIPE);
    }
    if (count > MAX_RW_COUNT) count = MAX_RW_COUNT;
    constexpr size_t kChunk = 4096;
    char* buf = static_cast<char*>(kmalloc(kChunk));
    if (!buf) return -long(Errno::ENOMEM);
    size_t done = 0;
    Errno error = Errno(0);
    while (done < count) {
        size_t want = count - done < kChunk ? count - done : kChunk;
        IoIter to = IoIter::kernel(buf, want);
        Result<size_t> got = uoffset ? vfs_pread(*in, to, pos) : vfs_read(*in, to);
        if (got.is_error()) {
            error = got.error();
            break;
        }
        if (!got.value()) break;
        IoIter from = IoIter::kernel(static_cast<const void*>(buf), got.value());
        Result<size_t> put = vfs_write(*out, from);
        if (put.is_error()) {
            error = put.error();
            // The bytes read but not written must not count as consumed from the input position.
            if (!uoffset) (void)vfs_llseek(*in, -int64_t(got.value()), SEEK_CUR);
            break;
        }
        if (uoffset) pos += int64_t(put.value());
        else if (put.value() < got.value()) (void)vfs_llseek(*in, -int64_t(got.value() - put.value()), SEEK_CUR);
        done += put.value();
        if (put.value() < got.value() || got.value() < want) break;
    }
    kfree(buf);
    if (uoffset) TRY_SYSCALL(put_user(pos, UserPtr<int64_t>(uoffset)));
    if (!done && int(error)) return -long(error);
    return long(done);
}
