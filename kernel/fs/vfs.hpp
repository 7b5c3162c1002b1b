#pragma once
// The VFS operations a system-call layer calls. Each returns Result<T> with the errno Linux returns in
// the same situation, so a system call is: turn the user's arguments into kernel ones (copy the path,
// resolve a dirfd into VfsCaller::base), call one of these, and return to_syscall_return().
//
//   openat(dirfd, path, flags, mode) -> vfs_open(caller, path, flags, mode), then fd_install
//   read/write/pread64/pwrite64/readv/writev -> vfs_read/vfs_write/vfs_pread/vfs_pwrite with an IoIter
//   lseek -> vfs_llseek;   getdents64 -> vfs_getdents64
//   newfstatat/fstat/statx -> vfs_stat/vfs_fstat + fill_linux_stat/fill_linux_statx
//   mkdirat/mknodat/symlinkat/linkat/unlinkat/renameat2/readlinkat -> vfs_mkdir ... vfs_readlink
//   fchmodat/fchownat/fchmod/fchown/truncate/ftruncate/faccessat2/utimensat -> vfs_chmod ...
//   chdir/fchdir/chroot -> vfs_lookup_dir;   mount/umount2 -> vfs_mount/vfs_umount;   statfs -> vfs_statfs
//
// Path arguments are kernel strings (the syscall layer copies them in with strncpy_from_user and
// returns ENAMETOOLONG itself for user strings of PATH_MAX bytes or more).
#include <fs/file.hpp>
#include <fs/namei.hpp>
#include <fs/uapi_stat.hpp>
#include <lib/result.hpp>

// --- Opening ----------------------------------------------------------------------------------------

// open(2): flags are O_* (O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_APPEND, O_NONBLOCK,
// O_PATH, ...; O_CLOEXEC is the descriptor table's business and ignored here); `mode` is used with
// O_CREAT, minus the caller's umask.
Result<RefPtr<File>> vfs_open(const VfsCaller& caller, const char* path, int flags, uint32_t mode);
// A directory to become a cwd or root (chdir, chroot): ENOTDIR, EACCES without search permission.
Result<Path> vfs_lookup_dir(const VfsCaller& caller, const char* path);

// --- Data -------------------------------------------------------------------------------------------

// At and advancing the file position (O_APPEND writes go to the end). EBADF if the file is not open
// for that direction, EISDIR for directories, EINVAL when the file cannot do it.
Result<size_t> vfs_read(File& file, IoIter& to);
Result<size_t> vfs_write(File& file, IoIter& from);
// At `pos`, leaving the file position alone. ESPIPE on unseekable files, EINVAL for pos < 0.
Result<size_t> vfs_pread(File& file, IoIter& to, int64_t pos);
Result<size_t> vfs_pwrite(File& file, IoIter& from, int64_t pos);
// Kernel-buffer conveniences (exec, initramfs, tests).
Result<size_t> kernel_read(File& file, void* buf, size_t len, int64_t pos);
Result<size_t> kernel_write(File& file, const void* buf, size_t len, int64_t pos);
// SEEK_SET/CUR/END/DATA/HOLE: the new position. EINVAL for a bad whence or a negative result, ESPIPE
// on pipes and other unseekable files, ENXIO for SEEK_DATA/HOLE at or past the end.
Result<int64_t> vfs_llseek(File& file, int64_t offset, int whence);
// getdents64: linux_dirent64 records into `to`; 0 at the end. EINVAL if not even one record fits,
// ENOTDIR for non-directories.
Result<size_t> vfs_getdents64(File& file, IoIter& to);
Result<long> vfs_ioctl(File& file, unsigned cmd, unsigned long arg);
// The poll events ready now; with a table, the file also queues the caller on the wait queues that
// signal changes (poll.hpp). Files without a poll operation are always readable and writable.
unsigned vfs_poll(File& file, PollTable* table = nullptr);

// --- Attributes -------------------------------------------------------------------------------------

