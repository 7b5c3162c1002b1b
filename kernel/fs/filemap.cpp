#include <fs/address_space.hpp>
#include <fs/filemap.hpp>
#include <fs/super.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/string.hpp>
#include <mm/mm_hooks.hpp>
#include <mm/page.hpp>
#include <process/rlimit.hpp>
#include <sched/task.hpp>
#include <signal/signal.hpp>

namespace {

void update_blocks(Inode* inode) { inode->blocks = inode->mapping->nr_pages() * (kPageSize / 512); }

}  // namespace

Result<size_t> filemap_read(File* file, IoIter& to, int64_t* pos) {
    Inode* inode = file->inode;
    AddressSpace* mapping = inode->mapping;
    int64_t size;
    {
        FsMutexGuard guard(inode->lock);
        size = inode->size;
    }
    size_t done = 0;
    // Pages are referenced while copied, so a concurrent truncate cannot free them under us; it may
    // make this read return data or zeros from just before the truncation, as on Linux.
    while (to.count() && *pos < size) {
        uint64_t index = uint64_t(*pos) >> kPageShift;
        size_t offset = size_t(*pos) & (kPageSize - 1);
        size_t n = kPageSize - offset;
        if (int64_t(n) > size - *pos) n = size_t(size - *pos);
        if (n > to.count()) n = to.count();
        size_t copied;
        if (Page* page = mapping->find_get_page(index)) {
            copied = to.copy_to(static_cast<char*>(page_address(page)) + offset, n);
            put_page(page);
        } else {
            copied = to.zero(n);
        }
        done += copied;
        *pos += int64_t(copied);
        if (copied < n) {
            if (done == 0) return Errno::EFAULT;
            break;
        }
    }
    return done;
}

Result<size_t> filemap_write(File* file, IoIter& from, int64_t* pos) {
    Inode* inode = file->inode;
    AddressSpace* mapping = inode->mapping;
    FsMutexGuard guard(inode->lock);
    if (file->flags & O_APPEND) *pos = inode->size;
    // RLIMIT_FSIZE (Linux's generic_write_check_limits): at or past it, SIGXFSZ and EFBIG; below it,
    // a write that would cross it is cut short at the limit.
    uint64_t fsize = rlimit(current(), RLIMIT_FSIZE);
    if (fsize != kRlimInfinity) {
        if (uint64_t(*pos) >= fsize) {
            KernelSigInfo info;
            info.signo = SIGXFSZ;
            info.code = SI_USER;
            info.pid = current()->tgid;
            (void)send_sig_info(SIGXFSZ, info, current());
            return Errno::EFBIG;
        }
        from.truncate(size_t(fsize - uint64_t(*pos)));
    }
    int64_t limit = inode->sb->maxbytes;
    if (*pos >= limit) return Errno::EFBIG;
    from.truncate(size_t(limit - *pos));

    // file_remove_privs and file_update_time, before the data changes.
    if (!file_opened_by_root(*file) && !inode->is_dir()) {
        uint32_t kill = inode->mode & S_ISUID;
        if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) kill |= S_ISGID;
        inode->mode &= ~kill;
    }
    inode_touch_cmtime(inode);

    size_t done = 0;
    Errno error = Errno::OK;
    while (from.count()) {
        uint64_t index = uint64_t(*pos) >> kPageShift;
        size_t offset = size_t(*pos) & (kPageSize - 1);
        size_t n = kPageSize - offset;
        if (n > from.count()) n = from.count();
        Result<Page*> page = mapping->find_or_create_page(index);
        if (page.is_error()) {
            error = page.error();
            break;
        }
        size_t copied = from.copy_from(static_cast<char*>(page_address(page.value())) + offset, n);
        put_page(page.value());
        done += copied;
        *pos += int64_t(copied);
        if (*pos > inode->size) inode->size = *pos;
        if (copied < n) {
            error = Errno::EFAULT;
            break;
        }
    }
    update_blocks(inode);
    if (done == 0 && error != Errno::OK) return error;
    return done;
}

void filemap_set_size(Inode* inode, int64_t size) {
    AddressSpace* mapping = inode->mapping;
    if (size < inode->size) {
        uint64_t first_gone = (uint64_t(size) + kPageSize - 1) >> kPageShift;
        mapping->truncate_pages(first_gone);
        if (size_t offset = size_t(size) & (kPageSize - 1)) {
            if (Page* page = mapping->find_get_page(uint64_t(size) >> kPageShift)) {
                memset(static_cast<char*>(page_address(page)) + offset, 0, kPageSize - offset);
                put_page(page);
            }
        }
    }
    inode->size = size;
    update_blocks(inode);
}
