#!/usr/bin/env python3
"""Boot benchmark: Tern vs Debian's Linux kernel in the same QEMU (TCG), same initramfs and command line.

For each kernel, over several runs, it reports
  - wall: host seconds from QEMU's start to the kernel saying it starts init ("Run /init as init process");
  - kernel: the kernel's own timestamp on that line (Tern counts from its first instruction; Linux's
    printk clock starts a little later, at TSC set-up, so Linux's figure is a lower bound);
  - memory: the "Memory: xK/yK available" line (RAM left to allocate after boot).
Usage: boot_compare.py --tern build/tern --initrd build/initramfs.cpio.gz [--linux /boot/vmlinuz-*]
       [--runs 3] [--mem 128]
"""
import argparse
import glob
import re
import statistics
import subprocess
import time

MARKER = re.compile(rb"\[\s*(\d+\.\d+)\] Run /init as init process")
MEMORY = re.compile(rb"Memory: (\d+)K/(\d+)K available")
BOOTMARK = re.compile(rb"bootmark: .*free (\d+) KiB of (\d+) KiB")
TERN_IN_USE = re.compile(rb"boot: (\d+)K of (\d+)K RAM in use after boot, (\d+)K free")
E820_USABLE = re.compile(rb"BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] usable")


def boot_once(kernel, initrd, mem, timeout=60):
    cmd = ["qemu-system-x86_64", "-kernel", kernel, "-initrd", initrd, "-m", str(mem), "-smp", "1",
           "-cpu", "max", "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-append", "console=ttyS0 panic=-1 loglevel=7"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    out = b""
    wall = None
    while True:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            break
        out += chunk
        if wall is None and MARKER.search(out):
            wall = time.monotonic() - start
        if time.monotonic() - start > timeout:
            break
    proc.kill()
    proc.wait()
    m = MARKER.search(out)
    mem_m = MEMORY.search(out)
    user_m = BOOTMARK.search(out)
    ram_k = sum(int(b, 16) - int(a, 16) + 1 for a, b in E820_USABLE.findall(out)) // 1024
    tern_m = TERN_IN_USE.search(out)
    # In use after boot, one definition for both: usable RAM in the firmware map minus free memory
    # (Tern reports it; for Linux, the free memory its first user process sees).
    if tern_m:
        in_use = int(tern_m.group(1))
    elif user_m and ram_k:
        in_use = ram_k - int(user_m.group(1))
    else:
        in_use = None
    return {
        "wall": wall,
        "kernel": float(m.group(1)) if m else None,
        "avail_k": int(mem_m.group(1)) if mem_m else None,
        "total_k": int(mem_m.group(2)) if mem_m else None,
        "user_free_k": int(user_m.group(1)) if user_m else None,
        "in_use_k": in_use,
    }


def summarize(name, runs):
    def med(key):
        vals = [r[key] for r in runs if r[key] is not None]
        return statistics.median(vals) if vals else None
    return name, med("wall"), med("kernel"), med("avail_k"), med("total_k"), med("in_use_k")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tern", default="build/tern")
    ap.add_argument("--initrd", default="build/bench-initramfs.cpio.gz")
    linux = sorted(glob.glob("/boot/vmlinuz-*"))
    ap.add_argument("--linux", default=linux[-1] if linux else None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mem", type=int, default=128)
    args = ap.parse_args()
    rows = [summarize("tern", [boot_once(args.tern, args.initrd, args.mem) for _ in range(args.runs)])]
    if args.linux:
        rows.append(summarize("linux", [boot_once(args.linux, args.initrd, args.mem) for _ in range(args.runs)]))
    fmt = lambda v, f: "n/a" if v is None else f.format(v)
    print(f"QEMU TCG, -m {args.mem}, -smp 1, median of {args.runs} runs")
    print(f"{'kernel':8} {'wall to init (s)':>17} {'kernel clock (s)':>17} {'Memory: line':>18}"
          f" {'RAM in use after boot':>22}")
    for name, wall, kern, avail, total, in_use in rows:
        ram = "n/a" if avail is None else f"{avail:.0f}K/{total:.0f}K"
        print(f"{name:8} {fmt(wall, '{:.3f}'):>17} {fmt(kern, '{:.6f}'):>17} {ram:>18} {fmt(in_use, '{:.0f}K'):>22}")
    if len(rows) == 2 and rows[0][1] and rows[1][1]:
        print(f"ratio wall tern/linux = {rows[0][1] / rows[1][1]:.3f}")
    if len(rows) == 2 and rows[0][2] and rows[1][2]:
        print(f"ratio kernel clock tern/linux = {rows[0][2] / rows[1][2]:.3f}")
    if len(rows) == 2 and rows[0][5] and rows[1][5]:
        print(f"ratio RAM in use tern/linux = {rows[0][5] / rows[1][5]:.3f}")


if __name__ == "__main__":
    main()
