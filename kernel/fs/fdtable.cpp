#include <fs/fdtable.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <utility>

namespace {
constexpr unsigned kInitialSlots = 64;
unsigned round_up_64(unsigned n) { return (n + 63) & ~63u; }
}  // namespace

FdTable::~FdTable() {
    close_all();
    kfree(files_);
    kfree(cloexec_);
}

Result<RefPtr<FdTable>> FdTable::create() {
    FdTable* t = knew<FdTable>();
    if (!t) return Errno::ENOMEM;
    RefPtr<FdTable> table = adopt_ref(t);
    TRY(table->expand(kInitialSlots));
    return table;
}

Result<void> FdTable::expand(unsigned want) {
    for (;;) {
        unsigned have;
        {
            SpinLockGuard guard(lock_);
            have = capacity_;
        }
        if (have >= want) return {};
        unsigned slots = round_up_64(want > 2 * have ? want : 2 * have);
        if (slots > kNrOpenMax) slots = round_up_64(want);
        auto* files = static_cast<File**>(kzalloc(slots * sizeof(File*)));
        auto* cloexec = static_cast<uint64_t*>(kzalloc(slots / 64 * sizeof(uint64_t)));
        if (!files || !cloexec) {
            kfree(files);
            kfree(cloexec);
            return Errno::ENOMEM;
        }
        File** old_files = nullptr;
        uint64_t* old_cloexec = nullptr;
        {
            SpinLockGuard guard(lock_);
            if (capacity_ < slots) {
                if (capacity_) {
                    memcpy(files, files_, capacity_ * sizeof(File*));
                    memcpy(cloexec, cloexec_, capacity_ / 64 * sizeof(uint64_t));
                }
                old_files = files_;
                old_cloexec = cloexec_;
                files_ = files;
                cloexec_ = cloexec;
                capacity_ = slots;
                files = nullptr;
                cloexec = nullptr;
            }
        }
        kfree(files);  // another thread grew it meanwhile
        kfree(cloexec);
        kfree(old_files);
        kfree(old_cloexec);
    }
}

int FdTable::find_free_locked(unsigned min, unsigned limit) const {
    if (limit > capacity_) limit = capacity_;
    for (unsigned fd = min; fd < limit; fd++)
        if (!files_[fd]) return int(fd);
    return -1;
}

void FdTable::set_cloexec_locked(unsigned fd, bool on) {
    if (on)
        cloexec_[fd / 64] |= 1ull << (fd % 64);
    else
        cloexec_[fd / 64] &= ~(1ull << (fd % 64));
}

File* FdTable::install_locked(unsigned fd, File* file, bool cloexec) {
    File* old = files_[fd];
    files_[fd] = file;
    set_cloexec_locked(fd, cloexec);
    return old;
}

Result<int> FdTable::alloc_fd(RefPtr<File> file, bool cloexec, unsigned ceiling, unsigned min) {
    if (ceiling > kNrOpenMax) ceiling = kNrOpenMax;
    if (min >= ceiling) return Errno::EMFILE;
    for (;;) {
        unsigned need;
        {
            SpinLockGuard guard(lock_);
            int fd = find_free_locked(min, ceiling);
            if (fd >= 0) {
                install_locked(unsigned(fd), file.leak_ref(), cloexec);
                return fd;
            }
            // Every slot below min(capacity, ceiling) is taken.
            if (capacity_ >= ceiling) return Errno::EMFILE;
            need = (capacity_ > min ? capacity_ : min) + 1;
        }
        TRY(expand(need));
    }
}

Result<RefPtr<File>> FdTable::get(int fd) {
    SpinLockGuard guard(lock_);
    if (fd < 0 || unsigned(fd) >= capacity_ || !files_[fd]) return Errno::EBADF;
    return RefPtr<File>(files_[fd]);
}

Result<void> FdTable::close(int fd) {
    File* old;
    {
        SpinLockGuard guard(lock_);
        if (fd < 0 || unsigned(fd) >= capacity_ || !files_[fd]) return Errno::EBADF;
        old = install_locked(unsigned(fd), nullptr, false);
    }
    old->unref();
    return {};
}

Result<int> FdTable::dup(int oldfd, unsigned ceiling) {
    RefPtr<File> file = TRY(get(oldfd));
    return alloc_fd(std::move(file), false, ceiling);
}

Result<int> FdTable::dupfd_min(int oldfd, int min, bool cloexec, unsigned ceiling) {
    RefPtr<File> file = TRY(get(oldfd));
    if (min < 0 || unsigned(min) >= ceiling) return Errno::EINVAL;
    return alloc_fd(std::move(file), cloexec, ceiling, unsigned(min));
}

Result<int> FdTable::dup2(int oldfd, int newfd, unsigned ceiling) {
    if (oldfd == newfd) {
        TRY(get(oldfd));
        return newfd;
    }
    return dup3(oldfd, newfd, 0, ceiling);
}

