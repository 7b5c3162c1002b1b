// sysfs super blocks: building the fixed tree at mount time, and reading attribute files.
#include <fs/libfs.hpp>
#include <fs/seek.hpp>
#include <fs/sysfs/sysfs_internal.hpp>
#include <fs/uapi_fcntl.hpp>
#include <init/initcall.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <printk/printk.hpp>

namespace {

constexpr size_t kAttributeSize = 4096;  // what a show() may print, as Linux's PAGE_SIZE buffer

// Attributes print afresh on every read from position 0; later reads continue in the same text
// (each read regenerates, which is consistent because the values are tiny and printed at once).
Result<size_t> attribute_read(File* file, IoIter& to, int64_t* pos) {
    const SysfsAttribute* attr = static_cast<const SysfsAttribute*>(file->inode->i_private);
    char* buf = static_cast<char*>(kmalloc(kAttributeSize));
    if (!buf) return Errno::ENOMEM;
    SeqBuf m(buf, kAttributeSize);
    attr->show(m);
    size_t len = m.len();
    size_t copied = 0;
    if (*pos >= 0 && uint64_t(*pos) < len) {
        size_t n = len - size_t(*pos);
        if (n > to.count()) n = to.count();
        copied = to.copy_to(buf + *pos, n);
        *pos += int64_t(copied);
    }
    kfree(buf);
    return copied;
}

const FileOperations attribute_operations = {
    .read = attribute_read,
    .llseek = generic_file_llseek,
};

Result<Inode*> make_inode(SuperBlock* sb, uint32_t mode) {
    Inode* inode = new_inode(sb);
    if (!inode) return Errno::ENOMEM;
    inode->mode = mode;
    if (S_ISDIR(mode)) {
        inode->nlink = 2;
        inode->i_op = &simple_dir_inode_operations;
        inode->i_fop = &simple_dir_operations;
    } else {
        inode->size = kAttributeSize;  // what Linux reports for attributes
        inode->i_fop = &attribute_operations;
    }
    return inode;
}

// A pinned child `name` of `parent` with a new inode of `mode`; the dentry (borrowed: its pin keeps it).
Result<Dentry*> add_child(Dentry* parent, const char* name, uint32_t mode) {
    Inode* inode = TRY(make_inode(parent->sb, mode));
    Dentry* d = d_alloc(parent, name, strlen(name));
    if (!d) {
        inode->unref();
        return Errno::ENOMEM;
    }
    d_rehash(d);
    simple_instantiate(d, inode);
    if (S_ISDIR(mode)) parent->inode->nlink++;
    dput(d);  // the pin keeps it
    return d;
}

Result<void> add_dir_path(Dentry* root, const char* const* names, size_t n, Dentry** out) {
    Dentry* d = root;
    for (size_t i = 0; i < n; i++) d = TRY(add_child(d, names[i], S_IFDIR | 0755));
    *out = d;
    return {};
}

Result<void> populate(SuperBlock* sb) {
    Dentry* root = sb->root;
    static const char* const kTopLevel[] = {"block", "bus", "class", "dev", "firmware", "fs", "kernel",
                                            "module", "power"};
    for (const char* name : kTopLevel) TRY(add_child(root, name, S_IFDIR | 0755));
    static const char* const kCpuPath[] = {"devices", "system", "cpu"};
    Dentry* cpu_dir = nullptr;
    TRY(add_dir_path(root, kCpuPath, 3, &cpu_dir));
    for (size_t i = 0; i < sysfs_nr_cpu_attributes; i++) {
        const SysfsAttribute* attr = &sysfs_cpu_attributes[i];
        Dentry* d = TRY(add_child(cpu_dir, attr->name, S_IFREG | 0444));
        d->inode->i_private = const_cast<SysfsAttribute*>(attr);
    }
    return {};
}

Result<void> sysfs_statfs(SuperBlock*, LinuxStatfs& out) {
    out.f_bsize = out.f_frsize = 4096;
    return {};
}

const SuperOperations sysfs_super_operations = {
    .statfs = sysfs_statfs,
};

Result<SuperBlock*> sysfs_mount(FileSystemType* type, unsigned long flags, const char*, const char*) {
    SuperBlock* sb = TRY(alloc_super(type, &sysfs_super_operations));
    sb->magic = SYSFS_MAGIC;
    sb->blocksize = 4096;
    sb->maxbytes = INT64_MAX;
    if (flags & MS_RDONLY) sb->flags |= SB_RDONLY;
    Result<Inode*> root = make_inode(sb, S_IFDIR | 0755);
    if (root.is_error() || !(sb->root = d_make_root(root.value()))) {
        if (!root.is_error()) root.value()->unref();
        generic_shutdown_super(sb);
        return Errno::ENOMEM;
    }
    Result<void> filled = populate(sb);
    if (filled.is_error()) {
        generic_shutdown_super(sb);
        return filled.error();
    }
    return sb;
}

int sysfs_init() {
    Result<void> r = register_filesystem(&sysfs_fs_type);
    if (r.is_error()) {
        pr_err("sysfs: cannot register the file system: %s", errno_name(r.error()));
        return -int(r.error());
    }
    return 0;
}

}  // namespace

FileSystemType sysfs_fs_type = {
    .name = "sysfs",
    .fs_flags = 0,
    .mount = sysfs_mount,
    .kill_sb = generic_shutdown_super,
    .next = nullptr,
};

fs_initcall(sysfs_init);
