#!/usr/bin/env python3
"""Build-time checks of the kernel image that QEMU's Multiboot loader depends on:
- every PT_LOAD has the same (file offset - physical address): the loader copies one contiguous block;
- the multiboot header lies 4-byte aligned in the first 8 KiB of the file;
- the second link did not move any function relative to the first (the symbol table would lie)."""
import struct
import subprocess
import sys


def program_headers(path):
    data = open(path, "rb").read()
    assert data[:4] == b"\x7fELF", "not an ELF file"
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _flags, p_offset, _vaddr, p_paddr = struct.unpack_from("<IIQQQ", data, phoff + i * phentsize)
        yield p_type, p_offset, p_paddr
    return data


def functions(path):
    out = subprocess.run(["nm", "--defined-only", path], check=True, capture_output=True, text=True).stdout
    return {l.split()[2]: l.split()[0] for l in out.splitlines() if len(l.split()) == 3 and l.split()[1] in "tT"}


def main():
    stage1, final = sys.argv[1], sys.argv[2]
    loads = [(off, paddr) for t, off, paddr in program_headers(final) if t == 1]
    deltas = {off - paddr for off, paddr in loads}
    if len(deltas) != 1:
        sys.exit(f"check_image: PT_LOAD segments are not one contiguous image: {loads}")
    data = open(final, "rb").read()
    pos = data.find(struct.pack("<I", 0x1BADB002))
    if pos < 0 or pos % 4 or pos + 12 > 8192:
        sys.exit(f"check_image: multiboot header not in the first 8 KiB (found at {pos})")
    a, b = functions(stage1), functions(final)
    moved = [n for n in a if n in b and a[n] != b[n]]
    if moved:
        sys.exit(f"check_image: functions moved between links: {moved[:5]}")


if __name__ == "__main__":
    main()
