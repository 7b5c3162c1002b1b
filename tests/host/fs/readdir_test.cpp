// getdents64 on tmpfs directories: record format, positions, small buffers, changes while reading.
#include <fs/libfs.hpp>

#include "vfs_fixture.hpp"

#include <map>
#include <set>
#include <vector>

namespace {

using ReaddirTest = VfsTest;

struct Entry {
    std::string name;
    uint64_t ino;
    uint8_t type;
    int64_t off;
};

// Parses the records getdents64 wrote, checking their layout.
std::vector<Entry> parse(const uint8_t* buf, size_t len) {
    std::vector<Entry> out;
    size_t pos = 0;
    while (pos < len) {
        auto* d = reinterpret_cast<const LinuxDirent64*>(buf + pos);
        EXPECT_EQ(d->d_reclen % 8, 0u);
        EXPECT_GE(d->d_reclen, offsetof(LinuxDirent64, d_name) + strlen(d->d_name) + 1);
        out.push_back({d->d_name, d->d_ino, d->d_type, d->d_off});
        pos += d->d_reclen;
    }
    EXPECT_EQ(pos, len);
    return out;
}

std::vector<Entry> read_all(File& dir, size_t bufsize = 4096) {
    std::vector<Entry> all;
    std::vector<uint8_t> buf(bufsize);
    for (;;) {
        IoIter to = IoIter::kernel(buf.data(), buf.size());
        Result<size_t> n = vfs_getdents64(dir, to);
        EXPECT_FALSE(n.is_error());
        if (n.is_error() || n.value() == 0) return all;
        for (Entry& e : parse(buf.data(), n.value())) all.push_back(e);
    }
}

TEST_F(ReaddirTest, ListsDotsAndEveryEntryWithItsType) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(mkdir("/d/sub"), Errno::OK);
    write_file("/d/file", "x");
    ASSERT_EQ(symlink("file", "/d/link"), Errno::OK);
    ASSERT_EQ(err(vfs_mknod(caller(), "/d/null", S_IFCHR | 0666, MKDEV(1, 3))), Errno::OK);
    ASSERT_EQ(err(vfs_mknod(caller(), "/d/fifo", S_IFIFO | 0666, 0)), Errno::OK);
    RefPtr<File> dir = open("/d", O_RDONLY | O_DIRECTORY).release_value();
    std::map<std::string, Entry> byname;
    for (Entry& e : read_all(*dir)) byname[e.name] = e;
    ASSERT_EQ(byname.size(), 7u);
    EXPECT_EQ(byname["."].ino, stat("/d").value().ino);
    EXPECT_EQ(byname[".."].ino, stat("/").value().ino);
    EXPECT_EQ(byname["."].type, DT_DIR);
    EXPECT_EQ(byname["sub"].type, DT_DIR);
    EXPECT_EQ(byname["file"].type, DT_REG);
    EXPECT_EQ(byname["link"].type, DT_LNK);
    EXPECT_EQ(byname["null"].type, DT_CHR);
    EXPECT_EQ(byname["fifo"].type, DT_FIFO);
    EXPECT_EQ(byname["file"].ino, stat("/d/file").value().ino);
}

TEST_F(ReaddirTest, ResumesFromOffsetsAndSmallBuffers) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    std::set<std::string> names;
    for (int i = 0; i < 300; i++) {
        std::string n = "entry-with-a-longish-name-" + std::to_string(i);
        write_file(("/d/" + n).c_str(), "");
        names.insert(n);
    }
    RefPtr<File> dir = open("/d", O_RDONLY).release_value();
    // A buffer that holds one record at a time still gets everything, in order, exactly once.
    std::vector<Entry> all = read_all(*dir, 64);
    ASSERT_EQ(all.size(), 302u);
    std::set<std::string> seen;
    for (size_t i = 2; i < all.size(); i++) EXPECT_TRUE(seen.insert(all[i].name).second);
    seen.insert(".");
    seen.insert("..");
    names.insert(".");
    names.insert("..");
    EXPECT_EQ(seen, names);
    // d_off is where to continue: seeking to the d_off of entry k lists from entry k+1 on.
    ASSERT_EQ(vfs_llseek(*dir, all[100].off, SEEK_SET).value(), all[100].off);
    std::vector<Entry> rest = read_all(*dir);
    ASSERT_EQ(rest.size(), all.size() - 101);
    EXPECT_EQ(rest.front().name, all[101].name);
    // Rewinding starts over.
    ASSERT_EQ(vfs_llseek(*dir, 0, SEEK_SET).value(), 0);
    EXPECT_EQ(read_all(*dir).size(), 302u);
    EXPECT_EQ(err(vfs_llseek(*dir, 0, SEEK_END)), Errno::EINVAL);
}

TEST_F(ReaddirTest, TooSmallABufferIsEinval) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    RefPtr<File> dir = open("/d", O_RDONLY).release_value();
    uint8_t buf[20];
    IoIter to = IoIter::kernel(buf, sizeof(buf));  // "." needs 24 bytes
    EXPECT_EQ(err(vfs_getdents64(*dir, to)), Errno::EINVAL);
}

TEST_F(ReaddirTest, EntriesAddedOrRemovedWhileReading) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    for (int i = 0; i < 10; i++) write_file(("/d/f" + std::to_string(i)).c_str(), "");
    RefPtr<File> dir = open("/d", O_RDONLY).release_value();
    uint8_t buf[4096];
    // Read ".", "..", f0, f1 (a buffer for four short records).
    IoIter to = IoIter::kernel(buf, 4 * 24);
    std::vector<Entry> first = parse(buf, vfs_getdents64(*dir, to).value());
    ASSERT_EQ(first.size(), 4u);
    EXPECT_EQ(first[3].name, "f1");
    // Removing entries already listed or not yet listed, and adding new ones: the rest of the listing
    // has every remaining entry not yet seen exactly once, and the new ones (they sort last).
    ASSERT_EQ(unlink("/d/f0"), Errno::OK);
    ASSERT_EQ(unlink("/d/f5"), Errno::OK);
    write_file("/d/new", "");
    std::vector<Entry> rest = read_all(*dir);
    std::vector<std::string> names;
    for (Entry& e : rest) names.push_back(e.name);
    std::vector<std::string> expect = {"f2", "f3", "f4", "f6", "f7", "f8", "f9", "new"};
    EXPECT_EQ(names, expect);
}

TEST_F(ReaddirTest, NotADirectoryAndRemovedDirectory) {
    write_file("/f", "x");
    RefPtr<File> f = open("/f", O_RDONLY).release_value();
    uint8_t buf[256];
    IoIter to = IoIter::kernel(buf, sizeof(buf));
    EXPECT_EQ(err(vfs_getdents64(*f, to)), Errno::ENOTDIR);
    ASSERT_EQ(mkdir("/gone"), Errno::OK);
    RefPtr<File> gone = open("/gone", O_RDONLY).release_value();
    ASSERT_EQ(rmdir("/gone"), Errno::OK);
    IoIter to2 = IoIter::kernel(buf, sizeof(buf));
    EXPECT_EQ(err(vfs_getdents64(*gone, to2)), Errno::ENOENT);
}

TEST_F(ReaddirTest, DirectorySizeCountsEntries) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    int64_t empty = stat("/d").value().size;
    write_file("/d/a", "");
    write_file("/d/b", "");
    EXPECT_EQ(stat("/d").value().size, empty + 2 * kBogoDirentSize);
    ASSERT_EQ(unlink("/d/a"), Errno::OK);
    EXPECT_EQ(stat("/d").value().size, empty + kBogoDirentSize);
}

}  // namespace
