#pragma once
// Reader for "newc" (magic 070701) and "crc" (magic 070702) cpio archives, the formats of Linux's
// initramfs.
//
// Layout of one entry, offsets relative to the start of the archive buffer:
//   110-byte ASCII header: 6-byte magic, then 13 fields of exactly 8 hex digits: ino, mode, uid, gid,
//     nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check;
//   the name, namesize bytes including its NUL, then zero padding to a multiple of 4;
//   the file data, filesize bytes, then zero padding to a multiple of 4.
// An entry named "TRAILER!!!" ends an archive. Like Linux, the reader accepts further archives after a
// trailer, with any number of zero bytes between them as long as the next header starts 4-byte aligned.
// In the "crc" format `check` is the 32-bit sum of the data bytes; the reader verifies it.
//
// The reader never reads outside the buffer. A malformed archive stops iteration with an error code and
// the offset of the offending header. Hard links (several entries with one ino) are not resolved here.
#include <stddef.h>
#include <stdint.h>

struct CpioEntry {
    const char* name;      // NUL-terminated, points into the archive
    size_t name_len;       // without the NUL
    uint32_t ino;
    uint32_t mode;         // file type and permission bits, as in st_mode
    uint32_t uid;
    uint32_t gid;
    uint32_t nlink;
    uint32_t mtime;
    uint32_t filesize;
    uint32_t devmajor;
    uint32_t devminor;
    uint32_t rdevmajor;
    uint32_t rdevminor;
    uint32_t check;
    const uint8_t* data;   // filesize bytes, points into the archive
};

enum class CpioError {
    None,
    BadMagic,       // a header that is neither 070701 nor 070702 where one was expected
    BadHeader,      // a field that is not 8 hex digits
    BadName,        // namesize 0, or a name not ending in (or containing an early) NUL
    Truncated,      // the header, name or data runs past the end of the buffer
    BadChecksum,    // "crc" format data whose byte sum differs from `check`
    BadPadding,     // non-zero bytes between archives, or a misaligned following archive
};

const char* cpio_error_name(CpioError error);

class CpioReader {
public:
    CpioReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

    // Fills `entry` with the next entry and returns true, or returns false at the end of the last
    // archive or on error (then error() != None). Trailer entries are consumed, not returned.
    bool next(CpioEntry& entry);

    CpioError error() const { return error_; }
    // Offset of the next header to read; after an error, of the header that failed. A caller can use
    // it to notice that what follows an archive is something else (e.g. a compressed archive).
    size_t offset() const { return offset_; }
    // Number of trailers seen so far.
    size_t archives() const { return archives_; }

    static constexpr size_t kHeaderSize = 110;

private:
    bool fail(CpioError error) {
        error_ = error;
        return false;
    }
    // Skips the zeros that may separate archives; false on garbage.
    bool skip_padding();

    const uint8_t* data_;
    size_t size_;
    size_t offset_ = 0;
    size_t archives_ = 0;
    bool at_boundary_ = true;  // before the first archive or after a trailer: zero padding allowed
    bool done_ = false;
    CpioError error_ = CpioError::None;
};
