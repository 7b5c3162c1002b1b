#!/usr/bin/env python3
"""Process-management micro-benchmarks: Tern vs Debian's Linux in the same QEMU (TCG, -smp 1, same
memory, same initramfs and command line). The initramfs's /init is user/bench/ubench.c, which prints
"bench: <name> <ns> ns/op ..." per benchmark and powers off.

Usage: run_bench.py [--tern build/tern] [--linux /boot/vmlinuz-...] [--initrd build/ubench-initramfs.cpio.gz]
                    [--mem 256] [--runs 1] [--kernels tern,linux]
(build the image first: cmake --build build --target ubench-initramfs)
With several runs, each figure is the median over the boots (each boot already reports the median of
its rounds). Ratios are Tern / Linux: below 1 Tern is faster.
"""
import argparse
import glob
import re
import statistics
import subprocess
import time

BENCH = re.compile(r"^bench: (\w+) (\d+) ns/op", re.M)
ORDER = ["null_syscall", "fork_exit_wait", "fork_exec_wait", "page_fault", "cow_fault", "pipe_round_trip"]


def boot_once(kernel, initrd, mem, timeout):
    cmd = ["qemu-system-x86_64", "-kernel", kernel, "-initrd", initrd, "-m", str(mem), "-smp", "1",
           "-cpu", "max", "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-append", "console=ttyS0 panic=-1"]
    start = time.monotonic()
    try:
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=timeout).stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    results = {name: int(ns) for name, ns in BENCH.findall(text)}
    if "bench: done" not in text:
        tail = "\n".join(text.splitlines()[-8:])
        print(f"# {kernel}: the benchmark did not finish in {time.monotonic() - start:.0f}s; last lines:\n{tail}")
    return results


def main():
    ap = argparse.ArgumentParser()
    linux = sorted(glob.glob("/boot/vmlinuz-*"))
    ap.add_argument("--tern", default="build/tern")
    ap.add_argument("--linux", default=linux[-1] if linux else None)
    ap.add_argument("--initrd", default="build/ubench-initramfs.cpio.gz")
    ap.add_argument("--mem", type=int, default=256)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--kernels", default="tern,linux", help="which to boot: tern, linux or both")
    args = ap.parse_args()
    kernels = {"tern": args.tern, "linux": args.linux}
    table = {}
    for name in args.kernels.split(","):
        if not kernels.get(name):
            print(f"# no {name} kernel given")
            continue
        runs = [boot_once(kernels[name], args.initrd, args.mem, args.timeout) for _ in range(args.runs)]
        table[name] = {b: statistics.median(r[b] for r in runs if b in r) for b in ORDER if any(b in r for r in runs)}
    print(f"QEMU TCG, -smp 1, -m {args.mem}, {args.runs} boot(s) per kernel; ns per operation")
    names = list(table)
    header = f"{'benchmark':18}" + "".join(f"{n:>12}" for n in names)
    if {"tern", "linux"} <= set(names):
        header += f"{'tern/linux':>12}"
    print(header)
    for b in ORDER:
        row = f"{b:18}"
        for n in names:
            v = table[n].get(b)
            row += f"{'n/a' if v is None else f'{v:.0f}':>12}"
        if {"tern", "linux"} <= set(names):
            t, l = table["tern"].get(b), table["linux"].get(b)
            row += f"{'n/a' if not t or not l else f'{t / l:.2f}':>12}"
        print(row)


if __name__ == "__main__":
    main()
