// Path lookup: absolute/relative, ".", "..", trailing slashes, symlinks, limits, search permission.
#include "vfs_fixture.hpp"

#include <fs/namei.hpp>

namespace {

using NameiTest = VfsTest;

uint64_t ino_of(const Result<Path>& p) { return p.value().inode()->ino; }

TEST_F(NameiTest, AbsoluteRelativeAndDots) {
    ASSERT_EQ(mkdir("/a"), Errno::OK);
    ASSERT_EQ(mkdir("/a/b"), Errno::OK);
    write_file("/a/b/f", "x");
    Result<Path> f = lookup("/a/b/f");
    ASSERT_FALSE(f.is_error());
    EXPECT_EQ(ino_of(lookup("a/b/f")), ino_of(f));
    EXPECT_EQ(ino_of(lookup("/a/./b//f")), ino_of(f));
    EXPECT_EQ(ino_of(lookup("///a/b/../b/f")), ino_of(f));
    EXPECT_EQ(ino_of(lookup("/a/b/..")), ino_of(lookup("/a")));
    EXPECT_EQ(ino_of(lookup(".")), root.inode()->ino);
    EXPECT_EQ(ino_of(lookup("/")), root.inode()->ino);

    // Relative to another base directory.
    Path b = lookup("/a/b").release_value();
    EXPECT_EQ(ino_of(path_lookup(caller_at(b), "f", LOOKUP_FOLLOW)), ino_of(f));
    EXPECT_EQ(ino_of(path_lookup(caller_at(b), "../b/./f", LOOKUP_FOLLOW)), ino_of(f));
}

TEST_F(NameiTest, DotDotStopsAtTheRoot) {
    ASSERT_EQ(mkdir("/a"), Errno::OK);
    EXPECT_EQ(ino_of(lookup("/..")), root.inode()->ino);
    EXPECT_EQ(ino_of(lookup("/../../..")), root.inode()->ino);
    EXPECT_EQ(ino_of(lookup("/a/../../a")), ino_of(lookup("/a")));

    // A chroot: the caller's root is /a, and ".." cannot leave it.
    Path a = lookup("/a").release_value();
    ASSERT_EQ(mkdir("/a/inner"), Errno::OK);
    VfsCaller jailed{a, a, cred, 022};
    EXPECT_EQ(ino_of(path_lookup(jailed, "/..", LOOKUP_FOLLOW)), a.inode()->ino);
    EXPECT_EQ(ino_of(path_lookup(jailed, "inner/../../..", LOOKUP_FOLLOW)), a.inode()->ino);
    EXPECT_EQ(ino_of(path_lookup(jailed, "/inner", LOOKUP_FOLLOW)), ino_of(lookup("/a/inner")));
}

TEST_F(NameiTest, MissingAndNotDirectory) {
    write_file("/file", "x");
    EXPECT_EQ(err(lookup("")), Errno::ENOENT);
    EXPECT_EQ(err(lookup("/missing")), Errno::ENOENT);
    EXPECT_EQ(err(lookup("/missing/x")), Errno::ENOENT);
    EXPECT_EQ(err(lookup("/file/x")), Errno::ENOTDIR);
    EXPECT_EQ(err(lookup("/file/.")), Errno::ENOTDIR);
    EXPECT_EQ(err(lookup("/file/..")), Errno::ENOTDIR);
    EXPECT_EQ(err(lookup("/file/")), Errno::ENOTDIR);
    EXPECT_EQ(err(lookup("/missing/")), Errno::ENOENT);
    EXPECT_EQ(err(lookup("/file", LOOKUP_DIRECTORY)), Errno::ENOTDIR);
    // A relative path from a base that is not a directory.
    Path file = lookup("/file").release_value();
    EXPECT_EQ(err(path_lookup(caller_at(file), "x", 0)), Errno::ENOTDIR);
}

TEST_F(NameiTest, NameAndPathLengthLimits) {
    std::string name255(255, 'n'), name256(256, 'n');
    write_file(("/" + name255).c_str(), "x");
    EXPECT_EQ(err(lookup(("/" + name255).c_str())), Errno::OK);
    EXPECT_EQ(err(lookup(("/" + name256).c_str())), Errno::ENAMETOOLONG);
    EXPECT_EQ(mkdir(("/" + name256).c_str()), Errno::ENAMETOOLONG);
    // The first missing component wins over a later over-long one.
    EXPECT_EQ(err(lookup(("/missing/" + name256).c_str())), Errno::ENOENT);

    // PATH_MAX counts the NUL: 4095 bytes are a valid path, 4096 are not.
    std::string long_path = "/";
    while (long_path.size() < 4095) long_path += "./";
    long_path.resize(4095);
    if (long_path.back() == '/') long_path.back() = '.';
    EXPECT_EQ(err(lookup(long_path.c_str())), Errno::OK);
    EXPECT_EQ(err(lookup((long_path + "/").c_str())), Errno::ENAMETOOLONG);
}

TEST_F(NameiTest, SymlinksAreFollowed) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    write_file("/d/f", "data");
    ASSERT_EQ(symlink("d", "/rel"), Errno::OK);          // relative to the link's directory
    ASSERT_EQ(symlink("/d/f", "/abs"), Errno::OK);
    ASSERT_EQ(symlink("../d/f", "/d/up"), Errno::OK);
    ASSERT_EQ(symlink("rel", "/chain"), Errno::OK);      // a link to a link
    ASSERT_EQ(symlink("/missing", "/dangling"), Errno::OK);
    uint64_t f = ino_of(lookup("/d/f"));
    EXPECT_EQ(ino_of(lookup("/rel/f")), f);
    EXPECT_EQ(ino_of(lookup("/abs")), f);
    EXPECT_EQ(ino_of(lookup("/d/up")), f);
    EXPECT_EQ(ino_of(lookup("/chain/f")), f);
    EXPECT_EQ(ino_of(lookup("/chain/up")), f);
    // The last component is not followed without LOOKUP_FOLLOW...
    EXPECT_TRUE(lookup("/abs", 0).value().dentry->is_symlink());
    // ...unless a trailing slash asks for a directory.
    EXPECT_EQ(ino_of(lookup("/rel/", 0)), ino_of(lookup("/d")));
    EXPECT_EQ(err(lookup("/abs/", 0)), Errno::ENOTDIR);
    EXPECT_EQ(err(lookup("/dangling")), Errno::ENOENT);
    EXPECT_EQ(err(lookup("/dangling", 0)), Errno::OK);
    EXPECT_EQ(err(lookup("/dangling/x")), Errno::ENOENT);
    EXPECT_EQ(read_file("/chain/up"), "data");
}

