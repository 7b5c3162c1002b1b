#pragma once
// struct File: an open file description (what open(2) creates and dup(2) shares): the path it was
// opened by, the access mode and status flags, the file position, and the operations of its kind.
//
// Lifetime: reference-counted (descriptor tables, mmaps and in-flight syscalls hold references); the
// last reference calls the release operation and drops the path.
#include <fs/iov_iter.hpp>
#include <fs/mount.hpp>
#include <lib/refptr.hpp>
#include <lib/result.hpp>
#include <stdint.h>
#include <fs/uapi_libc_macros.hpp>  // last: after any header that defines the macros

struct File;
struct Inode;
struct PollTable;  // poll.hpp
struct VmArea;     // user mappings, with the memory work

// readdir's consumer. A directory's iterate operation offers entries from `pos` on; each accepted
// entry moves `pos` to `next_pos`, the position to continue after it (also its d_off).
class DirContext {
public:
    int64_t pos = 0;

    // False when the consumer has no room for this entry: the iterator must stop and leave `pos`.
    bool emit(const char* name, size_t len, uint64_t ino, uint8_t type, int64_t next_pos) {
        if (!accept(name, len, ino, type, next_pos)) return false;
        pos = next_pos;
        return true;
    }

protected:
    virtual bool accept(const char* name, size_t len, uint64_t ino, uint8_t type, int64_t next_pos) = 0;
    ~DirContext() = default;
};

// Poll events (poll.h), returned by the poll operation.
constexpr unsigned POLLIN = 0x001;
constexpr unsigned POLLPRI = 0x002;
constexpr unsigned POLLOUT = 0x004;
constexpr unsigned POLLERR = 0x008;
constexpr unsigned POLLHUP = 0x010;
constexpr unsigned POLLNVAL = 0x020;
constexpr unsigned POLLRDNORM = 0x040;
constexpr unsigned POLLWRNORM = 0x100;

struct FileOperations {
    // After the File is set up; may replace file->f_op (character devices do).
    Result<void> (*open)(Inode* inode, File* file);
    void (*release)(Inode* inode, File* file);
    // Transfer at *pos, advancing it by what was transferred.
    Result<size_t> (*read)(File* file, IoIter& to, int64_t* pos);
    Result<size_t> (*write)(File* file, IoIter& from, int64_t* pos);
    // Null: the file is not seekable (ESPIPE).
    Result<int64_t> (*llseek)(File* file, int64_t offset, int whence);
    Result<void> (*iterate)(File* file, DirContext& ctx);
    Result<long> (*ioctl)(File* file, unsigned cmd, unsigned long arg);
    // Null: always readable and writable (DEFAULT_POLLMASK).
    unsigned (*poll)(File* file, PollTable* table);
    Result<void> (*mmap)(File* file, VmArea* vma);
    Result<void> (*fsync)(File* file);
};

// File::fmode bits: what this open file may do (Linux's FMODE_*).
enum FileMode : unsigned {
    FMODE_READ = 1u << 0,
    FMODE_WRITE = 1u << 1,
    FMODE_LSEEK = 1u << 2,
    FMODE_PREAD = 1u << 3,
    FMODE_PWRITE = 1u << 4,
    FMODE_PATH = 1u << 5,     // O_PATH: names a file, does no I/O
    FMODE_CREATED = 1u << 6,  // this open created the file
    FMODE_ATOMIC_POS = 1u << 7,  // read/write/lseek serialize on pos_lock (regular files, dirs)
};

struct File : RefCounted<File> {
    Path path;
    Inode* inode = nullptr;  // path.dentry->inode, which the dentry keeps referenced
    const FileOperations* f_op = nullptr;
    unsigned flags = 0;   // O_ACCMODE | status flags (O_APPEND, O_NONBLOCK, ...); F_GETFL shows them
    unsigned fmode = 0;   // FMODE_*
    int64_t pos = 0;
    FsMutex pos_lock;
    uint32_t opener_fsuid = 0, opener_fsgid = 0;  // Linux's f_cred: who opened it
    void* private_data = nullptr;

    bool readable() const { return fmode & FMODE_READ; }
    bool writable() const { return fmode & FMODE_WRITE; }
    void on_last_unref();
};

struct Credentials;
// A new File for `path` with `flags` (open(2)'s) and `fops`; its f_op->open is not called.
Result<RefPtr<File>> alloc_file(const Path& path, unsigned flags, const FileOperations* fops,
                                const Credentials& cred);
// Opens `path` as open(2) would after lookup and permission checks: allocates the File and runs the
// open operation (of the inode's i_fop). ENXIO for inodes nothing can open (sockets, FIFOs for now).
Result<RefPtr<File>> vfs_open_path(const Path& path, unsigned flags, const Credentials& cred);
// Whether writes through `file` by a non-root opener must clear set-id bits.
inline bool file_opened_by_root(const File& file) { return file.opener_fsuid == 0; }

// Number of Files in existence (leak checks in tests).
uint64_t nr_open_files();
