// rename(2)/renameat2: files, directories, replacing, exchanging, and every errno.
#include "vfs_fixture.hpp"

namespace {

using RenameTest = VfsTest;

TEST_F(RenameTest, MovesAFile) {
    write_file("/a", "A");
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    uint64_t ino = stat("/a").value().ino;
    EXPECT_EQ(rename("/a", "/d/b"), Errno::OK);
    EXPECT_EQ(err(stat("/a")), Errno::ENOENT);
    EXPECT_EQ(stat("/d/b").value().ino, ino);
    EXPECT_EQ(read_file("/d/b"), "A");
    EXPECT_EQ(rename("/d/b", "/d/c"), Errno::OK);
    EXPECT_EQ(read_file("/d/c"), "A");
}

TEST_F(RenameTest, ReplacesAFileAtomically) {
    write_file("/a", "new");
    write_file("/b", "old");
    Result<RefPtr<File>> old_open = open("/b", O_RDONLY);
    ASSERT_FALSE(old_open.is_error());
    EXPECT_EQ(rename("/a", "/b"), Errno::OK);
    EXPECT_EQ(read_file("/b"), "new");
    EXPECT_EQ(err(stat("/a")), Errno::ENOENT);
    // The replaced file lives on for whoever has it open.
    EXPECT_EQ(old_open.value()->inode->nlink, 0u);
    char buf[4] = {};
    EXPECT_EQ(kernel_read(*old_open.value(), buf, 3, 0).value(), 3u);
    EXPECT_EQ(std::string(buf), "old");
}

TEST_F(RenameTest, HardLinksOfOneFileAreANoOp) {
    write_file("/a", "x");
    ASSERT_EQ(link("/a", "/b"), Errno::OK);
    EXPECT_EQ(rename("/a", "/b"), Errno::OK);
    EXPECT_EQ(err(stat("/a")), Errno::OK);  // both names remain, as POSIX says
    EXPECT_EQ(stat("/b").value().nlink, 2u);
    EXPECT_EQ(rename("/a", "/a"), Errno::OK);
}

TEST_F(RenameTest, Directories) {
    ASSERT_EQ(mkdir("/src"), Errno::OK);
    ASSERT_EQ(mkdir("/src/sub"), Errno::OK);
    write_file("/src/sub/f", "deep");
    ASSERT_EQ(mkdir("/dst"), Errno::OK);
    EXPECT_EQ(rename("/src/sub", "/dst/moved"), Errno::OK);
    EXPECT_EQ(read_file("/dst/moved/f"), "deep");
    EXPECT_EQ(stat("/src").value().nlink, 2u);
    EXPECT_EQ(stat("/dst").value().nlink, 3u);
    // ".." of the moved directory is its new parent.
    EXPECT_EQ(lookup("/dst/moved/..").value().inode()->ino, stat("/dst").value().ino);

    // Replacing an empty directory is allowed, a non-empty one is not.
    ASSERT_EQ(mkdir("/empty"), Errno::OK);
    EXPECT_EQ(rename("/dst/moved", "/empty"), Errno::OK);
    EXPECT_EQ(read_file("/empty/f"), "deep");
    EXPECT_EQ(stat("/dst").value().nlink, 2u);
    ASSERT_EQ(mkdir("/other"), Errno::OK);
    EXPECT_EQ(rename("/other", "/empty"), Errno::ENOTEMPTY);
    EXPECT_EQ(rename("/other/", "/renamed/"), Errno::OK);
}

TEST_F(RenameTest, TypeMismatches) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(mkdir("/d2"), Errno::OK);
    write_file("/f", "x");
    EXPECT_EQ(rename("/f", "/d"), Errno::EISDIR);
    EXPECT_EQ(rename("/d", "/f"), Errno::ENOTDIR);
    EXPECT_EQ(rename("/f/", "/g"), Errno::ENOTDIR);
    EXPECT_EQ(rename("/f", "/g/"), Errno::ENOTDIR);
    EXPECT_EQ(rename("/missing", "/g"), Errno::ENOENT);
    EXPECT_EQ(rename("/f", "/missing/g"), Errno::ENOENT);
}