TEST_F(NameiTest, SymlinkLoopsAndTheFortyLinkLimit) {
    ASSERT_EQ(symlink("loop2", "/loop1"), Errno::OK);
    ASSERT_EQ(symlink("loop1", "/loop2"), Errno::OK);
    ASSERT_EQ(symlink("self", "/self"), Errno::OK);
    EXPECT_EQ(err(lookup("/loop1")), Errno::ELOOP);
    EXPECT_EQ(err(lookup("/self/x")), Errno::ELOOP);
    EXPECT_EQ(err(lookup("/self", 0)), Errno::OK);

    // A chain of exactly 40 links resolves; 41 is ELOOP.
    ASSERT_EQ(mkdir("/target"), Errno::OK);
    ASSERT_EQ(symlink("target", "/l0"), Errno::OK);
    for (int i = 1; i <= 40; i++) {
        std::string prev = "l" + std::to_string(i - 1), name = "/l" + std::to_string(i);
        ASSERT_EQ(symlink(prev.c_str(), name.c_str()), Errno::OK);
    }
    EXPECT_EQ(err(lookup("/l39")), Errno::OK);   // 40 links followed
    EXPECT_EQ(err(lookup("/l40")), Errno::ELOOP);  // 41
    EXPECT_EQ(err(lookup("/l39/")), Errno::OK);
    EXPECT_EQ(err(lookup("/l40/x")), Errno::ELOOP);
}

