// Pipes and FIFOs: the ring, reading and writing with their waits, FIFO opens, and pipefs.
#include <fs/cred.hpp>
#include <fs/dentry.hpp>
#include <fs/libfs.hpp>
#include <fs/pipe.hpp>
#include <fs/poll.hpp>
#include <fs/super.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/string.hpp>
#include <lib/vsprintf.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <mm/slab.hpp>

void (*pipe_sigpipe_hook)() = nullptr;

namespace {

constexpr uint64_t kCapacity = PipeInfo::kCapacity;

PipeInfo* alloc_pipe() { return knew<PipeInfo>(); }

void free_pipe(PipeInfo* p) {
    if (!p) return;
    for (Page*& page : p->pages) {
        if (page) put_page(page);
        page = nullptr;
    }
    kdelete(p);
}

char* ring_address(PipeInfo* p, uint64_t pos) {
    return static_cast<char*>(page_address(p->pages[(pos / kPageSize) % kPipeDefPages])) + pos % kPageSize;
}

// Copies n bytes (all present) from the ring at `pos` into `to`; returns how many (fewer on a fault).
size_t ring_read(PipeInfo* p, uint64_t pos, IoIter& to, size_t n) {
    size_t done = 0;
    while (done < n) {
        size_t chunk = kPageSize - (pos + done) % kPageSize;
        if (chunk > n - done) chunk = n - done;
        size_t copied = to.copy_to(ring_address(p, pos + done), chunk);
        done += copied;
        if (copied < chunk) break;
    }
    return done;
}

// Copies up to n bytes (that fit) from `from` into the ring at `pos`, allocating pages on the way.
size_t ring_write(PipeInfo* p, uint64_t pos, IoIter& from, size_t n, Errno& error) {
    size_t done = 0;
    while (done < n) {
        Page*& page = p->pages[((pos + done) / kPageSize) % kPipeDefPages];
        if (!page && !(page = alloc_pages(GFP_KERNEL, 0))) {
            error = Errno::ENOMEM;
            break;
        }
        size_t chunk = kPageSize - (pos + done) % kPageSize;
        if (chunk > n - done) chunk = n - done;
        size_t copied = from.copy_from(ring_address(p, pos + done), chunk);
        done += copied;
        if (copied < chunk) {
            error = Errno::EFAULT;
            break;
        }
    }
    return done;
}

// An empty pipe keeps only the page the next write goes to.
void drop_spare_pages(PipeInfo* p) {
    unsigned keep = unsigned((p->head.load(MemoryOrder::Relaxed) / kPageSize) % kPipeDefPages);
    for (unsigned i = 0; i < kPipeDefPages; i++) {
        if (i != keep && p->pages[i]) {
            put_page(p->pages[i]);
            p->pages[i] = nullptr;
        }
    }
}

Result<size_t> pipe_read(File* file, IoIter& to, int64_t*) {
    PipeInfo* p = file->inode->pipe;
    p->mutex.lock();
    for (;;) {
        uint64_t tail = p->tail.load(MemoryOrder::Relaxed);
        uint64_t avail = p->head.load(MemoryOrder::Relaxed) - tail;
        if (avail) {
            size_t n = avail < to.count() ? size_t(avail) : to.count();
            size_t copied = ring_read(p, tail, to, n);
            p->tail.store(tail + copied, MemoryOrder::Release);
            if (p->used() == 0) drop_spare_pages(p);
            p->mutex.unlock();
            if (copied) wake_up_interruptible_all(p->wr_wait);
            if (copied == 0) return Errno::EFAULT;
            return copied;
        }
        if (p->writers.load(MemoryOrder::Relaxed) == 0) break;  // end of file
        if (file->flags & O_NONBLOCK) {
            p->mutex.unlock();
            return Errno::EAGAIN;
        }
        p->mutex.unlock();
        TRY(wait_event_interruptible(p->rd_wait, [p] { return p->used() || !p->writers.load(); }));
        p->mutex.lock();
    }
    p->mutex.unlock();
    return size_t(0);
}

Result<size_t> pipe_write(File* file, IoIter& from, int64_t*) {
    PipeInfo* p = file->inode->pipe;
    // Up to PIPE_BUF bytes go in at once or not at all.
    bool atomic = from.count() <= PIPE_BUF;
    size_t done = 0;
    Errno error = Errno::OK;
    p->mutex.lock();
    for (;;) {
        if (p->readers.load(MemoryOrder::Relaxed) == 0) {
            error = Errno::EPIPE;
            break;
        }
        uint64_t head = p->head.load(MemoryOrder::Relaxed);
        uint64_t space = kCapacity - (head - p->tail.load(MemoryOrder::Relaxed));
        size_t want = from.count();
        if (space && (!atomic || space >= want)) {
            size_t n = space < want ? size_t(space) : want;
            size_t copied = ring_write(p, head, from, n, error);
            p->head.store(head + copied, MemoryOrder::Release);
            done += copied;
            if (copied) wake_up_interruptible_all(p->rd_wait);
            if (error != Errno::OK || from.count() == 0) break;
            continue;
        }
        if (file->flags & O_NONBLOCK) {
            if (!done) error = Errno::EAGAIN;
            break;
        }
        p->mutex.unlock();
        size_t need = atomic ? want : 1;
        Result<void> woke = wait_event_interruptible(p->wr_wait, [p, need] {
            return !p->readers.load() || kCapacity - p->used() >= need;
        });
        p->mutex.lock();
        if (woke.is_error()) {
            if (!done) error = woke.error();
            break;
        }
    }
    p->mutex.unlock();
    if (error == Errno::EPIPE && pipe_sigpipe_hook) pipe_sigpipe_hook();
    if (done) return done;
    return error;
}

unsigned pipe_poll(File* file, PollTable* table) {
    PipeInfo* p = file->inode->pipe;
    if (file->fmode & FMODE_READ) poll_wait(file, p->rd_wait, table);
    if (file->fmode & FMODE_WRITE) poll_wait(file, p->wr_wait, table);
    unsigned mask = 0;
    if (file->fmode & FMODE_READ) {
        if (p->used()) mask |= POLLIN | POLLRDNORM;
        if (!p->writers.load()) mask |= POLLHUP;
    }
    if (file->fmode & FMODE_WRITE) {
        if (kCapacity - p->used() >= PIPE_BUF) mask |= POLLOUT | POLLWRNORM;
        if (!p->readers.load()) mask |= POLLERR;
    }
    return mask;
}

bool is_fifo(const Inode* inode) { return inode->sb->magic != PIPEFS_MAGIC; }

// A FIFO's pipe goes when its last open file does.
void fifo_put_pipe(Inode* inode) {
    PipeInfo* victim = nullptr;
    {
        FsMutexGuard guard(inode->lock);
        if (--inode->pipe->files == 0) {
            victim = inode->pipe;
            inode->pipe = nullptr;
        }
    }
    free_pipe(victim);
}

void pipe_release(Inode* inode, File* file) {
    PipeInfo* p = inode->pipe;
    p->mutex.lock();
    if (file->fmode & FMODE_READ) p->readers.fetch_sub(1);
    if (file->fmode & FMODE_WRITE) p->writers.fetch_sub(1);
    p->mutex.unlock();
    // Readers see end of file, writers EPIPE.
    wake_up_interruptible_all(p->rd_wait);
    wake_up_interruptible_all(p->wr_wait);
    if (is_fifo(inode)) fifo_put_pipe(inode);
}

// Waits until `counter` moves on from `seen` (the other side opened). ERESTARTSYS on a signal.
Result<void> wait_for_partner(WaitQueueHead& wq, Atomic<unsigned>& counter, unsigned seen) {
    return wait_event_interruptible(wq, [&] { return counter.load() != seen; });
}

Result<void> fifo_open(Inode* inode, File* file) {
    PipeInfo* p;
    {
        FsMutexGuard guard(inode->lock);
        if (!inode->pipe && !(inode->pipe = alloc_pipe())) return Errno::ENOMEM;
        p = inode->pipe;
        p->files++;
    }
    bool nonblock = file->flags & O_NONBLOCK;
    Result<void> result;
    p->mutex.lock();
    switch (file->flags & O_ACCMODE) {
    case O_RDONLY: {
        p->r_counter.fetch_add(1);
        p->readers.fetch_add(1);
        unsigned writers_seen = p->w_counter.load();
        bool wait = !p->writers.load() && !nonblock;
        p->mutex.unlock();
        wake_up_interruptible_all(p->wr_wait);  // writers waiting for a reader
        if (wait) result = wait_for_partner(p->rd_wait, p->w_counter, writers_seen);
        if (result.is_error()) {
            p->readers.fetch_sub(1);
            wake_up_interruptible_all(p->wr_wait);
        }
        break;
    }
    case O_WRONLY: {
        if (!p->readers.load() && nonblock) {
            p->mutex.unlock();
            result = Errno::ENXIO;
            break;
        }
        p->w_counter.fetch_add(1);
        p->writers.fetch_add(1);
        unsigned readers_seen = p->r_counter.load();
        bool wait = !p->readers.load();
        p->mutex.unlock();
        wake_up_interruptible_all(p->rd_wait);  // readers waiting for a writer
        if (wait) result = wait_for_partner(p->wr_wait, p->r_counter, readers_seen);
        if (result.is_error()) {
            p->writers.fetch_sub(1);
            wake_up_interruptible_all(p->rd_wait);
        }
        break;
    }
    case O_RDWR:
        // Both ends at once: never waits (POSIX leaves it undefined; Linux allows it).
        p->r_counter.fetch_add(1);
        p->w_counter.fetch_add(1);
        p->readers.fetch_add(1);
        p->writers.fetch_add(1);
        p->mutex.unlock();
        wake_up_interruptible_all(p->rd_wait);
        wake_up_interruptible_all(p->wr_wait);
        break;
    default:
        p->mutex.unlock();
        result = Errno::EINVAL;
        break;
    }
    if (result.is_error()) fifo_put_pipe(inode);
    return result;
}

// --- pipefs -----------------------------------------------------------------------------------------

void pipefs_evict_inode(Inode* inode) {
    free_pipe(inode->pipe);
    inode->pipe = nullptr;
}

const SuperOperations pipefs_super_operations = {
    .evict_inode = pipefs_evict_inode,
};

Result<SuperBlock*> pipefs_mount(FileSystemType* type, unsigned long, const char*, const char*) {
    SuperBlock* sb = TRY(alloc_super(type, &pipefs_super_operations));
    sb->magic = PIPEFS_MAGIC;
    Inode* root = new_inode(sb);
    if (!root || !(sb->root = d_make_root(root))) {
        if (root) root->unref();
        generic_shutdown_super(sb);
        return Errno::ENOMEM;
    }
    root->mode = S_IFDIR | 0700;
    root->nlink = 2;
    root->i_op = &simple_dir_inode_operations;
    root->i_fop = &simple_dir_operations;
    return sb;
}

// Not registered: nobody mounts pipefs, it only names the pipes.
FileSystemType pipefs_fs_type = {
    .name = "pipefs",
    .fs_flags = 0,
    .mount = pipefs_mount,
    .kill_sb = generic_shutdown_super,
    .next = nullptr,
};

FsMutex pipe_mnt_lock;
RefPtr<Mount> pipe_mnt;

}  // namespace

