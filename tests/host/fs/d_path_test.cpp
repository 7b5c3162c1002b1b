// d_path and getcwd: names back from Paths, across mounts, for removed files and outside a root.
#include "vfs_fixture.hpp"

#include <fs/d_path.hpp>

namespace {

class DPathTest : public VfsTest {
protected:
    std::string path_of(const Path& p, const Path& from) {
        char buf[PATH_MAX];
        Result<size_t> n = d_path(p, from, buf, sizeof(buf));
        if (n.is_error()) return std::string("<") + errno_name(n.error()) + ">";
        EXPECT_EQ(strlen(buf), n.value());
        return buf;
    }
    std::string path_of(const char* path) { return path_of(lookup(path, 0).value(), root); }
};

TEST_F(DPathTest, NamesAcrossMounts) {
    EXPECT_EQ(path_of("/"), "/");
    ASSERT_EQ(mkdir("/a"), Errno::OK);
    ASSERT_EQ(mkdir("/a/b"), Errno::OK);
    write_file("/a/b/file", "x");
    EXPECT_EQ(path_of("/a/b/file"), "/a/b/file");
    EXPECT_EQ(path_of("/a/./b/../b"), "/a/b");
    ASSERT_EQ(err(vfs_mount(caller(), "x", "/a/b", "tmpfs", 0, nullptr)), Errno::OK);
    ASSERT_EQ(mkdir("/a/b/inner"), Errno::OK);
    EXPECT_EQ(path_of("/a/b/inner"), "/a/b/inner");
    EXPECT_EQ(path_of("/a/b"), "/a/b");
    ASSERT_EQ(err(vfs_umount(caller(), "/a/b", 0)), Errno::OK);
    // A renamed directory has its new name.
    ASSERT_EQ(rename("/a/b", "/a/c"), Errno::OK);
    EXPECT_EQ(path_of("/a/c/file"), "/a/c/file");
}

TEST_F(DPathTest, DeletedAndUnreachable) {
    write_file("/gone", "x");
    Path p = lookup("/gone").release_value();
    ASSERT_EQ(unlink("/gone"), Errno::OK);
    EXPECT_EQ(path_of(p, root), "/gone (deleted)");
    ASSERT_EQ(mkdir("/jail"), Errno::OK);
    ASSERT_EQ(mkdir("/outside"), Errno::OK);
    Path jail = lookup("/jail").release_value();
    EXPECT_EQ(path_of(lookup("/outside").value(), jail), "(unreachable)/outside");
    EXPECT_EQ(path_of(jail, jail), "/");
}

TEST_F(DPathTest, Getcwd) {
    ASSERT_EQ(mkdir("/home"), Errno::OK);
    ASSERT_EQ(mkdir("/home/user"), Errno::OK);
    Path cwd = lookup("/home/user").release_value();
    char buf[64];
    EXPECT_EQ(vfs_getcwd(cwd, root, buf, sizeof(buf)).value(), 11u);  // with the NUL
    EXPECT_EQ(std::string(buf), "/home/user");
    EXPECT_EQ(err(vfs_getcwd(cwd, root, buf, 10)), Errno::ERANGE);
    EXPECT_EQ(vfs_getcwd(cwd, root, buf, 11).value(), 11u);
    EXPECT_EQ(vfs_getcwd(root, root, buf, sizeof(buf)).value(), 2u);
    EXPECT_EQ(std::string(buf), "/");
    ASSERT_EQ(rmdir("/home/user"), Errno::OK);
    EXPECT_EQ(err(vfs_getcwd(cwd, root, buf, sizeof(buf))), Errno::ENOENT);
    EXPECT_EQ(err(d_path(lookup("/home").value(), root, buf, 5)), Errno::ENAMETOOLONG);
}

}  // namespace