Result<int> FdTable::dup3(int oldfd, int newfd, int flags, unsigned ceiling) {
    if (flags & ~O_CLOEXEC) return Errno::EINVAL;
    if (oldfd == newfd) return Errno::EINVAL;
    if (newfd < 0 || unsigned(newfd) >= ceiling) return Errno::EBADF;
    TRY(expand(unsigned(newfd) + 1));
    File* old;
    {
        SpinLockGuard guard(lock_);
        if (oldfd < 0 || unsigned(oldfd) >= capacity_ || !files_[oldfd]) return Errno::EBADF;
        File* file = files_[oldfd];
        file->ref();
        old = install_locked(unsigned(newfd), file, flags & O_CLOEXEC);
    }
    if (old) old->unref();
    return newfd;
}

Result<bool> FdTable::get_cloexec(int fd) {
    SpinLockGuard guard(lock_);
    if (fd < 0 || unsigned(fd) >= capacity_ || !files_[fd]) return Errno::EBADF;
    return bool(cloexec_[fd / 64] & (1ull << (fd % 64)));
}

Result<void> FdTable::set_cloexec(int fd, bool cloexec) {
    SpinLockGuard guard(lock_);
    if (fd < 0 || unsigned(fd) >= capacity_ || !files_[fd]) return Errno::EBADF;
    set_cloexec_locked(unsigned(fd), cloexec);
    return {};
}

void FdTable::close_on_exec() {
    // Close in batches of one word of flags, releasing outside the lock.
    for (unsigned word = 0;; word++) {
        File* victims[64];
        unsigned n = 0;
        {
            SpinLockGuard guard(lock_);
            if (word >= capacity_ / 64) return;
            uint64_t bits = cloexec_[word];
            cloexec_[word] = 0;
            for (unsigned bit = 0; bit < 64; bit++) {
                if (!(bits & (1ull << bit))) continue;
                unsigned fd = word * 64 + bit;
                if (files_[fd]) victims[n++] = files_[fd];
                files_[fd] = nullptr;
            }
        }
        for (unsigned i = 0; i < n; i++) victims[i]->unref();
    }
}

void FdTable::close_range(unsigned first, unsigned last, bool cloexec_only) {
    // In batches of up to 64 descriptors, releasing outside the lock.
    for (unsigned fd = first; fd <= last;) {
        File* victims[64];
        unsigned n = 0;
        {
            SpinLockGuard guard(lock_);
            if (fd >= capacity_) return;
            for (; fd <= last && fd < capacity_ && n < 64; fd++) {
                if (!files_[fd]) continue;
                if (cloexec_only) {
                    set_cloexec_locked(fd, true);
                } else {
                    victims[n++] = install_locked(fd, nullptr, false);
                }
            }
        }
        for (unsigned i = 0; i < n; i++) victims[i]->unref();
    }
}

void FdTable::close_all() {
    for (unsigned base = 0;; base += 64) {
        File* victims[64];
        unsigned n = 0;
        {
            SpinLockGuard guard(lock_);
            if (base >= capacity_) return;
            for (unsigned fd = base; fd < base + 64; fd++) {
                if (files_[fd]) victims[n++] = files_[fd];
                files_[fd] = nullptr;
            }
            cloexec_[base / 64] = 0;
        }
        for (unsigned i = 0; i < n; i++) victims[i]->unref();
    }
}

Result<RefPtr<FdTable>> FdTable::fork_copy() {
    RefPtr<FdTable> copy = TRY(create());
    for (;;) {
        unsigned need;
        {
            SpinLockGuard guard(lock_);
            need = capacity_;
        }
        TRY(copy->expand(need));
        SpinLockGuard guard(lock_);
        if (capacity_ > copy->capacity_) continue;  // grew meanwhile
        // The copy is not visible to anyone else yet: no need for its lock.
        for (unsigned fd = 0; fd < capacity_; fd++) {
            if (files_[fd]) {
                files_[fd]->ref();
                copy->files_[fd] = files_[fd];
            }
        }
        memcpy(copy->cloexec_, cloexec_, capacity_ / 64 * sizeof(uint64_t));
        break;
    }
    return copy;
}

unsigned FdTable::count_open() {
    SpinLockGuard guard(lock_);
    unsigned n = 0;
    for (unsigned fd = 0; fd < capacity_; fd++) n += files_[fd] != nullptr;
    return n;
}

int FdTable::next_open(unsigned from) {
    SpinLockGuard guard(lock_);
    for (unsigned fd = from; fd < capacity_; fd++)
        if (files_[fd]) return int(fd);
    return -1;
}

unsigned FdTable::capacity() {
    SpinLockGuard guard(lock_);
    return capacity_;
}