TEST_F(RenameTest, IntoItsOwnSubtreeOrOverAnAncestor) {
    ASSERT_EQ(mkdir("/a"), Errno::OK);
    ASSERT_EQ(mkdir("/a/b"), Errno::OK);
    ASSERT_EQ(mkdir("/a/b/c"), Errno::OK);
    EXPECT_EQ(rename("/a", "/a/b/c/a"), Errno::EINVAL);
    EXPECT_EQ(rename("/a", "/a/x"), Errno::EINVAL);
    EXPECT_EQ(rename("/a/b/c", "/a"), Errno::ENOTEMPTY);
    EXPECT_EQ(rename("/a/b", "/a/b/c/x"), Errno::EINVAL);
    EXPECT_EQ(rename("/a/b/c", "/a/b/c"), Errno::OK);
}

TEST_F(RenameTest, DotsAndRoot) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    EXPECT_EQ(rename("/d/.", "/x"), Errno::EBUSY);
    EXPECT_EQ(rename("/d/..", "/x"), Errno::EBUSY);
    EXPECT_EQ(rename("/d", "/d/.."), Errno::EBUSY);
    EXPECT_EQ(rename("/", "/x"), Errno::EBUSY);
    EXPECT_EQ(rename("/d", "/."), Errno::EBUSY);
    EXPECT_EQ(rename("/d", "/.", RENAME_NOREPLACE), Errno::EEXIST);
}

TEST_F(RenameTest, NoReplaceAndExchange) {
    write_file("/a", "A");
    write_file("/b", "B");
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(mkdir("/d/sub"), Errno::OK);
    EXPECT_EQ(rename("/a", "/b", RENAME_NOREPLACE), Errno::EEXIST);
    EXPECT_EQ(rename("/a", "/c", RENAME_NOREPLACE), Errno::OK);
    EXPECT_EQ(rename("/c", "/b", RENAME_EXCHANGE), Errno::OK);
    EXPECT_EQ(read_file("/b"), "A");
    EXPECT_EQ(read_file("/c"), "B");
    EXPECT_EQ(rename("/c", "/missing", RENAME_EXCHANGE), Errno::ENOENT);
    EXPECT_EQ(rename("/c", "/b", RENAME_EXCHANGE | RENAME_NOREPLACE), Errno::EINVAL);
    EXPECT_EQ(rename("/c", "/b", 1u << 5), Errno::EINVAL);
    // Exchanging a file with a directory in another parent moves the directory's "..".
    EXPECT_EQ(rename("/b", "/d/sub", RENAME_EXCHANGE), Errno::OK);
    EXPECT_TRUE(S_ISDIR(stat("/b").value().mode));
    EXPECT_EQ(read_file("/d/sub"), "A");
    EXPECT_EQ(stat("/d").value().nlink, 2u);
    EXPECT_EQ(stat("/").value().nlink, 4u);  // ".", "..", d, b
}

TEST_F(RenameTest, Permissions) {
    ASSERT_EQ(mkdir("/mine"), Errno::OK);
    ASSERT_EQ(chmod("/mine", 0777), Errno::OK);
    ASSERT_EQ(mkdir("/theirs", 0755), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    write_file("/mine/f", "x");
    EXPECT_EQ(rename("/mine/f", "/theirs/f"), Errno::EACCES);
    cred_set_ids(cred, 0, 0);
    ASSERT_EQ(mkdir("/mine/rootdir", 0755), Errno::OK);
    cred_set_ids(cred, 1000, 1000);
    ASSERT_EQ(mkdir("/mine/dest"), Errno::OK);
    // Moving a directory to another parent rewrites its "..": write permission on it is needed.
    EXPECT_EQ(rename("/mine/rootdir", "/mine/dest/x"), Errno::EACCES);
    EXPECT_EQ(rename("/mine/rootdir", "/mine/renamed"), Errno::OK);  // same parent: allowed
}

}  // namespace
