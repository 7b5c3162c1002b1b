#pragma once
// File types, permission bits and the stat/statx/statfs/getdents64 records of the Linux x86-64 ABI
// (linux/stat.h, asm/stat.h, asm-generic/statfs.h, linux/dirent.h).
#include <stddef.h>
#include <stdint.h>
#include <fs/uapi_libc_macros.hpp>  // last: after any header that defines the macros

// st_mode: the type in the top bits, then set-id/sticky, then rwx for owner, group, others.
constexpr uint32_t S_IFMT = 0170000;
constexpr uint32_t S_IFSOCK = 0140000;
constexpr uint32_t S_IFLNK = 0120000;
constexpr uint32_t S_IFREG = 0100000;
constexpr uint32_t S_IFBLK = 0060000;
constexpr uint32_t S_IFDIR = 0040000;
constexpr uint32_t S_IFCHR = 0020000;
constexpr uint32_t S_IFIFO = 0010000;
constexpr uint32_t S_ISUID = 0004000;
constexpr uint32_t S_ISGID = 0002000;
constexpr uint32_t S_ISVTX = 0001000;
constexpr uint32_t S_IRWXU = 00700;
constexpr uint32_t S_IRUSR = 00400;
constexpr uint32_t S_IWUSR = 00200;
constexpr uint32_t S_IXUSR = 00100;
constexpr uint32_t S_IRWXG = 00070;
constexpr uint32_t S_IXGRP = 00010;
constexpr uint32_t S_IRWXO = 00007;
constexpr uint32_t S_IALLUGO = 07777;  // every bit chmod may set
constexpr uint32_t S_IRWXUGO = 00777;

constexpr bool S_ISLNK(uint32_t m) { return (m & S_IFMT) == S_IFLNK; }
constexpr bool S_ISREG(uint32_t m) { return (m & S_IFMT) == S_IFREG; }
constexpr bool S_ISDIR(uint32_t m) { return (m & S_IFMT) == S_IFDIR; }
constexpr bool S_ISCHR(uint32_t m) { return (m & S_IFMT) == S_IFCHR; }
constexpr bool S_ISBLK(uint32_t m) { return (m & S_IFMT) == S_IFBLK; }
constexpr bool S_ISFIFO(uint32_t m) { return (m & S_IFMT) == S_IFIFO; }
constexpr bool S_ISSOCK(uint32_t m) { return (m & S_IFMT) == S_IFSOCK; }

// d_type in getdents64 records: the file type bits shifted down.
constexpr uint8_t DT_UNKNOWN = 0;
constexpr uint8_t DT_FIFO = 1;
constexpr uint8_t DT_CHR = 2;
constexpr uint8_t DT_DIR = 4;
constexpr uint8_t DT_BLK = 6;
constexpr uint8_t DT_REG = 8;
constexpr uint8_t DT_LNK = 10;
constexpr uint8_t DT_SOCK = 12;
constexpr uint8_t mode_to_dt(uint32_t mode) { return uint8_t((mode & S_IFMT) >> 12); }

// struct stat of x86-64 (asm/stat.h, the non-__i386__ branch): 144 bytes.
struct LinuxStat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks;  // 512-byte units
    uint64_t st_atime;
    uint64_t st_atime_nsec;
    uint64_t st_mtime;
    uint64_t st_mtime_nsec;
    uint64_t st_ctime;
    uint64_t st_ctime_nsec;
    int64_t unused[3];
};
static_assert(sizeof(LinuxStat) == 144);
static_assert(offsetof(LinuxStat, st_mode) == 24 && offsetof(LinuxStat, st_rdev) == 40);
static_assert(offsetof(LinuxStat, st_atime) == 72 && offsetof(LinuxStat, st_ctime_nsec) == 112);

// struct statx (linux/stat.h): 256 bytes.
struct StatxTimestamp {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};
struct LinuxStatx {
    uint32_t stx_mask;
    uint32_t stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink;
    uint32_t stx_uid;
    uint32_t stx_gid;
    uint16_t stx_mode;
    uint16_t spare0;
    uint64_t stx_ino;
    uint64_t stx_size;
    uint64_t stx_blocks;
    uint64_t stx_attributes_mask;
    StatxTimestamp stx_atime;
    StatxTimestamp stx_btime;
    StatxTimestamp stx_ctime;
    StatxTimestamp stx_mtime;
    uint32_t stx_rdev_major;
    uint32_t stx_rdev_minor;
    uint32_t stx_dev_major;
    uint32_t stx_dev_minor;
    uint64_t stx_mnt_id;
    uint32_t stx_dio_mem_align;
    uint32_t stx_dio_offset_align;
    uint64_t spare3[12];
};
static_assert(sizeof(LinuxStatx) == 256);
static_assert(offsetof(LinuxStatx, stx_atime) == 0x40 && offsetof(LinuxStatx, stx_rdev_major) == 0x80);
static_assert(offsetof(LinuxStatx, stx_mnt_id) == 0x90);

constexpr uint32_t STATX_TYPE = 0x1;
constexpr uint32_t STATX_MODE = 0x2;
constexpr uint32_t STATX_NLINK = 0x4;
constexpr uint32_t STATX_UID = 0x8;
constexpr uint32_t STATX_GID = 0x10;
constexpr uint32_t STATX_ATIME = 0x20;
constexpr uint32_t STATX_MTIME = 0x40;
constexpr uint32_t STATX_CTIME = 0x80;
constexpr uint32_t STATX_INO = 0x100;
constexpr uint32_t STATX_SIZE = 0x200;
constexpr uint32_t STATX_BLOCKS = 0x400;
constexpr uint32_t STATX_BASIC_STATS = 0x7ff;
constexpr uint32_t STATX_BTIME = 0x800;
constexpr uint32_t STATX_MNT_ID = 0x1000;
constexpr uint32_t STATX__RESERVED = 0x80000000u;

// struct statfs of x86-64 (asm-generic/statfs.h with 64-bit longs): 120 bytes.
struct LinuxStatfs {
    int64_t f_type;
    int64_t f_bsize;
    uint64_t f_blocks;
    uint64_t f_bfree;
    uint64_t f_bavail;
    uint64_t f_files;
    uint64_t f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen;
    int64_t f_frsize;
    int64_t f_flags;
    int64_t f_spare[4];
};
static_assert(sizeof(LinuxStatfs) == 120);

// statfs f_flags (ST_*).
constexpr int64_t ST_RDONLY = 0x0001;
constexpr int64_t ST_NOSUID = 0x0002;
constexpr int64_t ST_NODEV = 0x0004;
constexpr int64_t ST_NOEXEC = 0x0008;
constexpr int64_t ST_VALID = 0x0020;

// struct linux_dirent64: records of getdents64, each padded to a multiple of 8 bytes.
struct LinuxDirent64 {
    uint64_t d_ino;
    int64_t d_off;     // the position of the next record (what lseek() returns to continue there)
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];     // NUL-terminated
};
static_assert(offsetof(LinuxDirent64, d_name) == 19);
