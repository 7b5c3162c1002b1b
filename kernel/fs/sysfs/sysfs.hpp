#pragma once
// sysfs: the kernel's objects as directories and their attributes as small text files (Linux's
// /sys). Tern's is small and fixed: the tree is built when the file system is mounted, from a table
// of directories and attributes, and attribute files print their value when read (at most a page, as
// Linux's show() functions do). What it holds today:
//   /sys/devices/system/cpu/{online,possible,present,offline,kernel_max}  (glibc's CPU count)
//   /sys/kernel/ and the other top-level directories Linux has, empty until something registers there.
#include <fs/super.hpp>
#include <lib/seq_buf.hpp>

constexpr uint64_t SYSFS_MAGIC = 0x62656572;

// A read-only attribute: prints its value (with the trailing newline).
struct SysfsAttribute {
    const char* name;
    void (*show)(SeqBuf& m);
};

extern FileSystemType sysfs_fs_type;
