// Reading a generated /proc file (Linux's seq_file with single_open): the whole text is printed into a
// buffer when reading starts at position 0 (or first reads at all), and later reads continue through
// that snapshot, so one reader sees a consistent text across short reads. A buffer that turns out too
// small is doubled and the text printed again.
#include <fs/proc/internal.hpp>
#include <fs/uapi_fcntl.hpp>
#include <mm/slab.hpp>

namespace {

constexpr size_t kFirstBufferSize = 4096;
constexpr size_t kMaxBufferSize = 4u << 20;  // the largest block kmalloc hands out

struct GeneratedText {
    FsMutex lock;  // concurrent preads of one open file
    char* buf = nullptr;
    size_t len = 0;
    size_t capacity = kFirstBufferSize;
    bool valid = false;
};

Result<void> regenerate(GeneratedText* text, ProcInode* inode) {
    for (;;) {
        if (!text->buf) {
            text->buf = static_cast<char*>(kmalloc(text->capacity));
            if (!text->buf) return Errno::ENOMEM;
        }
        SeqBuf m(text->buf, text->capacity);
        TRY(inode->entry->show(m, inode));
        if (!m.overflowed()) {
            text->len = m.len();
            text->valid = true;
            return {};
        }
        if (text->capacity >= kMaxBufferSize) return Errno::ENOMEM;
        kfree(text->buf);
        text->buf = nullptr;
        text->capacity *= 2;
    }
}

Result<void> generated_open(Inode*, File* file) {
    GeneratedText* text = knew<GeneratedText>();
    if (!text) return Errno::ENOMEM;
    file->private_data = text;
    return {};
}

void generated_release(Inode*, File* file) {
    GeneratedText* text = static_cast<GeneratedText*>(file->private_data);
    if (!text) return;
    kfree(text->buf);
    kdelete(text);
}

Result<size_t> generated_read(File* file, IoIter& to, int64_t* pos) {
    GeneratedText* text = static_cast<GeneratedText*>(file->private_data);
    FsMutexGuard guard(text->lock);
    if (*pos == 0 || !text->valid) TRY(regenerate(text, PROC_I(file->inode)));
    if (*pos < 0 || uint64_t(*pos) >= text->len) return size_t(0);
    size_t n = text->len - size_t(*pos);
    if (n > to.count()) n = to.count();
    size_t copied = to.copy_to(text->buf + *pos, n);
    if (copied == 0 && n) return Errno::EFAULT;
    *pos += int64_t(copied);
    return copied;
}

// Positions are byte offsets into the text; there is no end to seek from (Linux's seq_lseek).
Result<int64_t> generated_llseek(File* file, int64_t offset, int whence) {
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = file->pos; break;
    default: return Errno::EINVAL;
    }
    if (offset < 0 && -offset > base) return Errno::EINVAL;
    file->pos = base + offset;
    return file->pos;
}

}  // namespace

const FileOperations proc_generated_file_operations = {
    .open = generated_open,
    .release = generated_release,
    .read = generated_read,
    .llseek = generated_llseek,
};
