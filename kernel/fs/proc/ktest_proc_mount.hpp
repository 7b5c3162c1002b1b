#pragma once
// For the procfs self-tests: a proc instance mounted apart from the name space, used as the root of
// the test's lookups ("/self/stat" is /proc/self/stat), and whole-file reads through the VFS.
#include <fs/cred.hpp>
#include <fs/file.hpp>
#include <fs/mount.hpp>
#include <fs/namei.hpp>
#include <fs/super.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>

class ProcMount {
public:
    ProcMount() {
        FileSystemType* type = get_fs_type("proc");
        if (!type) return;
        Result<RefPtr<Mount>> m = vfs_kern_mount(type, 0, "proc", nullptr);
        if (m.is_error()) return;
        mnt_ = m.release_value();
        root_ = Path{mnt_, RefPtr<Dentry>(mnt_->root)};
    }
    bool ok() const { return bool(mnt_); }
    VfsCaller caller() const { return VfsCaller{root_, root_, cred_, 022}; }

    // The whole file into a NUL-terminated kmalloc'd buffer (kfree it); nullptr on error, with *err.
    char* read(const char* path, size_t* len_out = nullptr, Errno* err = nullptr) {
        Result<RefPtr<File>> f = vfs_open(caller(), path, O_RDONLY, 0);
        if (f.is_error()) {
            if (err) *err = f.error();
            return nullptr;
        }
        return read_file(*f.value(), len_out, err);
    }

    static char* read_file(File& file, size_t* len_out = nullptr, Errno* err = nullptr) {
        constexpr size_t kMax = 64 * 1024;
        char* buf = static_cast<char*>(kmalloc(kMax));
        if (!buf) return nullptr;
        size_t len = 0;
        // Small reads on purpose: the text must continue consistently across them.
        for (;;) {
            Result<size_t> n = kernel_read(file, buf + len, len + 100 < kMax ? 100 : kMax - 1 - len, int64_t(len));
            if (n.is_error()) {
                if (err) *err = n.error();
                kfree(buf);
                return nullptr;
            }
            if (n.value() == 0 || len + 1 >= kMax) break;
            len += n.value();
        }
        buf[len] = '\0';
        if (len_out) *len_out = len;
        return buf;
    }

    // The whole (small) file into `buf` (NUL-terminated, at most size - 1 bytes); its length, or -1.
    long read(const char* path, char* buf, size_t size) {
        size_t len = 0;
        char* text = read(path, &len);
        if (!text) return -1;
        if (len > size - 1) len = size - 1;
        memcpy(buf, text, len);
        buf[len] = '\0';
        kfree(text);
        return long(len);
    }

private:
    Credentials cred_;
    RefPtr<Mount> mnt_;
    Path root_;
};
