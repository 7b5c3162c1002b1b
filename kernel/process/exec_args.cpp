// Exec's argument and environment strings (see exec_args.hpp).
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <mm/vmalloc.hpp>
#include <process/exec_args.hpp>

namespace {

constexpr size_t kStkLim = 8ull << 20;          // _STK_LIM
constexpr size_t kVmallocThreshold = 64 * 1024;  // larger buffers need not be physically contiguous

void* alloc_buffer(size_t size) { return size > kVmallocThreshold ? vmalloc(size) : kmalloc(size); }
void free_buffer(void* p, size_t size) {
    if (!p) return;
    if (size > kVmallocThreshold)
        vfree(p);
    else
        kfree(p);
}

}  // namespace

Result<size_t> exec_string_limit(uint64_t stack_rlimit, uint64_t argc, uint64_t envc) {
    uint64_t limit = kStkLim / 4 * 3;
    if (stack_rlimit / 4 < limit) limit = stack_rlimit / 4;
    if (limit < ARG_MAX) limit = ARG_MAX;
    uint64_t pointers = ((argc ? argc : 1) + envc) * sizeof(void*);
    if (limit <= pointers) return Errno::E2BIG;
    return size_t(limit - pointers);
}

ExecStrings::~ExecStrings() { free_buffer(data_, capacity_); }

Result<void> ExecStrings::grow(size_t need) {
    if (used_ + need <= capacity_) return {};
    size_t capacity = capacity_ ? capacity_ : 4096;
    while (capacity < used_ + need) capacity *= 2;
    auto* bigger = static_cast<char*>(alloc_buffer(capacity));
    if (!bigger) return Errno::ENOMEM;
    if (used_) memcpy(bigger, data_, used_);
    free_buffer(data_, capacity_);
    data_ = bigger;
    capacity_ = capacity;
    return {};
}

Result<char*> ExecStrings::reserve(size_t max) {
    size_t room = max < budget_.remaining ? max : budget_.remaining;
    if (room == 0) return Errno::E2BIG;
    TRY(grow(room));
    return data_ + used_;
}

void ExecStrings::commit(size_t len) {
    data_[used_ + len] = '\0';
    used_ += len + 1;
    budget_.remaining -= len + 1;
    count_++;
}

Result<void> ExecStrings::push_back(const char* s, size_t len) {
    if (len + 1 > MAX_ARG_STRLEN || len + 1 > budget_.remaining) return Errno::E2BIG;
    char* dst = TRY(reserve(len + 1));
    memcpy(dst, s, len);
    commit(len);
    return {};
}

Result<void> ExecStrings::push_front(const char* s, size_t len) {
    if (len + 1 > MAX_ARG_STRLEN || len + 1 > budget_.remaining) return Errno::E2BIG;
    TRY(grow(len + 1));
    memmove(data_ + len + 1, data_, used_);
    memcpy(data_, s, len);
    data_[len] = '\0';
    used_ += len + 1;
    budget_.remaining -= len + 1;
    count_++;
    return {};
}

void ExecStrings::pop_front() {
    if (!count_) return;
    size_t first = strlen(data_) + 1;
    memmove(data_, data_ + first, used_ - first);
    used_ -= first;
    budget_.remaining += first;
    count_--;
}
