#pragma once
// PathWalk: the state of one path lookup (Linux's nameidata), used by namei.cpp and by open's
// create-or-follow loop. See namei.hpp for the rules it implements.
//
// start() resolves every component but the last; the last is left in name()/len()/type() for the
// caller, which looks it up in dir() with its own intent (open, create, remove, ...). If the last
// component is a symlink to follow, follow_last() walks the target the same way, so the target's last
// component becomes the walk's last. Symlink targets are read in place: the walk holds a reference to
// each link inode it followed, which keeps the target strings alive until the walk ends.
#include <fs/namei.hpp>

class PathWalk {
public:
    explicit PathWalk(const VfsCaller& caller) : caller_(caller) {}
    ~PathWalk();
    PathWalk(const PathWalk&) = delete;
    PathWalk& operator=(const PathWalk&) = delete;

    Result<void> start(const char* path);
    // `link` is the symlink the last component named (a child of dir()).
    Result<void> follow_last(const Path& link);
    // For a last component of type Dot, DotDot or Root: the directory it names.
    Path resolve_dots() const;

    const Path& dir() const { return cur_; }
    const char* name() const { return name_; }
    size_t len() const { return len_; }
    LastType type() const { return type_; }
    // A slash followed the last component (of the path or of a followed target).
    bool trailing_slash() const { return trailing_slash_; }
    // Some trailing slash was seen: the result must be a directory, and a final symlink is followed.
    bool must_be_dir() const { return must_be_dir_; }

private:
    Result<void> walk();
    Result<void> enter_link(const Path& link);

    const VfsCaller& caller_;
    Path cur_;
    const char* cursor_ = nullptr;       // the rest of the string being walked
    const char* stack_[MAXSYMLINKS];     // the rests of the strings whose walk a link interrupted
    unsigned depth_ = 0;
    Inode* held_links_[MAXSYMLINKS];     // referenced: their targets are being walked
    unsigned total_links_ = 0;
    const char* name_ = nullptr;
    size_t len_ = 0;
    LastType type_ = LastType::Root;
    bool trailing_slash_ = false;
    bool must_be_dir_ = false;
};
