// Self-tests of pipes between real tasks: a kernel thread writes more than the pipe holds while
// kernel_init reads, so both sides sleep on the pipe's wait queues.
#include <fs/cred.hpp>
#include <fs/pipe.hpp>
#include <fs/vfs.hpp>
#include <kunit/ktest.hpp>
#include <sched/completion.hpp>
#include <sched/kthread.hpp>

namespace {

constexpr size_t kBytes = 300000;  // between four and five times the pipe's capacity

struct PipeWriter {
    File* write_end;
    size_t written = 0;
    Completion done;
};

int pipe_writer(void* arg) {
    auto* w = static_cast<PipeWriter*>(arg);
    static uint8_t chunk[10000];
    size_t sent = 0;
    while (sent < kBytes) {
        size_t n = kBytes - sent < sizeof(chunk) ? kBytes - sent : sizeof(chunk);
        for (size_t i = 0; i < n; i++) chunk[i] = uint8_t((sent + i) % 253);
        IoIter from = IoIter::kernel(chunk, n);
        Result<size_t> r = vfs_write(*w->write_end, from);
        if (r.is_error()) break;
        sent += r.value();
    }
    w->written = sent;
    complete(w->done);
    return 0;
}

}  // namespace

KTEST(pipe, writer_thread_and_reader_sleep_in_turn) {
    Credentials root;
    Result<PipeFiles> made = create_pipe_files(0, root);
    KASSERT_TRUE(!made.is_error());
    PipeFiles p = made.release_value();
    PipeWriter w{p.write_end.get()};
    Result<Task*> k = kthread_run(pipe_writer, &w, "ktest-pipe");
    KASSERT_TRUE(!k.is_error());
    static uint8_t buf[7777];
    size_t got = 0;
    bool in_order = true;
    while (got < kBytes) {
        IoIter to = IoIter::kernel(buf, sizeof(buf));
        Result<size_t> r = vfs_read(*p.read_end, to);
        if (r.is_error() || r.value() == 0) break;
        for (size_t i = 0; i < r.value(); i++) in_order &= buf[i] == uint8_t((got + i) % 253);
        got += r.value();
    }
    wait_for_completion(w.done);
    KEXPECT_EQ(got, kBytes);
    KEXPECT_EQ(w.written, kBytes);
    KEXPECT_TRUE(in_order);
    // The writer is done: closing its end gives the reader end of file.
    p.write_end = nullptr;
    IoIter to = IoIter::kernel(buf, sizeof(buf));
    KEXPECT_EQ(vfs_read(*p.read_end, to).value(), 0);
}
