// The mm side of mapping page-cache files (filemap.hpp): faults go to the file's page cache. The file
// reference the area holds keeps the file (and its pages) alive; nothing else is needed per area.
#include <mm/filemap.hpp>
#include <mm/vma.hpp>

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
