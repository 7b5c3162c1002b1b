// unpack_cpio: directories, files, symlinks, nodes, hard links, attributes, trailers, bad archives.
#include "vfs_fixture.hpp"

#include <fs/unpack_cpio.hpp>

#include <cstdio>
#include <vector>

namespace {

struct Spec {
    std::string name;
    uint32_t mode = S_IFREG | 0644;
    std::string data;
    uint32_t ino = 1, uid = 0, gid = 0, nlink = 1, mtime = 1000;
    uint32_t devmajor = 8, devminor = 1, rdevmajor = 0, rdevminor = 0;
};

class CpioBuilder {
public:
    CpioBuilder& add(const Spec& s) {
        char hdr[111];
        snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", s.ino, s.mode,
                 s.uid, s.gid, s.nlink, s.mtime, unsigned(s.data.size()), s.devmajor, s.devminor, s.rdevmajor,
                 s.rdevminor, unsigned(s.name.size() + 1), 0u);
        bytes.insert(bytes.end(), hdr, hdr + 110);
        bytes.insert(bytes.end(), s.name.begin(), s.name.end());
        bytes.push_back(0);
        pad();
        bytes.insert(bytes.end(), s.data.begin(), s.data.end());
        pad();
        return *this;
    }
    CpioBuilder& trailer() {
        Spec t;
        t.name = "TRAILER!!!";
        t.mode = 0;
        t.ino = 0;
        return add(t);
    }
    std::vector<uint8_t> bytes;

private:
    void pad() {
        while (bytes.size() % 4) bytes.push_back(0);
    }
};

class UnpackCpioTest : public VfsTest {
protected:
    Result<CpioUnpackStats> unpack(const std::vector<uint8_t>& archive) {
        VfsCaller as_root{root, root, cred, 0};
        return unpack_cpio(as_root, archive.data(), archive.size());
    }
};

TEST_F(UnpackCpioTest, TreeWithAttributes) {
    CpioBuilder b;
    b.add({.name = ".", .mode = S_IFDIR | 0700, .mtime = 5});
    b.add({.name = "bin", .mode = S_IFDIR | 0755, .ino = 2, .mtime = 111});
    b.add({.name = "bin/busybox", .mode = S_IFREG | 04755, .data = std::string(9000, 'B'), .ino = 3, .uid = 0,
           .gid = 0, .mtime = 222});
    b.add({.name = "bin/sh", .mode = S_IFLNK | 0777, .data = "busybox", .ino = 4, .uid = 7, .gid = 8, .mtime = 333});
    b.add({.name = "home", .mode = S_IFDIR | 0755, .ino = 5, .mtime = 444});
    b.add({.name = "home/user", .mode = S_IFDIR | 0700, .ino = 6, .uid = 1000, .gid = 1000, .mtime = 555});
    b.add({.name = "home/user/notes", .mode = S_IFREG | 0600, .data = "hi", .ino = 7, .uid = 1000, .gid = 100});
    b.add({.name = "dev", .mode = S_IFDIR | 0755, .ino = 8});
    b.add({.name = "dev/console", .mode = S_IFCHR | 0600, .ino = 9, .rdevmajor = 5, .rdevminor = 1});
    b.add({.name = "dev/sda", .mode = S_IFBLK | 0660, .ino = 10, .gid = 6, .rdevmajor = 8, .rdevminor = 0});
    b.add({.name = "dev/initctl", .mode = S_IFIFO | 0600, .ino = 11});
    b.add({.name = "empty", .mode = S_IFREG | 0644, .ino = 12});
    b.trailer();
    CpioUnpackStats stats = unpack(b.bytes).value();
    EXPECT_EQ(stats.dirs, 5u);
    EXPECT_EQ(stats.files, 3u);
    EXPECT_EQ(stats.symlinks, 1u);
    EXPECT_EQ(stats.nodes, 3u);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.bytes, 9002u);

    EXPECT_EQ(stat("/").value().mode, S_IFDIR | 0700);
    EXPECT_EQ(stat("/").value().mtime.tv_sec, 5);
    Kstat bb = stat("/bin/busybox").value();
    EXPECT_EQ(bb.mode, S_IFREG | 04755);
    EXPECT_EQ(bb.size, 9000);
    EXPECT_EQ(bb.mtime.tv_sec, 222);
    EXPECT_EQ(read_file("/bin/busybox"), std::string(9000, 'B'));
    EXPECT_EQ(readlink("/bin/sh"), "busybox");
    Kstat sh = lstat("/bin/sh").value();
    EXPECT_EQ(sh.uid, 7u);
    EXPECT_EQ(sh.gid, 8u);
    EXPECT_EQ(sh.mtime.tv_sec, 333);
    // Directory times are set last, so creating their entries did not disturb them.
    EXPECT_EQ(stat("/bin").value().mtime.tv_sec, 111);
    EXPECT_EQ(stat("/home/user").value().mtime.tv_sec, 555);
    EXPECT_EQ(stat("/home/user").value().uid, 1000u);
    EXPECT_EQ(stat("/home/user").value().mode, S_IFDIR | 0700);
    Kstat notes = stat("/home/user/notes").value();
    EXPECT_EQ(notes.uid, 1000u);
    EXPECT_EQ(notes.gid, 100u);
    EXPECT_EQ(notes.mode, S_IFREG | 0600);
    EXPECT_EQ(stat("/dev/console").value().rdev, MKDEV(5, 1));
    EXPECT_EQ(stat("/dev/console").value().mode, S_IFCHR | 0600);
    EXPECT_EQ(stat("/dev/sda").value().mode, S_IFBLK | 0660);
    EXPECT_EQ(stat("/dev/sda").value().gid, 6u);
    EXPECT_EQ(stat("/dev/initctl").value().mode, S_IFIFO | 0600);
    EXPECT_EQ(stat("/empty").value().size, 0);
}

