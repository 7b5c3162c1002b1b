// Executables from the initramfs (see exec_file.hpp).
#include <init/initramfs.hpp>
#include <lib/string.hpp>
#include <mm/slab.hpp>
#include <process/cred.hpp>
#include <process/exec_file.hpp>

namespace {

constexpr uint32_t S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000;
constexpr unsigned MAXSYMLINKS = 40;

// The path being resolved: an absolute, normalised prefix ("/a/b") and what is left to walk, with
// scratch space. About 20 KiB: allocated, never on the (16 KiB) kernel stack.
struct Walk {
    char done[kPathMax];   // resolved so far, without a trailing slash ("" is the root)
    char rest[kPathMax];   // still to walk
    char name[kPathMax];   // the component being looked at
    char candidate[kPathMax];
    char scratch[kPathMax];
    unsigned links = 0;
};

// Splits the first component off w.rest into `name`. False if nothing is left.
bool next_component(Walk& w, char (&name)[kPathMax]) {
    const char* r = w.rest;
    while (*r == '/') r++;
    if (!*r) return false;
    size_t len = 0;
    while (r[len] && r[len] != '/') len++;
    memcpy(name, r, len);
    name[len] = '\0';
    memmove(w.rest, r + len, strlen(r + len) + 1);
    return true;
}

// dst = a + b; dst may be a (not b).
Result<void> append(char (&dst)[kPathMax], const char* a, const char* b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 1 > kPathMax) return Errno::ENAMETOOLONG;
    memmove(dst, a, la);
    memmove(dst + la, b, lb + 1);
    return {};
}

bool lookup(const char* path, CpioEntry& entry) { return initramfs_lookup(*path ? path : "/", entry); }

// Resolves `path` to the entry of a non-link file.
Result<CpioEntry> resolve_in(Walk& w, const char* path) {
    if (!*path) return Errno::ENOENT;
    if (strlen(path) >= kPathMax) return Errno::ENAMETOOLONG;
    w.done[0] = '\0';
    strlcpy(w.rest, path, sizeof w.rest);
    CpioEntry entry{};
    bool have = false;  // entry describes w.done
    while (next_component(w, w.name)) {
        if (have && (entry.mode & S_IFMT) != S_IFDIR) return Errno::ENOTDIR;
        if (!strcmp(w.name, ".")) continue;
        if (!strcmp(w.name, "..")) {
            char* slash = nullptr;
            for (char* c = w.done; *c; c++)
                if (*c == '/') slash = c;
            if (slash) *slash = '\0';
            have = false;
            continue;
        }
        TRY(append(w.candidate, w.done, "/"));
        TRY(append(w.candidate, w.candidate, w.name));
        if (!lookup(w.candidate, entry)) return Errno::ENOENT;
        if ((entry.mode & S_IFMT) == S_IFLNK) {
            if (++w.links > MAXSYMLINKS) return Errno::ELOOP;
            if (entry.filesize >= kPathMax) return Errno::ENAMETOOLONG;
            memcpy(w.scratch, entry.data, entry.filesize);  // the link's target
            w.scratch[entry.filesize] = '\0';
            bool absolute = w.scratch[0] == '/';
            TRY(append(w.scratch, w.scratch, w.rest));  // then what followed the link ("/...")
            strlcpy(w.rest, w.scratch, sizeof w.rest);
            if (absolute) w.done[0] = '\0';  // start again from the root; else from the link's directory
            have = false;
            continue;
        }
        strlcpy(w.done, w.candidate, sizeof w.done);
        have = true;
    }
    // Nothing left: the root, or a directory reached through "..", which cannot be executed.
    if (!have) return Errno::EACCES;
    return entry;
}

Result<CpioEntry> resolve(const char* path) {
    Walk* w = knew<Walk>();
    if (!w) return Errno::ENOMEM;
    Result<CpioEntry> entry = resolve_in(*w, path);
    kdelete(w);
    return entry;
}

bool may_execute(const CpioEntry& e) {
    const Credentials* cred = current_cred();
    if (cred->fsuid == 0) return e.mode & 0111;  // root: any execute bit (CAP_DAC_OVERRIDE's rule)
    if (cred->fsuid == e.uid) return e.mode & 0100;
    if (cred->in_group(e.gid)) return e.mode & 0010;
    return e.mode & 0001;
}

}  // namespace

Result<ExecFile> open_exec(const char* path) {
    CpioEntry entry = TRY(resolve(path));
    if ((entry.mode & S_IFMT) != S_IFREG) return Errno::EACCES;
    if (!may_execute(entry)) return Errno::EACCES;
    ExecFile file;
    file.data = entry.data;
    file.size = entry.filesize;
    file.mode = entry.mode;
    file.uid = entry.uid;
    file.gid = entry.gid;
    return file;
}
