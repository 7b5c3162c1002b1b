#pragma once
// A fresh memory arena and a fresh tmpfs for each test, with helpers that return errnos, and leak
// checks at the end: every dentry, inode and open file a test made must be gone once the tmpfs is.
#include "../mm/mm_arena.hpp"

#include <fs/cred.hpp>
#include <fs/dentry.hpp>
#include <fs/file.hpp>
#include <fs/inode.hpp>
#include <fs/mount.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>

#include <gtest/gtest.h>

#include <string>

// The errno of a Result (OK for success), so tests read EXPECT_EQ(err(...), Errno::ENOENT).
template <class T>
Errno err(const Result<T>& r) {
    return r.is_error() ? r.error() : Errno::OK;
}

inline void ensure_tmpfs_registered() {
    static bool done = false;
    if (!done) {
        (void)register_filesystem(&tmpfs_fs_type);
        done = true;
    }
}

class VfsTest : public ::testing::Test {
protected:
    MmArena arena{8192};  // 32 MiB
    RefPtr<Mount> mnt;
    Path root;
    Credentials cred;  // root
    uint32_t umask = 022;
    uint64_t dentries_before = 0, inodes_before = 0, files_before = 0;

    void SetUp() override {
        ensure_tmpfs_registered();
        dentries_before = dcache_nr_dentries();
        inodes_before = nr_inodes_in_use();
        files_before = nr_open_files();
        Result<RefPtr<Mount>> m = vfs_kern_mount(&tmpfs_fs_type, 0, "test", "mode=0755");
        ASSERT_FALSE(m.is_error());
        mnt = m.release_value();
        root = Path{mnt, RefPtr<Dentry>(mnt->root)};
    }

    void TearDown() override {
        root = Path{};
        mnt = nullptr;
        EXPECT_EQ(nr_open_files(), files_before) << "open files leaked";
        EXPECT_EQ(dcache_nr_dentries(), dentries_before) << "dentries leaked";
        EXPECT_EQ(nr_inodes_in_use(), inodes_before) << "inodes leaked";
    }

    VfsCaller caller() const { return VfsCaller{root, root, cred, umask}; }
    VfsCaller caller_at(const Path& base) const { return VfsCaller{root, base, cred, umask}; }

    Errno mkdir(const char* path, uint32_t mode = 0755) { return err(vfs_mkdir(caller(), path, mode)); }
    // Sets exact permission bits (as root: no umask, no ownership rules).
    Errno chmod(const char* path, uint32_t mode) {
        Credentials root_cred;
        VfsCaller as_root{root, root, root_cred, 0};
        Result<Path> p = path_lookup(as_root, path, LOOKUP_FOLLOW);
        if (p.is_error()) return p.error();
        return err(vfs_chmod(as_root, p.value(), mode));
    }
    Errno symlink(const char* target, const char* path) { return err(vfs_symlink(caller(), target, path)); }
    Errno unlink(const char* path) { return err(vfs_unlink(caller(), path)); }
    Errno rmdir(const char* path) { return err(vfs_rmdir(caller(), path)); }
    Errno rename(const char* from, const char* to, unsigned flags = 0) {
        return err(vfs_rename(caller(), from, caller(), to, flags));
    }
    Errno link(const char* from, const char* to, int flags = 0) {
        return err(vfs_link(caller(), from, caller(), to, flags));
    }
    Result<RefPtr<File>> open(const char* path, int flags, uint32_t mode = 0644) {
        return vfs_open(caller(), path, flags, mode);
    }
    Errno open_err(const char* path, int flags, uint32_t mode = 0644) { return err(open(path, flags, mode)); }

    // Creates (or truncates) `path` with `content`.
    void write_file(const char* path, const std::string& content, uint32_t mode = 0644) {
        Result<RefPtr<File>> f = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
        ASSERT_FALSE(f.is_error()) << path << ": " << errno_name(f.error());
        Result<size_t> n = kernel_write(*f.value(), content.data(), content.size(), 0);
        ASSERT_FALSE(n.is_error());
        ASSERT_EQ(n.value(), content.size());
    }
    // The whole content of `path`, or "<ERRNO>".
    std::string read_file(const char* path) {
        Result<RefPtr<File>> f = open(path, O_RDONLY);
        if (f.is_error()) return std::string("<") + errno_name(f.error()) + ">";
        std::string out;
        char buf[1000];
        for (;;) {
            IoIter to = IoIter::kernel(buf, sizeof(buf));
            Result<size_t> n = vfs_read(*f.value(), to);
            if (n.is_error()) return std::string("<") + errno_name(n.error()) + ">";
            if (n.value() == 0) return out;
            out.append(buf, n.value());
        }
    }
    Result<Kstat> stat(const char* path, int flags = 0) { return vfs_stat(caller(), path, flags); }
    Result<Kstat> lstat(const char* path) { return vfs_stat(caller(), path, AT_SYMLINK_NOFOLLOW); }
    Result<Path> lookup(const char* path, unsigned flags = LOOKUP_FOLLOW) {
        return path_lookup(caller(), path, flags);
    }
    std::string readlink(const char* path) {
        char buf[PATH_MAX];
        Result<size_t> n = vfs_readlink(caller(), path, buf, sizeof(buf));
        if (n.is_error()) return std::string("<") + errno_name(n.error()) + ">";
        return std::string(buf, n.value());
    }
};
