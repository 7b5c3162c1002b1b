#include <fs/iov_iter.hpp>
#include <lib/string.hpp>
#include <lib/uaccess.hpp>

namespace {

constexpr uint64_t kChunkPage = 4096;

// Copies [addr, addr + len) of user memory a page at a time (a fault can only start at a page
// boundary), calling copy(user address, offset, length) per piece; returns the bytes before the first
// piece that failed.
template <class Copy>
size_t user_chunks(uintptr_t addr, size_t len, Copy&& copy) {
    size_t done = 0;
    while (done < len) {
        uint64_t at = addr + done;
        size_t piece = size_t(kChunkPage - (at & (kChunkPage - 1)));
        if (piece > len - done) piece = len - done;
        if (copy(at, done, piece).is_error()) break;
        done += piece;
    }
    return done;
}

}  // namespace

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
    if (user_)
        return iterate(n, [&](uintptr_t addr, size_t len, size_t done) {
            return user_chunks(addr, len, [&](uint64_t at, size_t off, size_t piece) {
                return copy_to_user(UserPtr<void>(at), from + done + off, piece);
            });
        });
    return iterate(n, [&](uintptr_t addr, size_t len, size_t done) {
        memcpy(reinterpret_cast<void*>(addr), from + done, len);
        return len;
    });
}

size_t IoIter::copy_from(void* dst, size_t n) {
    char* to = static_cast<char*>(dst);
    if (user_)
        return iterate(n, [&](uintptr_t addr, size_t len, size_t done) {
            return user_chunks(addr, len, [&](uint64_t at, size_t off, size_t piece) {
                return copy_from_user(to + done + off, UserPtr<const void>(at), piece);
            });
        });
    return iterate(n, [&](uintptr_t addr, size_t len, size_t done) {
        memcpy(to + done, reinterpret_cast<const void*>(addr), len);
        return len;
    });
}

size_t IoIter::zero(size_t n) {
    if (user_)
        return iterate(n, [](uintptr_t addr, size_t len, size_t) {
            return user_chunks(addr, len, [](uint64_t at, size_t, size_t piece) {
                return clear_user(UserPtr<void>(at), piece);
            });
        });
    return iterate(n, [](uintptr_t addr, size_t len, size_t) {
        memset(reinterpret_cast<void*>(addr), 0, len);
        return len;
    });
}

void IoIter::advance(size_t n) {
    iterate(n, [](uintptr_t, size_t len, size_t) { return len; });
}
