// tmpfs super blocks: mount, options, inode allocation, statfs, shutdown.
#include <fs/cred.hpp>
#include <fs/libfs.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/string.hpp>
#include <mm/gfp.hpp>
#include <mm/page.hpp>
#include <mm/slab.hpp>

namespace {

Inode* tmpfs_alloc_inode(SuperBlock* sb) {
    return knew<TmpfsInode>(&TMPFS_SB(sb)->pages);
}

void tmpfs_destroy_inode(Inode* inode) {
    TmpfsInode* ti = TMPFS_I(inode);
    kfree(ti->link);
    TMPFS_SB(inode->sb)->inodes.fetch_sub(1, MemoryOrder::Relaxed);
    kdelete(ti);  // ~AddressSpace frees the data pages
}

Result<void> tmpfs_statfs(SuperBlock* sb, LinuxStatfs& out) {
    TmpfsInfo* info = TMPFS_SB(sb);
    out.f_bsize = out.f_frsize = kPageSize;
    if (info->pages.limit != UINT64_MAX) {
        uint64_t used = info->pages.used.load(MemoryOrder::Relaxed);
        out.f_blocks = info->pages.limit;
        out.f_bfree = out.f_bavail = used < info->pages.limit ? info->pages.limit - used : 0;
    }
    if (info->max_inodes) {
        uint64_t used = info->inodes.load(MemoryOrder::Relaxed);
        out.f_files = info->max_inodes;
        out.f_ffree = used < info->max_inodes ? info->max_inodes - used : 0;
    }
    return {};
}

void tmpfs_put_super(SuperBlock* sb) {
    kdelete(TMPFS_SB(sb));
    sb->fs_info = nullptr;
}

Result<void> tmpfs_remount(SuperBlock* sb, unsigned long, const char* data) {
    TmpfsInfo* info = TMPFS_SB(sb);
    TmpfsInfo parsed;
    parsed.pages.limit = info->pages.limit;
    parsed.max_inodes = info->max_inodes;
    TRY(tmpfs_parse_options(data, parsed));
    // Shrinking below what is in use fails, as on Linux.
    if (parsed.pages.limit < info->pages.used.load(MemoryOrder::Relaxed)) return Errno::EINVAL;
    if (parsed.max_inodes && parsed.max_inodes < info->inodes.load(MemoryOrder::Relaxed)) return Errno::EINVAL;
    info->pages.limit = parsed.pages.limit;
    info->max_inodes = parsed.max_inodes;
    return {};
}

const SuperOperations tmpfs_super_operations = {
    .alloc_inode = tmpfs_alloc_inode,
    .destroy_inode = tmpfs_destroy_inode,
    .evict_inode = nullptr,
    .statfs = tmpfs_statfs,
    .put_super = tmpfs_put_super,
    .remount = tmpfs_remount,
};

Result<SuperBlock*> tmpfs_mount(FileSystemType* type, unsigned long flags, const char*, const char* data) {
    TmpfsInfo* info = knew<TmpfsInfo>();
    if (!info) return Errno::ENOMEM;
    info->pages.limit = totalram_pages() / 2;
    info->max_inodes = totalram_pages() / 2;
    Result<void> parsed = tmpfs_parse_options(data, *info);
    if (parsed.is_error()) {
        kdelete(info);
        return parsed.error();
    }
    Result<SuperBlock*> allocated = alloc_super(type, &tmpfs_super_operations);
    if (allocated.is_error()) {
        kdelete(info);
        return allocated.error();
    }
    SuperBlock* sb = allocated.value();
    sb->fs_info = info;
    sb->magic = TMPFS_MAGIC;
    sb->blocksize = kPageSize;
    sb->maxbytes = INT64_MAX;
    if (flags & MS_RDONLY) sb->flags |= SB_RDONLY;

    Credentials owner;
    cred_set_ids(owner, info->root_uid, info->root_gid);
    Result<Inode*> root = tmpfs_get_inode(sb, nullptr, S_IFDIR | info->root_mode, 0, owner);
    if (root.is_error() || !(sb->root = d_make_root(root.value()))) {
        if (!root.is_error()) root.value()->unref();
        generic_shutdown_super(sb);
        return root.is_error() ? root.error() : Errno::ENOMEM;
    }
    return sb;
}

}  // namespace

