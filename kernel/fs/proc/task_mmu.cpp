// /proc/<pid>/maps (Linux's fs/proc/task_mmu.c): one line per area of the address space.
//
//   start-end perms offset major:minor inode   name
// with addresses as %08lx, "rwxp"/"rwxs" permissions, the file offset, device and inode of a mapped
// file, and the name in column 74: the file's path, [heap], [stack], or what the backing calls itself.
#include <fs/d_path.hpp>
#include <fs/file.hpp>
#include <fs/fs_struct.hpp>
#include <fs/init.hpp>
#include <fs/proc/internal.hpp>
#include <mm/mm_struct.hpp>
#include <mm/slab.hpp>
#include <fs/uapi_fcntl.hpp>
#include <sched/task.hpp>

namespace {

// Where the name column starts: Linux pads to 25 + 6 * sizeof(void*) - 1 characters, then a space.
constexpr size_t kNameColumn = 25 + 6 * sizeof(void*) - 1;

void pad_to_name(SeqBuf& m, size_t line_start) {
    size_t used = m.len() - line_start;
    for (size_t i = used; i < kNameColumn; i++) m.putc(' ');
    m.putc(' ');
}

// A path with newlines escaped as Linux's seq_file_path does ("\012").
void put_escaped_path(SeqBuf& m, const char* path) {
    for (const char* p = path; *p; p++) {
        if (*p == '\n') m.puts("\\012");
        else m.putc(*p);
    }
}

}  // namespace

Path proc_reader_root() {
    Task* self = current();
    if (self->fs) return self->fs->root();
    return rootfs_root();
}

Result<void> proc_pid_maps(SeqBuf& m, ProcInode* inode) {
    if (!proc_task_alive(inode->task)) return Errno::ESRCH;
    MmStruct* mm = get_task_mm(inode->task);
    if (!mm) return {};
    char* path = static_cast<char*>(kmalloc(PATH_MAX));
    if (!path) {
        mmput(mm);
        return Errno::ENOMEM;
    }
    Path root = proc_reader_root();
    {
        MmapLockGuard guard(mm);
        const MmLayout& l = mm_layout(mm);
        for (VmArea* vma = mm->vmas.first(); vma && !m.overflowed(); vma = mm->vmas.next(*vma)) {
            size_t line_start = m.len();
            uint64_t f = vma->flags;
            uint32_t major = 0, minor = 0;
            uint64_t ino = 0, offset = 0;
            if (vma->file) {
                Inode* file_inode = vma->file->inode;
                kdev_t dev = file_inode->sb->dev;
                major = MAJOR(dev), minor = MINOR(dev);
                ino = file_inode->ino;
                offset = vma->pgoff << 12;
            }
            m.printf("%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ", (unsigned long long)vma->start,
                     (unsigned long long)vma->end, f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
                     f & VM_EXEC ? 'x' : '-', f & VM_MAYSHARE ? 's' : 'p', (unsigned long long)offset, major, minor,
                     (unsigned long long)ino);
            const char* name = nullptr;
            if (vma->file) {
                // d_path takes the mount and dcache locks (spinlocks), which nest inside the mmap lock.
                Result<size_t> len = d_path(vma->file->path, root, path, PATH_MAX);
                name = len.is_error() ? "?" : path;
            } else if (vma->vm_ops && vma->vm_ops->name) {
                name = vma->vm_ops->name;
            } else if (vma->start <= l.brk && vma->end >= l.start_brk && l.start_brk) {
                name = "[heap]";
            } else if (vma->start <= l.start_stack && vma->end >= l.start_stack) {
                name = "[stack]";
            }
            if (name) {
                pad_to_name(m, line_start);
                put_escaped_path(m, name);
            }
            m.putc('\n');
        }
    }
    kfree(path);
    mmput(mm);
    return {};
}
