// The character-device registry: a short list of (major, minor range) regions, looked up at open.
#include <fs/chrdev.hpp>
#include <fs/inode.hpp>
#include <lib/string.hpp>
#include <locking/spinlock.hpp>

namespace {

// A fixed table (drivers register at boot, a handful each): no allocation, so registering cannot fail
// for memory and the registry outlives any allocator state. Sorted by (major, baseminor).
struct ChrdevRegion {
    uint32_t major, baseminor, count;
    const char* name;
    const FileOperations* fops;
};

constexpr size_t kMaxRegions = 64;
constexpr uint32_t kDynamicMajorFirst = 254;
constexpr uint32_t kDynamicMajorLast = 234;

SpinLock chrdevs_lock;
ChrdevRegion regions[kMaxRegions];
size_t nr_regions = 0;

bool overlaps(const ChrdevRegion& r, uint32_t major, uint32_t baseminor, uint32_t count) {
    return r.major == major && baseminor < r.baseminor + r.count && r.baseminor < baseminor + count;
}

bool major_in_use(uint32_t major) {
    for (size_t i = 0; i < nr_regions; i++)
        if (regions[i].major == major) return true;
    return false;
}

}  // namespace

Result<uint32_t> register_chrdev_region(uint32_t major, uint32_t baseminor, uint32_t count,
                                        const char* name, const FileOperations* fops) {
    if (major > kChrdevMaxMajor || count == 0 || baseminor > kMinorMask || count - 1 > kMinorMask - baseminor)
        return Errno::EINVAL;
    SpinLockGuard guard(chrdevs_lock);
    if (nr_regions == kMaxRegions) return Errno::ENOSPC;
    if (major == 0) {
        for (uint32_t m = kDynamicMajorFirst; m >= kDynamicMajorLast && !major; m--)
            if (!major_in_use(m)) major = m;
        if (!major) return Errno::EBUSY;
    }
    size_t pos = 0;
    for (; pos < nr_regions; pos++) {
        if (overlaps(regions[pos], major, baseminor, count)) return Errno::EBUSY;
        if (regions[pos].major > major || (regions[pos].major == major && regions[pos].baseminor > baseminor)) break;
    }
    for (size_t i = pos; i < nr_regions; i++)
        if (overlaps(regions[i], major, baseminor, count)) return Errno::EBUSY;
    for (size_t i = nr_regions; i > pos; i--) regions[i] = regions[i - 1];
    regions[pos] = {major, baseminor, count, name, fops};
    nr_regions++;
    return major;
}

void unregister_chrdev_region(uint32_t major, uint32_t baseminor, uint32_t count) {
    SpinLockGuard guard(chrdevs_lock);
    for (size_t i = 0; i < nr_regions; i++) {
        const ChrdevRegion& r = regions[i];
        if (r.major == major && r.baseminor == baseminor && r.count == count) {
            for (size_t j = i + 1; j < nr_regions; j++) regions[j - 1] = regions[j];
            nr_regions--;
            return;
        }
    }
}

const FileOperations* chrdev_lookup(kdev_t dev) {
    SpinLockGuard guard(chrdevs_lock);
    for (size_t i = 0; i < nr_regions; i++)
        if (overlaps(regions[i], MAJOR(dev), MINOR(dev), 1)) return regions[i].fops;
    return nullptr;
}

namespace {

// Linux's chrdev_open: swap in the driver's operations, then let it open.
Result<void> chrdev_open(Inode* inode, File* file) {
    const FileOperations* fops = chrdev_lookup(inode->rdev);
    if (!fops) return Errno::ENXIO;
    file->f_op = fops;
    if (fops->llseek) file->fmode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
    if (fops->open) return fops->open(inode, file);
    return {};
}

Result<void> blkdev_open(Inode*, File*) { return Errno::ENXIO; }

}  // namespace

const FileOperations def_chr_fops = {.open = chrdev_open};
const FileOperations def_blk_fops = {.open = blkdev_open};
