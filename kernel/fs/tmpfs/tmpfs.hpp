#pragma once
// tmpfs: a file system in memory. Directories are libfs directories (the dcache is the directory),
// regular files keep their data in pages of an AddressSpace, symlinks their target in a kmalloc'd
// string; device nodes, FIFOs and sockets are bare inodes.
//
// Mount options (comma-separated, as Linux's): size=N[k|m|g|%] (default half of RAM; 0: unlimited),
// nr_inodes=N[k|m|g] (default half the pages of RAM; 0: unlimited), mode=octal, uid=N, gid=N for the
// root directory.
#include <fs/address_space.hpp>
#include <fs/inode.hpp>
#include <fs/super.hpp>

constexpr uint64_t TMPFS_MAGIC = 0x01021994;

struct TmpfsInode : Inode {
    AddressSpace data;        // regular files
    char* link = nullptr;     // symlinks: the target, NUL-terminated

    explicit TmpfsInode(PageQuota* quota) : data(quota) {}
};

struct TmpfsInfo {
    PageQuota pages;          // size= (limit UINT64_MAX: unlimited)
    uint64_t max_inodes = 0;  // nr_inodes= (0: unlimited)
    Atomic<uint64_t> inodes{0};
    uint32_t root_mode = 01777, root_uid = 0, root_gid = 0;
};

inline TmpfsInode* TMPFS_I(Inode* inode) { return static_cast<TmpfsInode*>(inode); }
inline TmpfsInfo* TMPFS_SB(SuperBlock* sb) { return static_cast<TmpfsInfo*>(sb->fs_info); }

extern FileSystemType tmpfs_fs_type;

// A new tmpfs inode of type/permissions `mode` owned per `cred` and `dir` (inode_init_owner); ENOSPC
// past nr_inodes, ENOMEM. For device nodes `rdev` is the device.
Result<Inode*> tmpfs_get_inode(SuperBlock* sb, const Inode* dir, uint32_t mode, kdev_t rdev,
                               const Credentials& cred);
// Parses tmpfs mount options into `info`. EINVAL for unknown options or bad values.
Result<void> tmpfs_parse_options(const char* data, TmpfsInfo& info);

extern const InodeOperations tmpfs_dir_inode_operations;
extern const InodeOperations tmpfs_file_inode_operations;
extern const InodeOperations tmpfs_symlink_inode_operations;
extern const InodeOperations tmpfs_special_inode_operations;
extern const FileOperations tmpfs_file_operations;
