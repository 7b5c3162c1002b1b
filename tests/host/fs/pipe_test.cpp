// Pipes and FIFOs without waiting: data flow, capacity, PIPE_BUF atomicity, EOF, EPIPE, O_NONBLOCK,
// FIFO opens. (pipe_blocking_test.cpp runs the sleeping cases with real kernel threads.)
#include "vfs_fixture.hpp"

#include <fs/pipe.hpp>
#include <fs/poll.hpp>
#include <mm/page.hpp>

#include <vector>

namespace {

int sigpipes = 0;

class PipeTest : public VfsTest {
protected:
    void SetUp() override {
        VfsTest::SetUp();
        ASSERT_EQ(err(pipe_init()), Errno::OK);
        sigpipes = 0;
        pipe_sigpipe_hook = [] { sigpipes++; };
    }
    void TearDown() override {
        pipe_sigpipe_hook = nullptr;
        pipe_exit();
        VfsTest::TearDown();
    }
    PipeFiles make(int flags = O_NONBLOCK) { return create_pipe_files(flags, cred).release_value(); }

    static Result<size_t> put(File& f, const void* data, size_t n) {
        IoIter from = IoIter::kernel(data, n);
        return vfs_write(f, from);
    }
    static Result<size_t> get(File& f, void* buf, size_t n) {
        IoIter to = IoIter::kernel(buf, n);
        return vfs_read(f, to);
    }
};

TEST_F(PipeTest, DataFlowsInOrder) {
    PipeFiles p = make();
    EXPECT_EQ(put(*p.write_end, "hello, ", 7).value(), 7u);
    EXPECT_EQ(put(*p.write_end, "pipe", 4).value(), 4u);
    char buf[32] = {};
    EXPECT_EQ(get(*p.read_end, buf, 5).value(), 5u);
    EXPECT_EQ(std::string(buf, 5), "hello");
    // A read returns what is there, not waiting for the whole request.
    EXPECT_EQ(get(*p.read_end, buf, sizeof(buf)).value(), 6u);
    EXPECT_EQ(std::string(buf, 6), ", pipe");
    EXPECT_EQ(err(get(*p.read_end, buf, sizeof(buf))), Errno::EAGAIN);
    // Each end does one direction only, and neither seeks.
    EXPECT_EQ(err(put(*p.read_end, "x", 1)), Errno::EBADF);
    EXPECT_EQ(err(get(*p.write_end, buf, 1)), Errno::EBADF);
    EXPECT_EQ(err(vfs_llseek(*p.read_end, 0, SEEK_SET)), Errno::ESPIPE);
    EXPECT_EQ(err(kernel_read(*p.read_end, buf, 1, 0)), Errno::ESPIPE);
    Kstat st = vfs_fstat(*p.read_end);
    EXPECT_EQ(st.mode, S_IFIFO | 0600);
    EXPECT_EQ(st.ino, vfs_fstat(*p.write_end).ino);
    EXPECT_NE(st.ino, vfs_fstat(*make().read_end).ino);
}

TEST_F(PipeTest, Pipe2Flags) {
    EXPECT_EQ(err(create_pipe_files(O_DIRECT, cred)), Errno::EINVAL);
    EXPECT_EQ(err(create_pipe_files(O_RDWR, cred)), Errno::EINVAL);
    PipeFiles p = create_pipe_files(O_CLOEXEC, cred).release_value();
    EXPECT_FALSE(p.read_end->flags & O_NONBLOCK);
    EXPECT_EQ(p.read_end->flags & O_ACCMODE, unsigned(O_RDONLY));
    EXPECT_EQ(p.write_end->flags & O_ACCMODE, unsigned(O_WRONLY));
}

TEST_F(PipeTest, CapacityIsSixteenPagesAndSmallWritesAreAtomic) {
    PipeFiles p = make();
    std::vector<uint8_t> big(100000, 0x11);
    // A large non-blocking write takes what fits.
    EXPECT_EQ(put(*p.write_end, big.data(), big.size()).value(), 65536u);
    EXPECT_EQ(err(put(*p.write_end, big.data(), 1)), Errno::EAGAIN);
    uint8_t buf[100];
    EXPECT_EQ(get(*p.read_end, buf, 100).value(), 100u);
    // 100 bytes free: a 200-byte write (<= PIPE_BUF) must not go in partly.
    EXPECT_EQ(err(put(*p.write_end, big.data(), 200)), Errno::EAGAIN);
    EXPECT_EQ(put(*p.write_end, big.data(), 100).value(), 100u);
    // A write larger than PIPE_BUF may be split.
    std::vector<uint8_t> drain(70000);
    EXPECT_EQ(get(*p.read_end, drain.data(), 5000).value(), 5000u);
    EXPECT_EQ(put(*p.write_end, big.data(), 6000).value(), 5000u);
    EXPECT_EQ(vfs_poll(*p.write_end) & POLLOUT, 0u);
    EXPECT_EQ(vfs_poll(*p.read_end) & POLLIN, POLLIN);
}

TEST_F(PipeTest, RingWrapsAroundWithIntactData) {
    PipeFiles p = make();
    uint8_t next_in = 0, next_out = 0;
    std::vector<uint8_t> chunk, back(9000);
    size_t total = 0;
    // Odd sizes so that reads and writes straddle page and ring boundaries many times.
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + (round * 2749) % 8999;
        chunk.resize(n);
        for (uint8_t& c : chunk) c = next_in++;
        ASSERT_EQ(put(*p.write_end, chunk.data(), n).value(), n);
        size_t m = get(*p.read_end, back.data(), n).value();
        ASSERT_EQ(m, n);
        for (size_t i = 0; i < m; i++) ASSERT_EQ(back[i], next_out++) << round;
        total += n;
    }
    EXPECT_GT(total, 10 * PipeInfo::kCapacity);
}