Result<Inode*> tmpfs_get_inode(SuperBlock* sb, const Inode* dir, uint32_t mode, kdev_t rdev,
                               const Credentials& cred) {
    TmpfsInfo* info = TMPFS_SB(sb);
    uint64_t used = info->inodes.fetch_add(1, MemoryOrder::Relaxed);
    if (info->max_inodes && used >= info->max_inodes) {
        info->inodes.fetch_sub(1, MemoryOrder::Relaxed);
        return Errno::ENOSPC;
    }
    Inode* inode = new_inode(sb);
    if (!inode) {
        info->inodes.fetch_sub(1, MemoryOrder::Relaxed);
        return Errno::ENOMEM;
    }
    inode_init_owner(inode, dir, mode, cred);
    mode = inode->mode;
    switch (mode & S_IFMT) {
    case S_IFREG:
        inode->i_op = &tmpfs_file_inode_operations;
        inode->i_fop = &tmpfs_file_operations;
        inode->mapping = &TMPFS_I(inode)->data;
        break;
    case S_IFDIR:
        inode->i_op = &tmpfs_dir_inode_operations;
        inode->i_fop = &simple_dir_operations;
        inode->nlink = 2;  // its name and its "."
        inode->size = 2 * kBogoDirentSize;
        break;
    case S_IFLNK:
        inode->i_op = &tmpfs_symlink_inode_operations;
        break;
    default:
        inode->i_op = &tmpfs_special_inode_operations;
        init_special_inode(inode, mode, rdev);
        break;
    }
    return inode;
}

Result<void> tmpfs_parse_options(const char* data, TmpfsInfo& info) {
    if (!data) return {};
    const char* p = data;
    while (*p) {
        const char* end = p;
        while (*end && *end != ',') end++;
        const char* eq = p;
        while (eq < end && *eq != '=') eq++;
        size_t key_len = size_t(eq - p);
        if (key_len == 0 && end == p) {  // an empty option (",,")
            p = *end ? end + 1 : end;
            continue;
        }
        if (eq == end) return Errno::EINVAL;  // every tmpfs option takes a value
        const char* v = eq + 1;
        // Parses digits in `base` then an optional suffix; false on anything else.
        auto number = [&](unsigned base, bool allow_suffix, uint64_t& out, char& suffix) {
            out = 0;
            suffix = 0;
            const char* q = v;
            if (q == end) return false;
            for (; q < end; q++) {
                unsigned digit = unsigned(*q - '0');
                if (digit >= base) break;
                if (out > (UINT64_MAX - digit) / base) return false;
                out = out * base + digit;
            }
            if (q == v) return false;
            if (q < end) {
                if (!allow_suffix || q + 1 != end) return false;
                suffix = *q;
            }
            return true;
        };
        auto key_is = [&](const char* k) { return strlen(k) == key_len && memcmp(p, k, key_len) == 0; };
        uint64_t n;
        char suffix;
        if (key_is("size") || key_is("nr_inodes")) {
            if (!number(10, true, n, suffix)) return Errno::EINVAL;
            bool is_size = key_is("size");
            uint64_t multiplier = 1;
            switch (suffix) {
            case 0: break;
            case 'k': case 'K': multiplier = 1ull << 10; break;
            case 'm': case 'M': multiplier = 1ull << 20; break;
            case 'g': case 'G': multiplier = 1ull << 30; break;
            case '%':
                if (!is_size) return Errno::EINVAL;
                multiplier = 0;
                break;
            default: return Errno::EINVAL;
            }
            if (is_size) {
                uint64_t pages = multiplier ? (n * multiplier + kPageSize - 1) / kPageSize
                                            : totalram_pages() * n / 100;
                info.pages.limit = pages ? pages : UINT64_MAX;
            } else {
                info.max_inodes = n * multiplier;
            }
        } else if (key_is("mode")) {
            if (!number(8, false, n, suffix) || n > 07777) return Errno::EINVAL;
            info.root_mode = uint32_t(n);
        } else if (key_is("uid") || key_is("gid")) {
            if (!number(10, false, n, suffix) || n > UINT32_MAX) return Errno::EINVAL;
            (key_is("uid") ? info.root_uid : info.root_gid) = uint32_t(n);
        } else {
            return Errno::EINVAL;
        }
        p = *end ? end + 1 : end;
    }
    return {};
}

FileSystemType tmpfs_fs_type = {
    .name = "tmpfs",
    .fs_flags = 0,
    .mount = tmpfs_mount,
    .kill_sb = generic_shutdown_super,
    .next = nullptr,
};
