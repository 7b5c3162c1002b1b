#pragma once
// Linux x86-64 ABI constants for opening files and naming paths (asm-generic/fcntl.h, linux/fcntl.h,
// linux/fs.h). Values are the ABI; the names are Linux's.
#include <stdint.h>
#include <fs/uapi_libc_macros.hpp>  // last: after any header that defines the macros

// open(2) flags (octal, as Linux writes them).
constexpr int O_ACCMODE = 00000003;
constexpr int O_RDONLY = 00000000;
constexpr int O_WRONLY = 00000001;
constexpr int O_RDWR = 00000002;
constexpr int O_CREAT = 00000100;
constexpr int O_EXCL = 00000200;
constexpr int O_NOCTTY = 00000400;
constexpr int O_TRUNC = 00001000;
constexpr int O_APPEND = 00002000;
constexpr int O_NONBLOCK = 00004000;
constexpr int O_DSYNC = 00010000;
constexpr int O_ASYNC = 00020000;  // FASYNC
constexpr int O_DIRECT = 00040000;
constexpr int O_LARGEFILE = 00100000;
constexpr int O_DIRECTORY = 00200000;
constexpr int O_NOFOLLOW = 00400000;
constexpr int O_NOATIME = 01000000;
constexpr int O_CLOEXEC = 02000000;
constexpr int O_SYNC = 04010000;  // __O_SYNC | O_DSYNC
constexpr int O_PATH = 010000000;
constexpr int O_TMPFILE = 020200000;  // __O_TMPFILE | O_DIRECTORY
constexpr int O_NDELAY = O_NONBLOCK;

// The flags fcntl(F_SETFL) may change; the rest of the status flags are fixed at open.
constexpr int kSetflMask = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

// *at() conventions.
constexpr int AT_FDCWD = -100;
constexpr int AT_SYMLINK_NOFOLLOW = 0x100;
constexpr int AT_EACCESS = 0x200;   // faccessat
constexpr int AT_REMOVEDIR = 0x200; // unlinkat
constexpr int AT_SYMLINK_FOLLOW = 0x400;
constexpr int AT_NO_AUTOMOUNT = 0x800;
constexpr int AT_EMPTY_PATH = 0x1000;

// renameat2 flags.
constexpr unsigned RENAME_NOREPLACE = 1u << 0;
constexpr unsigned RENAME_EXCHANGE = 1u << 1;
constexpr unsigned RENAME_WHITEOUT = 1u << 2;

// lseek whence.
constexpr int SEEK_SET = 0;
constexpr int SEEK_CUR = 1;
constexpr int SEEK_END = 2;
constexpr int SEEK_DATA = 3;
constexpr int SEEK_HOLE = 4;

// access(2) modes.
constexpr int F_OK = 0;
constexpr int X_OK = 1;
constexpr int W_OK = 2;
constexpr int R_OK = 4;

// fcntl commands used by the descriptor table.
constexpr int F_DUPFD = 0;
constexpr int F_GETFD = 1;
constexpr int F_SETFD = 2;
constexpr int F_GETFL = 3;
constexpr int F_SETFL = 4;
constexpr int F_DUPFD_CLOEXEC = 1030;
constexpr int FD_CLOEXEC = 1;

// mount(2) flags (linux/mount.h) and umount2(2) flags.
constexpr unsigned long MS_RDONLY = 1;
constexpr unsigned long MS_NOSUID = 2;
constexpr unsigned long MS_NODEV = 4;
constexpr unsigned long MS_NOEXEC = 8;
constexpr unsigned long MS_REMOUNT = 32;
constexpr unsigned long MS_BIND = 4096;
constexpr unsigned long MS_MOVE = 8192;
constexpr unsigned long MS_REC = 16384;
constexpr unsigned long MS_SILENT = 32768;
constexpr int MNT_FORCE = 1;
constexpr int MNT_DETACH = 2;
constexpr int MNT_EXPIRE = 4;
constexpr int UMOUNT_NOFOLLOW = 8;

// Limits.
constexpr unsigned NAME_MAX = 255;   // bytes in a path component
constexpr unsigned PATH_MAX = 4096;  // bytes in a path, including the NUL
constexpr unsigned MAXSYMLINKS = 40; // symlinks one lookup may follow
constexpr int64_t MAX_LFS_FILESIZE = INT64_MAX;
// The most one read or write transfers (Linux's MAX_RW_COUNT: INT_MAX rounded down to a page).
constexpr uint64_t MAX_RW_COUNT = 0x7ffff000;
