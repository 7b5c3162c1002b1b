#!/usr/bin/env python3
"""Pack directories into a gzip-compressed newc cpio archive (what Linux's initramfs takes).
Usage: mkinitramfs.py [--plain] OUT DIR [DIR...]   (later DIRs overlay earlier ones; --plain: no gzip)
Files are owned by root; modes come from the source tree; the output is reproducible (mtime 0)."""
import gzip
import os
import stat
import sys


def entry(name, mode, data=b"", ino=0, nlink=1):
    name_b = name.encode() + b"\0"
    header = "070701" + "".join(f"{v:08X}" for v in (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
    out = header.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    args = sys.argv[1:]
    plain = args[0] == "--plain"
    if plain:
        args = args[1:]
    out_path, dirs = args[0], args[1:]
    files = {}
    for root_dir in dirs:
        for dirpath, dirnames, filenames in os.walk(root_dir):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root_dir)
            if rel != ".":
                files[rel] = (stat.S_IFDIR | 0o755, b"")
            for fn in sorted(filenames):
                path = os.path.join(dirpath, fn)
                name = os.path.normpath(os.path.join(rel, fn))
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    files[name] = (stat.S_IFLNK | 0o777, os.readlink(path).encode())
                else:
                    perm = 0o755 if st.st_mode & 0o111 else 0o644
                    files[name] = (stat.S_IFREG | perm, open(path, "rb").read())
    archive = bytearray()
    for ino, name in enumerate(sorted(files), start=1):
        mode, data = files[name]
        archive += entry(name, mode, data, ino, 2 if stat.S_ISDIR(mode) else 1)
    archive += entry("TRAILER!!!", 0)
    with open(out_path, "wb") as f:
        f.write(bytes(archive) if plain else gzip.compress(bytes(archive), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
