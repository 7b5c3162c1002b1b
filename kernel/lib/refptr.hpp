#pragma once
// Intrusive reference counting: RefCounted<T> (a base class holding the count) and RefPtr<T> (a smart
// pointer that owns one reference).
//
// An object starts with one reference, owned by whoever created it; adopt_ref() hands that reference to
// a RefPtr without taking another. RefPtr works with any T that has ref() and unref() members, so
// objects with their own counting rules (the dcache's dentries, whose count may only reach or leave
// zero under the dcache lock) use it too.
//
// When the last reference goes, RefCounted calls T::on_last_unref() if T declares it (to run the
// object's own teardown: an inode is evicted, a file released), and kdelete()s the object otherwise.
#include <lib/atomic.hpp>
#include <mm/slab.hpp>
#include <stddef.h>
#include <stdint.h>
#include <type_traits>

template <class T>
class RefCounted {
public:
    RefCounted(const RefCounted&) = delete;
    RefCounted& operator=(const RefCounted&) = delete;

    // The caller must already hold a reference (a count of zero means the object is being destroyed).
    void ref() const { count_.fetch_add(1, MemoryOrder::Relaxed); }
    void unref() const {
        // Release orders this holder's writes before the destruction; the acquire on the last drop
        // makes every other holder's writes visible to it.
        if (count_.fetch_sub(1, MemoryOrder::AcqRel) == 1) last_unref();
    }
    uint32_t ref_count() const { return count_.load(MemoryOrder::Relaxed); }

protected:
    RefCounted() = default;
    ~RefCounted() = default;

private:
    void last_unref() const {
        T* self = const_cast<T*>(static_cast<const T*>(this));
        if constexpr (requires { self->on_last_unref(); })
            self->on_last_unref();
        else
            kdelete(self);
    }

    mutable Atomic<uint32_t> count_{1};
};

template <class T>
class RefPtr {
public:
    RefPtr() = default;
    RefPtr(decltype(nullptr)) {}
    // Takes a new reference on `p` (which the caller keeps its own reference to).
    explicit RefPtr(T* p) : p_(p) {
        if (p_) p_->ref();
    }
    RefPtr(const RefPtr& other) : RefPtr(other.p_) {}
    RefPtr(RefPtr&& other) : p_(other.leak_ref()) {}
    template <class U>
        requires std::is_convertible_v<U*, T*>
    RefPtr(RefPtr<U>&& other) : p_(other.leak_ref()) {}
    ~RefPtr() { reset(); }

    RefPtr& operator=(const RefPtr& other) {
        T* p = other.p_;  // before reset(): `other` may be *this
        if (p) p->ref();
        reset();
        p_ = p;
        return *this;
    }
    RefPtr& operator=(RefPtr&& other) {
        if (this != &other) {
            reset();
            p_ = other.leak_ref();
        }
        return *this;
    }
    RefPtr& operator=(decltype(nullptr)) {
        reset();
        return *this;
    }

    // Takes over a reference the caller already owns.
    static RefPtr adopt(T* p) {
        RefPtr r;
        r.p_ = p;
        return r;
    }
    // Gives up ownership of the reference without dropping it.
    [[nodiscard]] T* leak_ref() {
        T* p = p_;
        p_ = nullptr;
        return p;
    }
    void reset() {
        if (T* p = leak_ref()) p->unref();
    }

    T* get() const { return p_; }
    T* operator->() const { return p_; }
    T& operator*() const { return *p_; }
    explicit operator bool() const { return p_ != nullptr; }
    bool operator==(const RefPtr& other) const { return p_ == other.p_; }
    bool operator==(const T* other) const { return p_ == other; }

private:
    T* p_ = nullptr;
};

template <class T>
RefPtr<T> adopt_ref(T* p) {
    return RefPtr<T>::adopt(p);
}
