#pragma once
// Character devices: a registry from (major, minor range) to the driver's file operations (Linux's
// register_chrdev_region + cdev in one), and the operations a device inode opens with, which look the
// driver up by the inode's device number.
#include <fs/file.hpp>
#include <fs/kdev.hpp>
#include <lib/result.hpp>
#include <stdint.h>

constexpr uint32_t kChrdevMaxMajor = 4095;

// Registers `count` minors from `baseminor` of `major` (0: pick a free major, dynamic like Linux's,
// from 254 down). Returns the major. EBUSY if any of those numbers is taken, EINVAL for bad ranges,
// ENOSPC when the registry's 64 regions are used up.
Result<uint32_t> register_chrdev_region(uint32_t major, uint32_t baseminor, uint32_t count,
                                        const char* name, const FileOperations* fops);
void unregister_chrdev_region(uint32_t major, uint32_t baseminor, uint32_t count);
// The driver for `dev`, or nullptr.
const FileOperations* chrdev_lookup(kdev_t dev);

// i_fop of character and block device inodes (init_special_inode).
extern const FileOperations def_chr_fops;
extern const FileOperations def_blk_fops;
