#pragma once
// Pipes and FIFOs (Linux's fs/pipe.c).
//
// A pipe is a byte ring of up to 16 pages (64 KiB, Linux's default capacity), allocated as data
// arrives and given back when the pipe drains (one page is kept). Semantics, as Linux's:
//   - read returns what is there (up to the request) without waiting for more; with nothing there it
//     waits for a writer, returns 0 (end of file) when no writer is left, EAGAIN with O_NONBLOCK;
//   - write of at most PIPE_BUF (4096) bytes is atomic: it waits until all of it fits and is never
//     interleaved with other writers; larger writes go in as space frees up, and return early only
//     on O_NONBLOCK (the part written, or EAGAIN) or a signal;
//   - writing with no reader left fails with EPIPE, and raises SIGPIPE through pipe_sigpipe_hook
//     once signals exist;
//   - a FIFO's open for reading waits for a writer and for writing waits for a reader, unless
//     O_NONBLOCK: then reading opens at once and writing fails with ENXIO if there is no reader;
//     O_RDWR never waits.
// Sleeps are interruptible: a signal ends them with ERESTARTSYS (the system call layer turns that into
// a restart or EINTR). Anonymous pipes live on an internal file system (pipefs); a FIFO's pipe hangs
// off its inode while the FIFO is open.
#include <fs/file.hpp>
#include <fs/fs_mutex.hpp>
#include <lib/atomic.hpp>
#include <lib/result.hpp>
#include <sched/wait.hpp>
#include <fs/uapi_libc_macros.hpp>  // last: after any header that defines the macros

struct Page;

constexpr size_t PIPE_BUF = 4096;
constexpr unsigned kPipeDefPages = 16;
constexpr uint64_t PIPEFS_MAGIC = 0x50495045;

struct PipeInfo {
    FsMutex mutex;                 // serializes readers and writers (and so makes small writes atomic)
    WaitQueueHead rd_wait;         // readers waiting for data, FIFO openers waiting for a writer
    WaitQueueHead wr_wait;         // writers waiting for space, FIFO openers waiting for a reader
    Page* pages[kPipeDefPages] = {};
    // Bytes ever written and ever read: head - tail bytes are in the ring, at offsets mod capacity.
    // Changed under `mutex`; atomics so that wait conditions can read them without it.
    Atomic<uint64_t> head{0}, tail{0};
    Atomic<unsigned> readers{0}, writers{0};       // open files per direction
    Atomic<unsigned> r_counter{0}, w_counter{0};   // opens ever per direction (FIFO open waits)
    unsigned files = 0;            // open files of a FIFO (inode lock): the last frees the pipe

    static constexpr uint64_t kCapacity = uint64_t(kPipeDefPages) * 4096;
    uint64_t used() const { return head.load(MemoryOrder::Acquire) - tail.load(MemoryOrder::Acquire); }
};

// Sets up pipefs (vfs_init does); pipe_exit() takes it down again (host tests). ENOMEM.
Result<void> pipe_init();
void pipe_exit();

// pipe2(): a new pipe as a read end and a write end. `flags` may hold O_NONBLOCK (both ends) and
// O_CLOEXEC (for the caller's descriptor table); anything else, including O_DIRECT (packet mode, not
// supported), is EINVAL.
struct PipeFiles {
    RefPtr<File> read_end;
    RefPtr<File> write_end;
};
Result<PipeFiles> create_pipe_files(int flags, const Credentials& cred);

// Called for the writer that got EPIPE; the signal code sets it to send SIGPIPE.
extern void (*pipe_sigpipe_hook)();

// The operations of pipe and FIFO files (a FIFO inode's i_fop).
extern const FileOperations pipefifo_fops;
