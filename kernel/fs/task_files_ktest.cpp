// Self-tests of the per-task file state across fork/clone, exec and exit (task_files.cpp), run on
// kernel_init with a descriptor table of the test's own swapped in.
#include <fs/devices/mem.hpp>
#include <fs/ktest_tmpfs.hpp>
#include <fs/task_files.hpp>
#include <fs/uapi_fcntl.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <mm/slab.hpp>
#include <process/process.hpp>
#include <utility>

namespace {

// Gives the current task `table` as its descriptor table while in scope.
class WithFiles {
public:
    explicit WithFiles(FdTable* table) : saved_(std::exchange(current()->files, table)) {}
    ~WithFiles() { current()->files = saved_; }

private:
    FdTable* saved_;
};

RefPtr<File> open_file(KtestTmpfs& fs, const char* name) {
    Result<RefPtr<File>> f = vfs_open(fs.caller(), name, O_RDWR | O_CREAT, 0644);
    return f.is_error() ? RefPtr<File>() : f.release_value();
}

}  // namespace

KTEST(task_files, clone_files_shares_fork_copies) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    Result<RefPtr<FdTable>> made = FdTable::create();
    KASSERT_TRUE(made.is_error() == false);
    RefPtr<FdTable> table = made.release_value();
    RefPtr<File> file = open_file(fs, "a");
    KASSERT_TRUE(bool(file));
    KASSERT_EQ(table->alloc_fd(file, false, kNrOpenDefault).value(), 0);
    WithFiles with(table.get());
    Task* child = knew<Task>();
    KASSERT_TRUE(child != nullptr);

    // CLONE_FILES: the same table, one more reference; closing in one closes in both.
    KASSERT_TRUE(copy_files(CLONE_FILES, child).is_error() == false);
    KEXPECT_TRUE(child->files == table.get());
    KEXPECT_EQ(table->ref_count(), 2);
    exit_files(child);
    KEXPECT_TRUE(child->files == nullptr);
    KEXPECT_EQ(table->ref_count(), 1);

    // fork: a copy with the same open file; closing in the child leaves the parent's descriptor.
    KASSERT_TRUE(copy_files(0, child).is_error() == false);
    KASSERT_TRUE(child->files != nullptr && child->files != table.get());
    Result<RefPtr<File>> got = child->files->get(0);
    KEXPECT_TRUE(got.is_error() == false && got.value().get() == file.get());
    KEXPECT_TRUE(child->files->close(0).is_error() == false);
    KEXPECT_TRUE(table->get(0).is_error() == false);
    exit_files(child);
    kdelete(child);
}

KTEST(task_files, close_on_exec_closes_only_marked) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    RefPtr<FdTable> table = FdTable::create().release_value();
    KASSERT_TRUE(bool(table));
    RefPtr<File> keep = open_file(fs, "keep"), drop = open_file(fs, "drop");
    KASSERT_TRUE(bool(keep) && bool(drop));
    KEXPECT_EQ(table->alloc_fd(keep, false, kNrOpenDefault).value(), 0);
    KEXPECT_EQ(table->alloc_fd(drop, true, kNrOpenDefault).value(), 1);
    uint32_t refs_before = drop->ref_count();
    WithFiles with(table.get());
    do_close_on_exec(current());
    KEXPECT_TRUE(table->get(0).is_error() == false);
    KEXPECT_EQ(int(table->get(1).error()), int(Errno::EBADF));
    KEXPECT_EQ(drop->ref_count(), refs_before - 1);
}

KTEST(task_files, clone_fs_shares_fork_copies_init_fs) {
    FsStruct* init = init_fs();
    KASSERT_TRUE(init != nullptr);
    Task* child = knew<Task>();
    KASSERT_TRUE(child != nullptr);
    // kernel_init runs on init_fs; CLONE_FS shares it, fork copies it (a chdir in one is not seen
    // by the other).
    KASSERT_TRUE(copy_fs(CLONE_FS, child).is_error() == false);
    KEXPECT_TRUE(child->fs == task_fs(current()));
    exit_fs(child);
    KASSERT_TRUE(copy_fs(0, child).is_error() == false);
    KASSERT_TRUE(child->fs != nullptr && child->fs != task_fs(current()));
    KEXPECT_TRUE(child->fs->root() == task_fs(current())->root());
    uint32_t old = child->fs->set_umask(077);
    KEXPECT_EQ(task_fs(current())->umask(), old);
    exit_fs(child);
    kdelete(child);
}

KTEST(task_files, init_has_console_descriptors) {
    // console_on_rootfs ran before the self-tests: 0, 1 and 2 are one open /dev/console.
    FdTable* files = current()->files;
    KASSERT_TRUE(files != nullptr);
    Result<RefPtr<File>> in = files->get(0), out = files->get(1), err = files->get(2);
    KASSERT_TRUE(in.is_error() == false && out.is_error() == false && err.is_error() == false);
    KEXPECT_TRUE(in.value().get() == out.value().get() && out.value().get() == err.value().get());
    KEXPECT_TRUE(in.value()->readable() && in.value()->writable());
}

KTEST(task_files, exec_unshares_a_shared_table) {
    KtestTmpfs fs;
    KASSERT_TRUE(fs.ok());
    RefPtr<FdTable> table = FdTable::create().release_value();
    KASSERT_TRUE(bool(table));
    RefPtr<File> file = open_file(fs, "shared");
    KASSERT_TRUE(bool(file));
    KEXPECT_EQ(table->alloc_fd(file, true, kNrOpenDefault).value(), 0);
    table->ref();  // the exec'ing task's reference; `table` stands for a CLONE_FILES sibling's
    {
        WithFiles with(table.get());
        do_close_on_exec(current());
        // The exec'ing task got a private table without the descriptor; the sibling keeps it.
        KEXPECT_TRUE(current()->files != table.get());
        KEXPECT_EQ(int(current()->files->get(0).error()), int(Errno::EBADF));
        KEXPECT_TRUE(table->get(0).is_error() == false);
        KEXPECT_EQ(table->ref_count(), 1);  // exec let go of its reference to the shared table
        current()->files->unref();
    }
}
