#!/usr/bin/env python3
"""Emit the kernel symbol table (.ksyms) for a linked kernel: every function's address, size and
demangled name, sorted by address, in the layout lib/ksyms.cpp reads."""
import subprocess
import sys


def main():
    elf, out = sys.argv[1], sys.argv[2]
    nm = subprocess.run(["nm", "-S", "-C", "--defined-only", elf], check=True, capture_output=True, text=True)
    syms = {}
    for line in nm.stdout.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[2] in "tTwW":
            addr, size, name = int(parts[0], 16), int(parts[1], 16), parts[3]
        elif len(parts) == 3 and parts[1] in "tT":
            addr, size, name = int(parts[0], 16), 0, parts[2]
        else:
            continue
        # Keep the first name per address (aliases add nothing to a backtrace).
        if addr not in syms or (syms[addr][0] == 0 and size):
            syms[addr] = (size, name.split("(")[0] if len(name) > 200 else name)
    entries = sorted(syms.items())
    names = bytearray()
    lines = [
        "    .section .ksyms, \"a\"",
        "    .balign 8",
        "    .global ksyms_count, ksyms_table, ksyms_names",
        "ksyms_count:",
        f"    .quad {len(entries)}",
        "ksyms_table:",
    ]
    for addr, (size, name) in entries:
        lines.append(f"    .quad {addr:#x}\n    .long {size}, {len(names)}")
        names += name.encode() + b"\0"
    lines.append("ksyms_names:")
    for i in range(0, len(names), 64):
        lines.append("    .byte " + ",".join(str(b) for b in names[i:i + 64]))
    lines.append('    .section .note.GNU-stack, "", @progbits')
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
