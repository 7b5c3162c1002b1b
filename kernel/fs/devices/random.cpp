// /dev/random and /dev/urandom over the kernel generator (lib/random.hpp).
//
// Reads of /dev/urandom never wait. /dev/random waits until the generator has been credited 256 bits;
// Tern has no wait queues yet, so it gathers jitter entropy on the spot (as Linux does while waiting,
// try_to_generate_entropy) and, if the generator still is not ready, fails with EAGAIN. Writes to
// either mix the data in without crediting it, as on Linux.
#include <fs/devices/mem.hpp>
#include <fs/seek.hpp>
#include <fs/uapi_fcntl.hpp>
#include <lib/chacha20.hpp>
#include <lib/random.hpp>

namespace {

constexpr size_t kChunk = 256;
constexpr int kSeedAttempts = 4;

Result<size_t> read_random_bytes(IoIter& to) {
    uint8_t buf[kChunk];
    size_t done = 0;
    while (to.count()) {
        size_t n = to.count() < kChunk ? to.count() : kChunk;
        get_random_bytes(buf, n);
        size_t copied = to.copy_to(buf, n);
        done += copied;
        if (copied < n) break;
    }
    memzero_explicit(buf, sizeof(buf));
    if (done == 0) return Errno::EFAULT;
    return done;
}

Result<size_t> urandom_read(File*, IoIter& to, int64_t*) { return read_random_bytes(to); }

Result<size_t> random_read(File*, IoIter& to, int64_t*) {
    for (int i = 0; i < kSeedAttempts && !crng_ready(); i++)
        if (crng_try_to_seed()) break;
    if (!crng_ready()) return Errno::EAGAIN;
    return read_random_bytes(to);
}

Result<size_t> random_write(File*, IoIter& from, int64_t*) {
    uint8_t buf[kChunk];
    size_t done = 0;
    while (from.count()) {
        size_t n = from.count() < kChunk ? from.count() : kChunk;
        size_t copied = from.copy_from(buf, n);
        add_device_randomness(buf, copied);
        done += copied;
        if (copied < n) break;
    }
    memzero_explicit(buf, sizeof(buf));
    if (done == 0) return Errno::EFAULT;
    return done;
}

unsigned random_poll(File*, PollTable*) {
    return (crng_ready() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

}  // namespace

const FileOperations random_fops = {
    .read = random_read,
    .write = random_write,
    .llseek = noop_llseek,
    .poll = random_poll,
};

const FileOperations urandom_fops = {
    .read = urandom_read,
    .write = random_write,
    .llseek = noop_llseek,
};