// Everything stat/statx report.
struct Kstat {
    uint64_t dev;        // kdev_t of the file system
    uint64_t ino;
    uint32_t mode;
    uint32_t nlink;
    uint32_t uid, gid;
    kdev_t rdev;
    int64_t size;
    uint32_t blksize;
    uint64_t blocks;
    Timespec64 atime, mtime, ctime, btime;
    uint64_t mnt_id;
};

// stat/lstat/fstatat: `flags` AT_SYMLINK_NOFOLLOW.
Result<Kstat> vfs_stat(const VfsCaller& caller, const char* path, int flags);
Kstat vfs_getattr(const Path& path);
inline Kstat vfs_fstat(const File& file) { return vfs_getattr(file.path); }
void fill_linux_stat(const Kstat& k, LinuxStat& out);
// statx: fills what `request_mask` asks for and what is always available; sets stx_mask.
void fill_linux_statx(const Kstat& k, uint32_t request_mask, LinuxStatx& out);
Result<LinuxStatfs> vfs_statfs(const Path& path);

// chmod: owner or root (EPERM otherwise); a non-root caller outside the file's group loses S_ISGID.
Result<void> vfs_chmod(const VfsCaller& caller, const Path& path, uint32_t mode);
// chown: uid/gid of -1 leave that id. Only root changes the owner; the owner may change the group to
// one of its groups. Clears set-user-ID (and set-group-ID with group execute) of non-directories.
Result<void> vfs_chown(const VfsCaller& caller, const Path& path, uint32_t uid, uint32_t gid);
// truncate(2) on a path (needs write permission) and ftruncate on a file (needs it open for writing).
Result<void> vfs_truncate(const VfsCaller& caller, const Path& path, int64_t length);
Result<void> vfs_ftruncate(File& file, int64_t length, const Credentials& cred);
// faccessat2: `mode` F_OK or R_OK|W_OK|X_OK; `flags` AT_EACCESS, AT_SYMLINK_NOFOLLOW.
Result<void> vfs_access(const VfsCaller& caller, const char* path, int mode, int flags);
// utimensat with explicit times (nullptr: now); owner or root, or write permission for "now".
Result<void> vfs_utimes(const VfsCaller& caller, const Path& path, const Timespec64* atime,
                        const Timespec64* mtime);

// --- Names ------------------------------------------------------------------------------------------

Result<void> vfs_mkdir(const VfsCaller& caller, const char* path, uint32_t mode);
// mknod: S_IFREG (or 0), S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK; devices need root. `dev` is kernel kdev_t.
Result<void> vfs_mknod(const VfsCaller& caller, const char* path, uint32_t mode, kdev_t dev);
Result<void> vfs_symlink(const VfsCaller& caller, const char* target, const char* linkpath);
// linkat: `flags` AT_SYMLINK_FOLLOW follows a symlink `oldpath`. `old_caller` and `new_caller` differ
// only in their base directory (two dirfds).
Result<void> vfs_link(const VfsCaller& old_caller, const char* oldpath, const VfsCaller& new_caller,
                      const char* newpath, int flags);
Result<void> vfs_unlink(const VfsCaller& caller, const char* path);
Result<void> vfs_rmdir(const VfsCaller& caller, const char* path);
// renameat2: `flags` RENAME_NOREPLACE or RENAME_EXCHANGE.
Result<void> vfs_rename(const VfsCaller& old_caller, const char* oldpath, const VfsCaller& new_caller,
                        const char* newpath, unsigned flags);
// readlink: copies at most `size` bytes of the target (no NUL) and returns how many. EINVAL if the
// path is not a symlink or size <= 0.
Result<size_t> vfs_readlink(const VfsCaller& caller, const char* path, char* buf, size_t size);

// --- Mounts -----------------------------------------------------------------------------------------

// mount(2) for new mounts (a registered file-system type) and MS_BIND; root only (EPERM).
Result<void> vfs_mount(const VfsCaller& caller, const char* source, const char* target,
                       const char* fstype, unsigned long flags, const char* data);
// umount2: EINVAL if `target` is not a mount's root, EBUSY if in use (unless MNT_DETACH).
Result<void> vfs_umount(const VfsCaller& caller, const char* target, int flags);
