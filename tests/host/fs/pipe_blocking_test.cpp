// Pipes and FIFOs that sleep, run with real kernel threads on the host (tests/host/sched's RealThreads):
// readers waiting for data, writers waiting for room, PIPE_BUF atomicity between writers that sleep,
// and FIFO opens waiting for the other side.
#include "../sched/real_threads.hpp"

#include <fs/pipe.hpp>
#include <fs/vfs.hpp>

#include "vfs_fixture.hpp"

#include <string>
#include <vector>

namespace {

class PipeBlocking : public RealThreads {
protected:
    Credentials cred;  // root

    void SetUp() override {
        RealThreads::SetUp();
        ASSERT_EQ(err(pipe_init()), Errno::OK);
    }
    void TearDown() override {
        RealThreads::TearDown();
        pipe_exit();
    }

    static size_t put(File& f, const void* data, size_t n) {
        IoIter from = IoIter::kernel(data, n);
        Result<size_t> r = vfs_write(f, from);
        return r.is_error() ? 0 : r.value();
    }
    static size_t get(File& f, void* buf, size_t n) {
        IoIter to = IoIter::kernel(buf, n);
        Result<size_t> r = vfs_read(f, to);
        return r.is_error() ? 0 : r.value();
    }
};

TEST_F(PipeBlocking, ReaderSleepsUntilDataOrEndOfFile) {
    PipeFiles p = create_pipe_files(0, cred).release_value();
    std::vector<std::string> got;
    spawn([&] {
        char buf[16];
        for (;;) {
            size_t n = get(*p.read_end, buf, sizeof(buf));
            got.push_back(std::string(buf, n));
            if (n == 0) return;
        }
    });
    run_until_idle();
    EXPECT_TRUE(got.empty());  // asleep on the empty pipe
    spawn([&] { put(*p.write_end, "ping", 4); });
    run_until_idle();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], "ping");
    // Closing the last writer wakes the reader with end of file.
    spawn([&] { p.write_end = nullptr; });
    run_until_idle();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1], "");
}

TEST_F(PipeBlocking, WriterSleepsUntilThereIsRoom) {
    PipeFiles p = create_pipe_files(0, cred).release_value();
    std::vector<uint8_t> data(200000);
    for (size_t i = 0; i < data.size(); i++) data[i] = uint8_t(i % 251);
    size_t written = 0;
    bool writer_done = false;
    spawn([&] {
        written = put(*p.write_end, data.data(), data.size());
        writer_done = true;
    });
    run_until_idle();
    EXPECT_FALSE(writer_done);  // the ring is full
    std::vector<uint8_t> back;
    std::vector<uint8_t> buf(30000);
    bool reader_done = false;
    spawn([&] {
        while (back.size() < data.size()) {
            size_t n = get(*p.read_end, buf.data(), buf.size());
            back.insert(back.end(), buf.begin(), buf.begin() + long(n));
        }
        reader_done = true;
    });
    run_until_idle();
    EXPECT_TRUE(writer_done);
    EXPECT_TRUE(reader_done);
    EXPECT_EQ(written, data.size());
    EXPECT_EQ(back, data);
}

TEST_F(PipeBlocking, SmallWritesFromSleepingWritersDoNotInterleave) {
    PipeFiles p = create_pipe_files(0, cred).release_value();
    constexpr int kWriters = 3, kBlocks = 40;
    for (int w = 0; w < kWriters; w++) {
        spawn([&, w] {
            std::vector<uint8_t> block(PIPE_BUF, uint8_t('A' + w));
            for (int i = 0; i < kBlocks; i++) put(*p.write_end, block.data(), block.size());
        });
    }
    run_until_idle();  // the writers fill the ring and sleep
    std::vector<uint8_t> all;
    spawn([&] {
        std::vector<uint8_t> buf(7000);
        while (all.size() < size_t(kWriters) * kBlocks * PIPE_BUF) {
            size_t n = get(*p.read_end, buf.data(), buf.size());
            all.insert(all.end(), buf.begin(), buf.begin() + long(n));
        }
    });
    run_until_idle();
    ASSERT_EQ(all.size(), size_t(kWriters) * kBlocks * PIPE_BUF);
    int counts[kWriters] = {};
    for (size_t b = 0; b < all.size(); b += PIPE_BUF) {
        for (size_t i = 1; i < PIPE_BUF; i++) ASSERT_EQ(all[b + i], all[b]) << "block " << b / PIPE_BUF;
        counts[all[b] - 'A']++;
    }
    for (int c : counts) EXPECT_EQ(c, kBlocks);
}

int sigpipes = 0;

TEST_F(PipeBlocking, WriterBlockedOnAFullPipeReturnsWhatItWroteWhenReadersGo) {
    PipeFiles p = create_pipe_files(0, cred).release_value();
    std::vector<uint8_t> data(70000, 1);
    sigpipes = 0;
    pipe_sigpipe_hook = [] { sigpipes++; };
    Errno error = Errno::OK;
    size_t written = 0;
    spawn([&] {
        IoIter from = IoIter::kernel(data.data(), data.size());
        Result<size_t> r = vfs_write(*p.write_end, from);
        if (r.is_error())
            error = r.error();
        else
            written = r.value();
    });
    run_until_idle();
    spawn([&] { p.read_end = nullptr; });
    run_until_idle();
    // What was written before the readers left counts; the rest is refused, with SIGPIPE.
    EXPECT_EQ(error, Errno::OK);
    EXPECT_EQ(written, 65536u);
    EXPECT_EQ(sigpipes, 1);
    pipe_sigpipe_hook = nullptr;
}

TEST_F(PipeBlocking, FifoOpensWaitForTheOtherSide) {
    ensure_tmpfs_registered();
    RefPtr<Mount> mnt = vfs_kern_mount(&tmpfs_fs_type, 0, "t", nullptr).release_value();
    Path root{mnt, RefPtr<Dentry>(mnt->root)};
    VfsCaller caller{root, root, cred, 0};
    ASSERT_EQ(err(vfs_mknod(caller, "/fifo", S_IFIFO | 0666, 0)), Errno::OK);
    std::vector<std::string> log;
    spawn([&] {
        RefPtr<File> r = vfs_open(caller, "/fifo", O_RDONLY, 0).release_value();
        log.push_back("reader opened");
        char buf[8];
        size_t n = get(*r, buf, sizeof(buf));
        log.push_back("read " + std::string(buf, n));
    });
    run_until_idle();
    EXPECT_TRUE(log.empty());  // waiting for a writer
    spawn([&] {
        RefPtr<File> w = vfs_open(caller, "/fifo", O_WRONLY, 0).release_value();
        log.push_back("writer opened");
        put(*w, "hi", 2);
    });
    run_until_idle();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log.back(), "read hi");
    // A writer alone waits for a reader.
    bool writer_open = false;
    spawn([&] {
        RefPtr<File> w = vfs_open(caller, "/fifo", O_WRONLY, 0).release_value();
        writer_open = true;
    });
    run_until_idle();
    EXPECT_FALSE(writer_open);
    spawn([&] { RefPtr<File> r = vfs_open(caller, "/fifo", O_RDONLY | O_NONBLOCK, 0).release_value(); });
    run_until_idle();
    EXPECT_TRUE(writer_open);
    root = Path{};
    mnt = nullptr;
}

}  // namespace
