// The file-descriptor table: lowest free slot, dup/dup2/dup3/F_DUPFD, close-on-exec, fork, limits.
#include "vfs_fixture.hpp"

#include <fs/fdtable.hpp>

namespace {

class FdTableTest : public VfsTest {
protected:
    RefPtr<File> a, b;
    void SetUp() override {
        VfsTest::SetUp();
        a = open("/a", O_RDWR | O_CREAT).release_value();
        b = open("/b", O_RDWR | O_CREAT).release_value();
    }
    void TearDown() override {
        a = nullptr;
        b = nullptr;
        VfsTest::TearDown();
    }
};

TEST_F(FdTableTest, LowestFreeDescriptor) {
    RefPtr<FdTable> t = FdTable::create().release_value();
    EXPECT_EQ(t->alloc_fd(a, false, 1024).value(), 0);
    EXPECT_EQ(t->alloc_fd(b, false, 1024).value(), 1);
    EXPECT_EQ(t->alloc_fd(a, false, 1024).value(), 2);
    EXPECT_EQ(err(t->close(1)), Errno::OK);
    EXPECT_EQ(t->alloc_fd(b, false, 1024).value(), 1);
    EXPECT_EQ(err(t->close(7)), Errno::EBADF);
    EXPECT_EQ(err(t->close(-1)), Errno::EBADF);
    EXPECT_EQ(err(t->get(5)), Errno::EBADF);
    EXPECT_EQ(t->get(1).value().get(), b.get());
    EXPECT_EQ(t->count_open(), 3u);
    // Each descriptor holds a reference.
    EXPECT_EQ(a->ref_count(), 3u);
}

TEST_F(FdTableTest, CeilingAndGrowth) {
    RefPtr<FdTable> t = FdTable::create().release_value();
    for (int i = 0; i < 3; i++) ASSERT_EQ(t->alloc_fd(a, false, 3).value(), i);
    EXPECT_EQ(err(t->alloc_fd(a, false, 3)), Errno::EMFILE);
    // Growing past the initial 64 slots keeps everything.
    for (int i = 3; i < 200; i++) ASSERT_EQ(t->alloc_fd(b, i % 2, 1024).value(), i);
    EXPECT_EQ(t->count_open(), 200u);
    EXPECT_EQ(t->get_cloexec(199).value(), true);
    EXPECT_EQ(t->get_cloexec(198).value(), false);
    EXPECT_EQ(t->get(2).value().get(), a.get());
}

TEST_F(FdTableTest, Dup) {
    RefPtr<FdTable> t = FdTable::create().release_value();
    ASSERT_EQ(t->alloc_fd(a, true, 1024).value(), 0);
    EXPECT_EQ(t->dup(0, 1024).value(), 1);
    EXPECT_EQ(t->get(1).value().get(), a.get());
    EXPECT_EQ(t->get_cloexec(1).value(), false);  // dup clears close-on-exec
    EXPECT_EQ(err(t->dup(9, 1024)), Errno::EBADF);
    EXPECT_EQ(err(t->dup(0, 2)), Errno::EMFILE);
    // The duplicate shares the open file description: the same position.
    a->pos = 42;
    EXPECT_EQ(t->get(1).value()->pos, 42);
}

TEST_F(FdTableTest, Dup2AndDup3) {
    RefPtr<FdTable> t = FdTable::create().release_value();
    ASSERT_EQ(t->alloc_fd(a, false, 1024).value(), 0);
    ASSERT_EQ(t->alloc_fd(b, false, 1024).value(), 1);
    EXPECT_EQ(t->dup2(0, 0, 1024).value(), 0);      // same fd: just checks it
    EXPECT_EQ(err(t->dup2(5, 5, 1024)), Errno::EBADF);
    EXPECT_EQ(err(t->dup3(0, 0, 0, 1024)), Errno::EINVAL);
    EXPECT_EQ(err(t->dup3(0, 1, O_NONBLOCK, 1024)), Errno::EINVAL);
    // Onto an open descriptor: that file is closed (b loses the table's reference).
    uint32_t b_refs = b->ref_count();
    EXPECT_EQ(t->dup2(0, 1, 1024).value(), 1);
    EXPECT_EQ(b->ref_count(), b_refs - 1);
    EXPECT_EQ(t->get(1).value().get(), a.get());
    // Far beyond the current size: the table grows; beyond the ceiling: EBADF.
    EXPECT_EQ(t->dup3(0, 500, O_CLOEXEC, 1024).value(), 500);
    EXPECT_EQ(t->get_cloexec(500).value(), true);
    EXPECT_EQ(err(t->dup2(0, 1024, 1024)), Errno::EBADF);
    EXPECT_EQ(err(t->dup2(0, -1, 1024)), Errno::EBADF);
    EXPECT_EQ(err(t->dup2(7, 3, 1024)), Errno::EBADF);
}

TEST_F(FdTableTest, DupfdMinimum) {
    RefPtr<FdTable> t = FdTable::create().release_value();
    ASSERT_EQ(t->alloc_fd(a, false, 1024).value(), 0);
    EXPECT_EQ(t->dupfd_min(0, 10, true, 1024).value(), 10);
    EXPECT_EQ(t->dupfd_min(0, 10, false, 1024).value(), 11);
    EXPECT_EQ(t->get_cloexec(10).value(), true);
    EXPECT_EQ(t->dupfd_min(0, 0, false, 1024).value(), 1);
    EXPECT_EQ(err(t->dupfd_min(0, 1024, false, 1024)), Errno::EINVAL);
    EXPECT_EQ(err(t->dupfd_min(0, -1, false, 1024)), Errno::EINVAL);
    EXPECT_EQ(err(t->dupfd_min(3, 0, false, 1024)), Errno::EBADF);
    EXPECT_EQ(err(t->dupfd_min(0, 1023, false, 1024)), Errno::OK);
    EXPECT_EQ(err(t->dupfd_min(0, 1023, false, 1024)), Errno::EMFILE);
}

TEST_F(FdTableTest, CloseOnExec) {
    RefPtr<FdTable> t = FdTable::create().release_value();
    for (int i = 0; i < 130; i++) ASSERT_EQ(t->alloc_fd(i % 3 ? a : b, i % 3 == 0, 1024).value(), i);
    EXPECT_EQ(err(t->set_cloexec(1, true)), Errno::OK);
    EXPECT_EQ(err(t->set_cloexec(0, false)), Errno::OK);
    EXPECT_EQ(err(t->set_cloexec(999, true)), Errno::EBADF);
    t->close_on_exec();
    EXPECT_EQ(err(t->get(0)), Errno::OK);
    EXPECT_EQ(err(t->get(1)), Errno::EBADF);
    EXPECT_EQ(err(t->get(3)), Errno::EBADF);
    EXPECT_EQ(err(t->get(129)), Errno::EBADF);
    EXPECT_EQ(err(t->get(128)), Errno::OK);
    EXPECT_EQ(t->count_open(), 130u - 44u - 1u + 1u);
}

TEST_F(FdTableTest, ForkCopies) {
    RefPtr<FdTable> parent = FdTable::create().release_value();
    ASSERT_EQ(parent->alloc_fd(a, true, 1024).value(), 0);
    ASSERT_EQ(parent->alloc_fd(b, false, 1024).value(), 1);
    ASSERT_EQ(parent->dup2(0, 70, 1024).value(), 70);
    RefPtr<FdTable> child = parent->fork_copy().release_value();
    EXPECT_EQ(child->get(0).value().get(), a.get());
    EXPECT_EQ(child->get(70).value().get(), a.get());
    EXPECT_EQ(child->get_cloexec(0).value(), true);
    EXPECT_EQ(child->get_cloexec(1).value(), false);
    // Independent tables from now on.
    EXPECT_EQ(err(child->close(1)), Errno::OK);
    EXPECT_EQ(err(parent->get(1)), Errno::OK);
    EXPECT_EQ(child->alloc_fd(b, false, 1024).value(), 1);
    uint32_t refs = a->ref_count();
    child = nullptr;  // the last reference closes everything in it
    EXPECT_EQ(a->ref_count(), refs - 2);
}

TEST_F(FdTableTest, LastReferenceReleasesTheFile) {
    uint64_t files = nr_open_files();
    {
        RefPtr<FdTable> t = FdTable::create().release_value();
        ASSERT_EQ(t->alloc_fd(open("/c", O_RDWR | O_CREAT).release_value(), false, 1024).value(), 0);
        EXPECT_EQ(nr_open_files(), files + 1);
        EXPECT_EQ(err(t->close(0)), Errno::OK);
        EXPECT_EQ(nr_open_files(), files);
    }
}

}  // namespace
