// cpio newc/crc reader. See lib/cpio.hpp for the format.
//
// Bounds discipline: every length read from the archive is compared against the bytes that remain
// (`size_ - offset`, which cannot underflow because offset_ <= size_ always holds) before it is added
// to an offset, so no sum can wrap or point outside the buffer.
#include <lib/cpio.hpp>

namespace {

constexpr size_t kFields = 13;
enum Field { kIno, kMode, kUid, kGid, kNlink, kMtime, kFilesize, kDevmajor, kDevminor, kRdevmajor,
             kRdevminor, kNamesize, kCheck };

bool parse_hex8(const uint8_t* p, uint32_t& out) {
    uint32_t v = 0;
    for (int i = 0; i < 8; ++i) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = v << 4 | d;
    }
    out = v;
    return true;
}

// Offset rounded up to 4, or `limit` if that is smaller: the padding after the last item of a buffer
// may be missing, and there is nothing after it to misparse.
size_t align4_clamped(size_t offset, size_t limit) {
    size_t pad = (4 - (offset & 3)) & 3;
    return pad > limit - offset ? limit : offset + pad;
}

bool is_trailer(const char* name, size_t len) {
    static const char kTrailer[] = "TRAILER!!!";
    if (len != sizeof(kTrailer) - 1) return false;
    for (size_t i = 0; i < len; ++i)
        if (name[i] != kTrailer[i]) return false;
    return true;
}

}  // namespace

const char* cpio_error_name(CpioError error) {
    switch (error) {
    case CpioError::None: return "none";
    case CpioError::BadMagic: return "bad magic";
    case CpioError::BadHeader: return "bad header field";
    case CpioError::BadName: return "bad name";
    case CpioError::Truncated: return "truncated";
    case CpioError::BadChecksum: return "bad checksum";
    case CpioError::BadPadding: return "bad padding";
    }
    return "unknown";
}

bool CpioReader::skip_padding() {
    if (at_boundary_) {
        while (offset_ < size_ && data_[offset_] == 0) ++offset_;
        if (offset_ < size_ && (offset_ & 3) != 0) return fail(CpioError::BadPadding);
    }
    if (offset_ == size_) done_ = true;
    return true;
}

bool CpioReader::next(CpioEntry& e) {
    for (;;) {
        if (error_ != CpioError::None || done_) return false;
        if (!skip_padding()) return false;
        if (done_) return false;

        const size_t start = offset_;
        if (size_ - start < kHeaderSize) return fail(CpioError::Truncated);
        const uint8_t* h = data_ + start;
        static const char kMagic[] = "07070";
        for (int i = 0; i < 5; ++i)
            if (h[i] != uint8_t(kMagic[i])) return fail(CpioError::BadMagic);
        if (h[5] != '1' && h[5] != '2') return fail(CpioError::BadMagic);
        const bool crc_format = h[5] == '2';

        uint32_t f[kFields];
        for (size_t i = 0; i < kFields; ++i)
            if (!parse_hex8(h + 6 + 8 * i, f[i])) return fail(CpioError::BadHeader);

        // Name: namesize bytes including the NUL, which must be the first NUL.
        const size_t name_off = start + kHeaderSize;
        const size_t namesize = f[kNamesize];
        if (namesize == 0) return fail(CpioError::BadName);
        if (namesize > size_ - name_off) return fail(CpioError::Truncated);
        const char* name = reinterpret_cast<const char*>(data_ + name_off);
        for (size_t i = 0; i + 1 < namesize; ++i)
            if (name[i] == '\0') return fail(CpioError::BadName);
        if (name[namesize - 1] != '\0') return fail(CpioError::BadName);

        // Data, after the name's padding.
        const size_t data_off = align4_clamped(name_off + namesize, size_);
        const size_t filesize = f[kFilesize];
        if (filesize > size_ - data_off) return fail(CpioError::Truncated);
        const uint8_t* file_data = data_ + data_off;

        if (crc_format) {
            uint32_t sum = 0;
            for (size_t i = 0; i < filesize; ++i) sum += file_data[i];
            if (sum != f[kCheck]) return fail(CpioError::BadChecksum);
        }

        offset_ = align4_clamped(data_off + filesize, size_);
        if (is_trailer(name, namesize - 1)) {
            ++archives_;
            at_boundary_ = true;
            continue;
        }
        at_boundary_ = false;

        e.name = name;
        e.name_len = namesize - 1;
        e.ino = f[kIno];
        e.mode = f[kMode];
        e.uid = f[kUid];
        e.gid = f[kGid];
        e.nlink = f[kNlink];
        e.mtime = f[kMtime];
        e.filesize = f[kFilesize];
        e.devmajor = f[kDevmajor];
        e.devminor = f[kDevminor];
        e.rdevmajor = f[kRdevmajor];
        e.rdevminor = f[kRdevminor];
        e.check = f[kCheck];
        e.data = file_data;
        return true;
    }
}
