#pragma once
// IoIter: where the bytes of one read or write come from or go to (Linux's iov_iter), so that file
// systems and devices need one read and one write function for read/pread/readv and kernel_read alike.
//
// It walks a list of segments and keeps the count of bytes left. Segments are kernel memory or user
// memory (the system calls' buffers and iovecs). User copies go through copy_to_user / copy_from_user
// a page at a time and stop early at the first page that faults, which is why every copy returns the
// bytes it did copy; the VFS turns "nothing copied" into EFAULT and a short copy into a short read or
// write.
#include <stddef.h>
#include <stdint.h>

struct IoSegment {
    uintptr_t base;
    size_t len;
};

class IoIter {
public:
    // One kernel buffer (a destination for reads, a source for writes).
    static IoIter kernel(void* buf, size_t len) { return IoIter(reinterpret_cast<uintptr_t>(buf), len); }
    static IoIter kernel(const void* buf, size_t len) {
        return IoIter(reinterpret_cast<uintptr_t>(buf), len);
    }
    // Several kernel buffers, in order; `segs` must outlive the iterator.
    static IoIter kernel_vec(const IoSegment* segs, size_t nr_segs);
    // One user buffer, and several (readv/writev: the iovecs, already copied into kernel memory and
    // checked, which must outlive the iterator). Addresses are user addresses.
    static IoIter user(uint64_t addr, size_t len) {
        IoIter it(uintptr_t(addr), len);
        it.user_ = true;
        return it;
    }
    static IoIter user_vec(const IoSegment* segs, size_t nr_segs) {
        IoIter it = kernel_vec(segs, nr_segs);
        it.user_ = true;
        return it;
    }
    bool is_user() const { return user_; }

    // A copy is an independent cursor over the same memory.
    IoIter(const IoIter& o)
        : one_(o.one_), segs_(o.segs_ == &o.one_ ? &one_ : o.segs_), nr_segs_(o.nr_segs_), seg_(o.seg_),
          offset_(o.offset_), count_(o.count_), user_(o.user_) {}
    IoIter& operator=(const IoIter&) = delete;

    size_t count() const { return count_; }
    // Limits the iterator to at most `max` more bytes (a file-size or MAX_RW_COUNT limit).
    void truncate(size_t max) {
        if (count_ > max) count_ = max;
    }

    // Copies up to n bytes from `src` into the iterator's memory (a read fills it); returns how many.
    size_t copy_to(const void* src, size_t n);
    // Copies up to n bytes out of the iterator's memory into `dst` (a write drains it).
    size_t copy_from(void* dst, size_t n);
    // Writes up to n zero bytes into the iterator's memory (reading a hole, /dev/zero).
    size_t zero(size_t n);
    // Skips n bytes (at most count()).
    void advance(size_t n);

private:
    IoIter(uintptr_t base, size_t len) : one_{base, len}, segs_(&one_), nr_segs_(1), count_(len) {}
    IoIter(const IoSegment* segs, size_t nr, size_t count) : segs_(segs), nr_segs_(nr), count_(count) {}

    // Calls step(segment address, chunk length) for consecutive chunks covering up to n bytes; step
    // returns how much of its chunk it handled (less stops the walk).
    template <class Step>
    size_t iterate(size_t n, Step&& step);

    IoSegment one_ = {};
    const IoSegment* segs_;
    size_t nr_segs_;
    size_t seg_ = 0;      // current segment
    size_t offset_ = 0;   // bytes already consumed of it
    size_t count_;
    bool user_ = false;  // segments are user addresses
};
