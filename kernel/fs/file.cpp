// Open file descriptions: creation, the open operation, and release on the last reference.
#include <fs/cred.hpp>
#include <fs/file.hpp>
#include <fs/inode.hpp>
#include <fs/uapi_fcntl.hpp>
#include <mm/slab.hpp>
#include <utility>

namespace {
Atomic<uint64_t> nr_files{0};

// open(2)'s flags that describe how the file was opened rather than how it behaves now are not kept
// (F_GETFL does not show them).
constexpr unsigned kOpenOnlyFlags = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;
}  // namespace

Result<RefPtr<File>> alloc_file(const Path& path, unsigned flags, const FileOperations* fops,
                                const Credentials& cred) {
    File* f = knew<File>();
    if (!f) return Errno::ENOMEM;
    f->opener_fsuid = cred.fsuid;
    f->opener_fsgid = cred.fsgid;
    nr_files.fetch_add(1, MemoryOrder::Relaxed);
    f->path = path;
    f->inode = path.dentry->inode;
    f->f_op = fops;
    f->flags = flags & ~kOpenOnlyFlags;
    if (flags & O_PATH) {
        f->fmode = FMODE_PATH;
        f->flags = flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW);
    } else {
        unsigned acc = flags & O_ACCMODE;
        if (acc == O_RDONLY || acc == O_RDWR) f->fmode |= FMODE_READ;
        if (acc == O_WRONLY || acc == O_RDWR) f->fmode |= FMODE_WRITE;
        if (fops && fops->llseek) f->fmode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
        if (f->inode->is_reg() || f->inode->is_dir()) f->fmode |= FMODE_ATOMIC_POS;
    }
    return adopt_ref(f);
}

Result<RefPtr<File>> vfs_open_path(const Path& path, unsigned flags, const Credentials& cred) {
    Inode* inode = path.dentry->inode;
    if (flags & O_PATH) return alloc_file(path, flags, nullptr, cred);
    if (!inode->i_fop) return Errno::ENXIO;
    RefPtr<File> f = TRY(alloc_file(path, flags, inode->i_fop, cred));
    if (f->f_op->open) {
        Result<void> r = f->f_op->open(inode, f.get());
        if (r.is_error()) {
            // The open did not happen: release must not run.
            f->f_op = nullptr;
            return r.error();
        }
    }
    return f;
}

void File::on_last_unref() {
    if (f_op && f_op->release) f_op->release(inode, this);
    nr_files.fetch_sub(1, MemoryOrder::Relaxed);
    kdelete(this);  // drops the path
}

uint64_t nr_open_files() { return nr_files.load(MemoryOrder::Relaxed); }
