// getdents64: a directory's entries as linux_dirent64 records.
#include <fs/inode.hpp>
#include <fs/vfs.hpp>
#include <lib/string.hpp>

namespace {

class Getdents64Context final : public DirContext {
public:
    explicit Getdents64Context(IoIter& out) : out_(out) {}

    size_t written() const { return written_; }
    bool too_small() const { return too_small_; }
    bool fault() const { return fault_; }

protected:
    bool accept(const char* name, size_t len, uint64_t ino, uint8_t type, int64_t next_pos) override {
        size_t reclen = (offsetof(LinuxDirent64, d_name) + len + 1 + 7) & ~size_t(7);
        if (reclen > out_.count()) {
            if (written_ == 0) too_small_ = true;
            return false;
        }
        // Built on the stack: NAME_MAX bounds a record to 280 bytes.
        alignas(8) char record[offsetof(LinuxDirent64, d_name) + NAME_MAX + 1 + 8];
        memset(record, 0, reclen);
        auto* d = reinterpret_cast<LinuxDirent64*>(record);
        d->d_ino = ino;
        d->d_off = next_pos;
        d->d_reclen = uint16_t(reclen);
        d->d_type = type;
        memcpy(d->d_name, name, len);
        if (out_.copy_to(record, reclen) != reclen) {
            fault_ = true;
            return false;
        }
        written_ += reclen;
        return true;
    }

private:
    IoIter& out_;
    size_t written_ = 0;
    bool too_small_ = false;
    bool fault_ = false;
};

}  // namespace

Result<size_t> vfs_getdents64(File& file, IoIter& to) {
    if (file.fmode & FMODE_PATH) return Errno::EBADF;
    if (!file.f_op || !file.f_op->iterate) return Errno::ENOTDIR;
    FsMutexGuard pos_guard(file.pos_lock);
    Inode* inode = file.inode;
    Getdents64Context ctx(to);
    ctx.pos = file.pos;
    {
        FsMutexGuard guard(inode->lock);
        if (inode->nlink == 0) return Errno::ENOENT;  // removed directory
        TRY(file.f_op->iterate(&file, ctx));
    }
    file.pos = ctx.pos;
    if (ctx.too_small()) return Errno::EINVAL;
    if (ctx.fault() && ctx.written() == 0) return Errno::EFAULT;
    return ctx.written();
}
