#pragma once
// Result<T>: a value or a Linux errno. Kernel functions return Result; the syscall edge turns an error
// into -errno. TRY(expr) returns early with the error.
#include <lib/errno.hpp>
#include <new>
#include <type_traits>
#include <utility>

template <class T>
class [[nodiscard]] Result {
public:
    Result(const T& value) : has_value_(true) { new (&storage_) T(value); }
    Result(T&& value) : has_value_(true) { new (&storage_) T(std::move(value)); }
    Result(Errno error) : has_value_(false), error_(error) {}
    Result(const Result& other) : has_value_(other.has_value_), error_(other.error_) {
        if (has_value_) new (&storage_) T(other.value());
    }
    Result(Result&& other) : has_value_(other.has_value_), error_(other.error_) {
        if (has_value_) new (&storage_) T(std::move(other.value()));
    }
    Result& operator=(const Result&) = delete;
    ~Result() {
        if (has_value_) value().~T();
    }

    bool is_error() const { return !has_value_; }
    explicit operator bool() const { return has_value_; }
    Errno error() const { return error_; }
    T& value() { return *std::launder(reinterpret_cast<T*>(&storage_)); }
    const T& value() const { return *std::launder(reinterpret_cast<const T*>(&storage_)); }
    T release_value() { return std::move(value()); }
    // The syscall-edge encoding: the value, or -errno.
    long to_syscall_return() const
        requires std::is_convertible_v<T, long>
    {
        return has_value_ ? long(value()) : -long(error_);
    }

private:
    bool has_value_;
    Errno error_ = Errno::OK;
    alignas(T) unsigned char storage_[sizeof(T)];
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() : error_(Errno::OK) {}
    Result(Errno error) : error_(error) {}
    bool is_error() const { return error_ != Errno::OK; }
    explicit operator bool() const { return error_ == Errno::OK; }
    Errno error() const { return error_; }
    void release_value() {}
    long to_syscall_return() const { return -long(error_); }

private:
    Errno error_;
};

#define TRY(expr)                                           \
    ({                                                      \
        auto _try_result = (expr);                          \
        if (_try_result.is_error()) return _try_result.error(); \
        _try_result.release_value();                        \
    })