TEST_F(PipeTest, DrainedPipeGivesPagesBack) {
    PipeFiles p = make();
    uint64_t before = nr_free_pages();
    std::vector<uint8_t> data(65536, 7);
    ASSERT_EQ(put(*p.write_end, data.data(), data.size()).value(), data.size());
    EXPECT_EQ(nr_free_pages(), before - 16);
    ASSERT_EQ(get(*p.read_end, data.data(), data.size()).value(), data.size());
    EXPECT_EQ(nr_free_pages(), before - 1);  // one page kept for the next write
    p = PipeFiles{};
    EXPECT_EQ(nr_free_pages(), before);
}

TEST_F(PipeTest, EndOfFileAndBrokenPipe) {
    PipeFiles p = make();
    ASSERT_EQ(put(*p.write_end, "last", 4).value(), 4u);
    p.write_end = nullptr;
    char buf[8];
    EXPECT_EQ(get(*p.read_end, buf, 8).value(), 4u);  // data first, then end of file
    EXPECT_EQ(get(*p.read_end, buf, 8).value(), 0u);
    EXPECT_EQ(vfs_poll(*p.read_end) & POLLHUP, POLLHUP);

    PipeFiles q = make(0);
    q.read_end = nullptr;
    EXPECT_EQ(err(put(*q.write_end, "x", 1)), Errno::EPIPE);
    EXPECT_EQ(sigpipes, 1);
    EXPECT_EQ(vfs_poll(*q.write_end) & POLLERR, POLLERR);
}

TEST_F(PipeTest, Fifos) {
    ASSERT_EQ(err(vfs_mknod(caller(), "/fifo", S_IFIFO | 0666, 0)), Errno::OK);
    // Nobody reads: a non-blocking writer cannot open; a non-blocking reader can.
    EXPECT_EQ(open_err("/fifo", O_WRONLY | O_NONBLOCK), Errno::ENXIO);
    Inode* inode = lookup("/fifo").value().inode();
    EXPECT_EQ(inode->pipe, nullptr);
    RefPtr<File> reader = open("/fifo", O_RDONLY | O_NONBLOCK).release_value();
    ASSERT_NE(inode->pipe, nullptr);
    char buf[8];
    // No writer has come: an empty FIFO reads as end of file.
    EXPECT_EQ(get(*reader, buf, 8).value(), 0u);
    RefPtr<File> writer = open("/fifo", O_WRONLY | O_NONBLOCK).release_value();
    EXPECT_EQ(put(*writer, "fifo", 4).value(), 4u);
    EXPECT_EQ(get(*reader, buf, 8).value(), 4u);
    EXPECT_EQ(std::string(buf, 4), "fifo");
    EXPECT_EQ(err(get(*reader, buf, 8)), Errno::EAGAIN);
    // O_RDWR holds both ends.
    RefPtr<File> both = open("/fifo", O_RDWR).release_value();
    writer = nullptr;
    EXPECT_EQ(put(*both, "rw", 2).value(), 2u);
    EXPECT_EQ(get(*reader, buf, 8).value(), 2u);
    // The pipe goes with the last open file; the data does not outlive it.
    ASSERT_EQ(put(*both, "lost", 4).value(), 4u);
    reader = nullptr;
    both = nullptr;
    EXPECT_EQ(inode->pipe, nullptr);
    reader = open("/fifo", O_RDONLY | O_NONBLOCK).release_value();
    EXPECT_EQ(get(*reader, buf, 8).value(), 0u);
    EXPECT_EQ(stat("/fifo").value().size, 0);
}

TEST_F(PipeTest, PollQueuesOnTheWaitQueuesOfItsDirection) {
    PipeFiles p = make();
    struct Recorder : PollTable {
        std::vector<WaitQueueHead*> queues;
    } rec;
    rec.queue_proc = [](File*, WaitQueueHead& wq, PollTable* t) { static_cast<Recorder*>(t)->queues.push_back(&wq); };
    PipeInfo* info = p.read_end->inode->pipe;
    EXPECT_EQ(vfs_poll(*p.read_end, &rec), 0u);  // empty, with a writer: nothing to report yet
    EXPECT_EQ(vfs_poll(*p.write_end, &rec), POLLOUT | POLLWRNORM);
    ASSERT_EQ(rec.queues.size(), 2u);
    EXPECT_EQ(rec.queues[0], &info->rd_wait);
    EXPECT_EQ(rec.queues[1], &info->wr_wait);
}

}  // namespace
