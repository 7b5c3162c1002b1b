// File mappings on the VFS (filemap.hpp): areas hold a reference to their File; faults go to the
// file's page cache (its inode's AddressSpace).
#include <fs/address_space.hpp>
#include <fs/file.hpp>
#include <fs/inode.hpp>
#include <fs/uapi_fcntl.hpp>
#include <mm/filemap.hpp>
#include <mm/page.hpp>
#include <mm/vma.hpp>

void mmap_file_get(File* file) { file->ref(); }
void mmap_file_put(File* file) { file->unref(); }

unsigned mmap_file_access(File* file) {
    unsigned access = 0;
    if (file->readable()) access |= MMAP_FILE_READ;
    if (file->writable()) access |= MMAP_FILE_WRITE;
    if (file->flags & O_APPEND) access |= MMAP_FILE_APPEND;
    return access;
}

Result<void> mmap_file_call_mmap(File* file, VmArea* vma) {
    if (!file->f_op || !file->f_op->mmap) return Errno::ENODEV;
    return file->f_op->mmap(file, vma);
}

Result<Page*> filemap_get_page(File* file, uint64_t index) {
    Inode* inode = file->inode;
    if (!inode || !inode->mapping) return Errno::EIO;
    // A page wholly beyond the end of the file: SIGBUS, as on Linux. (The tail of the last page reads
    // as zeros: the page cache keeps it zeroed past the size.)
    int64_t size = __atomic_load_n(&inode->size, __ATOMIC_RELAXED);
    if (size < 0 || index >= page_align_up(uint64_t(size)) >> kPageShift) return Errno::EFAULT;
    return inode->mapping->find_or_create_page(index);
}

namespace {

Result<Page*> filemap_fault(VmArea* vma, uint64_t pgoff) { return filemap_get_page(vma->file, pgoff); }

}  // namespace

const VmOperations generic_file_vm_ops = {
    .open = nullptr,
    .close = nullptr,
    .fault = filemap_fault,
    .name = nullptr,
};

Result<void> generic_file_mmap(File*, VmArea* vma) {
    vma->vm_ops = &generic_file_vm_ops;
    return {};
}
