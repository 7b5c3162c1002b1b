#include <fs/iov_iter.hpp>
#include <lib/string.hpp>

IoIter IoIter::kernel_vec(const IoSegment* segs, size_t nr_segs) {
    size_t total = 0;
    for (size_t i = 0; i < nr_segs; i++) total += segs[i].len;
    return IoIter(segs, nr_segs, total);
}

template <class Step>
size_t IoIter::iterate(size_t n, Step&& step) {
    if (n > count_) n = count_;
    size_t done = 0;
    while (done < n && seg_ < nr_segs_) {
        const IoSegment& s = segs_[seg_];
        size_t chunk = s.len - offset_;
        if (chunk > n - done) chunk = n - done;
        size_t handled = chunk ? step(s.base + offset_, chunk, done) : 0;
        done += handled;
        offset_ += handled;
        if (offset_ == s.len) {
            seg_++;
            offset_ = 0;
        } else if (handled < chunk) {
            break;
        }
    }
    count_ -= done;
    return done;
}

size_t IoIter::copy_to(const void* src, size_t n) {
    const char* from = static_cast<const char*>(src);
    return iterate(n, [&](uintptr_t addr, size_t len, size_t done) {
        memcpy(reinterpret_cast<void*>(addr), from + done, len);
        return len;
    });
}

size_t IoIter::copy_from(void* dst, size_t n) {
    char* to = static_cast<char*>(dst);
    return iterate(n, [&](uintptr_t addr, size_t len, size_t done) {
        memcpy(to + done, reinterpret_cast<const void*>(addr), len);
        return len;
    });
}

size_t IoIter::zero(size_t n) {
    return iterate(n, [](uintptr_t addr, size_t len, size_t) {
        memset(reinterpret_cast<void*>(addr), 0, len);
        return len;
    });
}

void IoIter::advance(size_t n) {
    iterate(n, [](uintptr_t, size_t len, size_t) { return len; });
}