const FileOperations pipefifo_fops = {
    .open = fifo_open,
    .release = pipe_release,
    .read = pipe_read,
    .write = pipe_write,
    .poll = pipe_poll,
};

Result<void> pipe_init() {
    FsMutexGuard guard(pipe_mnt_lock);
    if (!pipe_mnt) pipe_mnt = TRY(vfs_kern_mount(&pipefs_fs_type, 0, "pipefs", nullptr));
    return {};
}

void pipe_exit() {
    RefPtr<Mount> old;
    {
        FsMutexGuard guard(pipe_mnt_lock);
        old = static_cast<RefPtr<Mount>&&>(pipe_mnt);
    }
}

Result<PipeFiles> create_pipe_files(int flags, const Credentials& cred) {
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return Errno::EINVAL;
    RefPtr<Mount> mnt;
    {
        FsMutexGuard guard(pipe_mnt_lock);
        mnt = pipe_mnt;
    }
    if (!mnt) return Errno::ENODEV;
    SuperBlock* sb = mnt->sb;

    Inode* inode = new_inode(sb);
    if (!inode) return Errno::ENOMEM;
    inode->mode = S_IFIFO | 0600;
    inode->uid = cred.fsuid;
    inode->gid = cred.fsgid;
    inode->i_fop = &pipefifo_fops;
    inode->pipe = alloc_pipe();
    if (!inode->pipe) {
        inode->unref();
        return Errno::ENOMEM;
    }
    PipeInfo* p = inode->pipe;
    p->readers.store(1);
    p->writers.store(1);
    p->r_counter.store(1);
    p->w_counter.store(1);

    char name[32];
    int len = ksnprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)inode->ino);
    Dentry* d = d_alloc(sb->root, name, size_t(len));
    if (!d) {
        inode->unref();
        return Errno::ENOMEM;
    }
    d_instantiate(d, inode);
    Path path{mnt, adopt_ref(d)};
    // Each end releases its side when it goes; until both exist, make the missing one look closed.
    Result<RefPtr<File>> read_end = alloc_file(path, O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops, cred);
    if (read_end.is_error()) {
        p->readers.store(0);
        p->writers.store(0);
        return read_end.error();
    }
    Result<RefPtr<File>> write_end = alloc_file(path, O_WRONLY | (flags & O_NONBLOCK), &pipefifo_fops, cred);
    if (write_end.is_error()) {
        p->writers.store(0);
        return write_end.error();
    }
    return PipeFiles{read_end.release_value(), write_end.release_value()};
}
