#include <fs/inode.hpp>
#include <fs/seek.hpp>
#include <fs/super.hpp>
#include <fs/uapi_fcntl.hpp>

Result<int64_t> generic_file_llseek(File* file, int64_t offset, int whence) {
    Inode* inode = file->inode;
    int64_t size;
    {
        FsMutexGuard guard(inode->lock);
        size = inode->size;
    }
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR:
        if (offset == 0) return file->pos;
        base = file->pos;
        break;
    case SEEK_END: base = size; break;
    case SEEK_DATA:
        if (offset < 0 || offset >= size) return Errno::ENXIO;
        base = 0;
        break;
    case SEEK_HOLE:
        if (offset < 0 || offset >= size) return Errno::ENXIO;
        base = 0;
        offset = size;
        break;
    default: return Errno::EINVAL;
    }
    int64_t target;
    if (__builtin_add_overflow(base, offset, &target)) return Errno::EINVAL;
    if (target < 0 || target > inode->sb->maxbytes) return Errno::EINVAL;
    file->pos = target;
    return target;
}

Result<int64_t> dir_llseek(File* file, int64_t offset, int whence) {
    if (whence == SEEK_CUR) {
        if (__builtin_add_overflow(offset, file->pos, &offset)) return Errno::EINVAL;
    } else if (whence != SEEK_SET) {
        return Errno::EINVAL;
    }
    if (offset < 0) return Errno::EINVAL;
    file->pos = offset;
    return offset;
}

Result<int64_t> null_llseek(File* file, int64_t, int) {
    file->pos = 0;
    return int64_t(0);
}

Result<int64_t> noop_llseek(File* file, int64_t, int) { return file->pos; }