TEST_F(UnpackCpioTest, HardLinksByInode) {
    CpioBuilder b;
    // GNU cpio puts the data in the last entry of a link group.
    b.add({.name = "a", .mode = S_IFREG | 0755, .ino = 50, .nlink = 3});
    b.add({.name = "b", .mode = S_IFREG | 0755, .ino = 50, .nlink = 3});
    b.add({.name = "c", .mode = S_IFREG | 0755, .data = "payload", .ino = 50, .nlink = 3});
    // Same ino on another device is another file.
    b.add({.name = "other", .data = "other", .ino = 50, .nlink = 2, .devminor = 2});
    // Linked device nodes.
    b.add({.name = "n1", .mode = S_IFCHR | 0600, .ino = 60, .nlink = 2, .rdevmajor = 1, .rdevminor = 3});
    b.add({.name = "n2", .mode = S_IFCHR | 0600, .ino = 60, .nlink = 2, .rdevmajor = 1, .rdevminor = 3});
    b.trailer();
    CpioUnpackStats stats = unpack(b.bytes).value();
    EXPECT_EQ(stats.hardlinks, 3u);
    EXPECT_EQ(stats.files, 2u);
    EXPECT_EQ(stats.failed, 0u);
    uint64_t ino = stat("/a").value().ino;
    EXPECT_EQ(stat("/b").value().ino, ino);
    EXPECT_EQ(stat("/c").value().ino, ino);
    EXPECT_EQ(stat("/a").value().nlink, 3u);
    EXPECT_EQ(read_file("/a"), "payload");
    EXPECT_NE(stat("/other").value().ino, ino);
    EXPECT_EQ(read_file("/other"), "other");
    EXPECT_EQ(stat("/n1").value().ino, stat("/n2").value().ino);
}

TEST_F(UnpackCpioTest, LinksDoNotCrossTrailers) {
    CpioBuilder b;
    b.add({.name = "first", .data = "1", .ino = 70, .nlink = 2});
    b.trailer();
    b.add({.name = "second", .data = "2", .ino = 70, .nlink = 2});
    b.trailer();
    CpioUnpackStats stats = unpack(b.bytes).value();
    EXPECT_EQ(stats.hardlinks, 0u);
    EXPECT_NE(stat("/first").value().ino, stat("/second").value().ino);
    EXPECT_EQ(read_file("/second"), "2");
}

TEST_F(UnpackCpioTest, LaterArchivesOverrideEarlierOnes) {
    CpioBuilder b;
    b.add({.name = "etc", .mode = S_IFDIR | 0755, .ino = 2});
    b.add({.name = "etc/conf", .data = "long original content", .ino = 3});
    b.add({.name = "thing", .mode = S_IFDIR | 0755, .ino = 4});
    b.add({.name = "link", .mode = S_IFLNK | 0777, .data = "old", .ino = 5});
    b.trailer();
    b.add({.name = "etc", .mode = S_IFDIR | 0700, .ino = 2});          // existing dir: attributes only
    b.add({.name = "etc/conf", .data = "short", .ino = 3});           // truncated and rewritten
    b.add({.name = "thing", .data = "now a file", .ino = 4});         // another type: replaced
    b.add({.name = "link", .mode = S_IFLNK | 0777, .data = "new", .ino = 5});
    b.trailer();
    CpioUnpackStats stats = unpack(b.bytes).value();
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stat("/etc").value().mode, S_IFDIR | 0700);
    EXPECT_EQ(read_file("/etc/conf"), "short");
    EXPECT_EQ(read_file("/thing"), "now a file");
    EXPECT_EQ(readlink("/link"), "new");
}

TEST_F(UnpackCpioTest, FailuresAreCountedAndSkipped) {
    CpioBuilder b;
    b.add({.name = "missing/parent/file", .data = "x", .ino = 2});
    b.add({.name = "ok", .data = "fine", .ino = 3});
    b.add({.name = "badlink", .mode = S_IFLNK | 0777, .data = "", .ino = 4});
    b.trailer();
    CpioUnpackStats stats = unpack(b.bytes).value();
    EXPECT_EQ(stats.failed, 2u);
    EXPECT_EQ(read_file("/ok"), "fine");
}

TEST_F(UnpackCpioTest, MalformedArchiveStopsWithEinval) {
    CpioBuilder b;
    b.add({.name = "kept", .data = "x", .ino = 2});
    b.add({.name = "cut", .data = std::string(100, 'y'), .ino = 3});
    std::vector<uint8_t> truncated(b.bytes.begin(), b.bytes.end() - 50);
    EXPECT_EQ(err(unpack(truncated)), Errno::EINVAL);
    EXPECT_EQ(read_file("/kept"), "x");
    EXPECT_EQ(err(stat("/cut")), Errno::ENOENT);
}

}  // namespace
