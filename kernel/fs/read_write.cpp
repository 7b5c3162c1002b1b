// read, write, pread, pwrite, lseek: the checks of Linux's vfs_read/vfs_write/ksys_lseek, the file
// position and its lock, then the file's own operation.
#include <fs/inode.hpp>
#include <fs/super.hpp>
#include <fs/vfs.hpp>

namespace {

// Linux's rw_verify_area for files with positions: a transfer must not run past the largest offset.
Result<void> verify_area(int64_t pos, size_t count) {
    if (pos < 0) return Errno::EINVAL;
    if (count > uint64_t(INT64_MAX - pos)) return Errno::EINVAL;
    return {};
}

// "relatime": the access time is updated when it is older than the last change or a day old.
void file_accessed(File& file) {
    if (file.flags & O_NOATIME) return;
    Inode* inode = file.inode;
    if (inode->sb->read_only() || file.path.mnt->read_only()) return;
    Timespec64 now = current_time();
    FsMutexGuard guard(inode->lock);
    auto before = [](const Timespec64& a, const Timespec64& b) {
        return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
    };
    if (before(inode->atime, inode->mtime) || before(inode->atime, inode->ctime) ||
        now.tv_sec - inode->atime.tv_sec >= 24 * 3600)
        inode->atime = now;
}

class PosGuard {
public:
    explicit PosGuard(File& file) : file_(file), locked_(file.fmode & FMODE_ATOMIC_POS) {
        if (locked_) file_.pos_lock.lock();
    }
    ~PosGuard() {
        if (locked_) file_.pos_lock.unlock();
    }
    PosGuard(const PosGuard&) = delete;
    PosGuard& operator=(const PosGuard&) = delete;

private:
    File& file_;
    bool locked_;
};

Result<size_t> do_read(File& file, IoIter& to, int64_t* pos) {
    if (!(file.fmode & FMODE_READ)) return Errno::EBADF;
    if (!file.f_op || !file.f_op->read) return file.inode->is_dir() ? Errno::EISDIR : Errno::EINVAL;
    to.truncate(MAX_RW_COUNT);
    if (file.fmode & FMODE_LSEEK) TRY(verify_area(*pos, to.count()));
    if (to.count() == 0) return size_t(0);
    size_t n = TRY(file.f_op->read(&file, to, pos));
    if (n && file.inode->is_reg()) file_accessed(file);
    return n;
}

Result<size_t> do_write(File& file, IoIter& from, int64_t* pos) {
    if (!(file.fmode & FMODE_WRITE)) return Errno::EBADF;
    if (!file.f_op || !file.f_op->write) return Errno::EINVAL;
    from.truncate(MAX_RW_COUNT);
    if (file.fmode & FMODE_LSEEK) TRY(verify_area(*pos, from.count()));
    if (from.count() == 0) return size_t(0);
    return file.f_op->write(&file, from, pos);
}

}  // namespace

Result<size_t> vfs_read(File& file, IoIter& to) {
    PosGuard guard(file);
    int64_t pos = file.pos;
    size_t n = TRY(do_read(file, to, &pos));
    file.pos = pos;
    return n;
}

Result<size_t> vfs_write(File& file, IoIter& from) {
    PosGuard guard(file);
    int64_t pos = file.pos;
    size_t n = TRY(do_write(file, from, &pos));
    file.pos = pos;
    return n;
}

Result<size_t> vfs_pread(File& file, IoIter& to, int64_t pos) {
    if (pos < 0) return Errno::EINVAL;
    if (!(file.fmode & FMODE_PREAD)) return (file.fmode & FMODE_PATH) ? Errno::EBADF : Errno::ESPIPE;
    return do_read(file, to, &pos);
}

Result<size_t> vfs_pwrite(File& file, IoIter& from, int64_t pos) {
    if (pos < 0) return Errno::EINVAL;
    if (!(file.fmode & FMODE_PWRITE)) return (file.fmode & FMODE_PATH) ? Errno::EBADF : Errno::ESPIPE;
    return do_write(file, from, &pos);
}

Result<size_t> kernel_read(File& file, void* buf, size_t len, int64_t pos) {
    IoIter to = IoIter::kernel(buf, len);
    return vfs_pread(file, to, pos);
}

Result<size_t> kernel_write(File& file, const void* buf, size_t len, int64_t pos) {
    IoIter from = IoIter::kernel(buf, len);
    return vfs_pwrite(file, from, pos);
}

Result<int64_t> vfs_llseek(File& file, int64_t offset, int whence) {
    if (whence < SEEK_SET || whence > SEEK_HOLE) return Errno::EINVAL;
    if (file.fmode & FMODE_PATH) return Errno::EBADF;
    if (!(file.fmode & FMODE_LSEEK) || !file.f_op || !file.f_op->llseek) return Errno::ESPIPE;
    PosGuard guard(file);
    return file.f_op->llseek(&file, offset, whence);
}

Result<long> vfs_ioctl(File& file, unsigned cmd, unsigned long arg) {
    if (file.fmode & FMODE_PATH) return Errno::EBADF;
    if (!file.f_op || !file.f_op->ioctl) return Errno::ENOTTY;
    return file.f_op->ioctl(&file, cmd, arg);
}

unsigned vfs_poll(File& file, PollTable* table) {
    if (file.fmode & FMODE_PATH) return POLLNVAL;
    if (!file.f_op || !file.f_op->poll) return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
    return file.f_op->poll(&file, table);
}