TEST_F(NameiTest, SymlinkTargetsWithDotsAndSlashes) {
    ASSERT_EQ(mkdir("/d"), Errno::OK);
    ASSERT_EQ(mkdir("/d/e"), Errno::OK);
    ASSERT_EQ(symlink("/", "/toroot"), Errno::OK);
    ASSERT_EQ(symlink(".", "/d/here"), Errno::OK);
    ASSERT_EQ(symlink("e/", "/d/slash"), Errno::OK);
    ASSERT_EQ(symlink("..", "/d/e/parent"), Errno::OK);
    EXPECT_EQ(ino_of(lookup("/toroot")), root.inode()->ino);
    EXPECT_EQ(ino_of(lookup("/toroot/d/e")), ino_of(lookup("/d/e")));
    EXPECT_EQ(ino_of(lookup("/d/here/here/e")), ino_of(lookup("/d/e")));
    EXPECT_EQ(ino_of(lookup("/d/slash")), ino_of(lookup("/d/e")));
    EXPECT_EQ(ino_of(lookup("/d/e/parent")), ino_of(lookup("/d")));
    EXPECT_EQ(ino_of(lookup("/d/e/parent/e/parent/e")), ino_of(lookup("/d/e")));
}

TEST_F(NameiTest, SearchPermissionIsNeeded) {
    ASSERT_EQ(mkdir("/locked", 0700), Errno::OK);
    ASSERT_EQ(mkdir("/locked/inner", 0755), Errno::OK);
    ASSERT_EQ(mkdir("/readonly", 0744), Errno::OK);
    write_file("/readonly/f", "x");
    cred_set_ids(cred, 1000, 1000);
    EXPECT_EQ(err(lookup("/locked/inner")), Errno::EACCES);
    EXPECT_EQ(err(lookup("/locked/missing")), Errno::EACCES);  // EACCES before ENOENT
    EXPECT_EQ(err(lookup("/locked")), Errno::OK);             // the last component needs only its parent
    EXPECT_EQ(err(lookup("/readonly/f")), Errno::EACCES);     // r without x does not allow lookups
    cred_set_ids(cred, 0, 0);
    EXPECT_EQ(err(lookup("/locked/inner")), Errno::OK);
}

TEST_F(NameiTest, ParentLookupGivesTheLastComponent) {
    ASSERT_EQ(mkdir("/a"), Errno::OK);
    std::string path = "/a/name/";
    Result<ParentPath> p = path_parent(caller(), path.c_str());
    ASSERT_FALSE(p.is_error());
    EXPECT_EQ(std::string(p.value().name, p.value().len), "name");
    EXPECT_TRUE(p.value().trailing_slash);
    EXPECT_EQ(p.value().type, LastType::Norm);
    EXPECT_EQ(p.value().dir.inode()->ino, ino_of(lookup("/a")));
    EXPECT_EQ(path_parent(caller(), "/a/..").value().type, LastType::DotDot);
    EXPECT_EQ(path_parent(caller(), "/a/.").value().type, LastType::Dot);
    EXPECT_EQ(path_parent(caller(), "/").value().type, LastType::Root);
    EXPECT_EQ(err(path_parent(caller(), "/missing/x")), Errno::ENOENT);
}

TEST_F(NameiTest, NegativeLookupsDoNotAccumulate) {
    uint64_t before = dcache_nr_dentries();
    for (int i = 0; i < 100; i++) EXPECT_EQ(err(lookup(("/nothing" + std::to_string(i)).c_str())), Errno::ENOENT);
    EXPECT_EQ(dcache_nr_dentries(), before);
}

}  // namespace
