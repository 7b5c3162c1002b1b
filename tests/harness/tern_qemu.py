#!/usr/bin/env python3
"""Boot Tern (or any kernel) in QEMU, capture the serial console, and judge the run.

  tern_qemu.py boot --kernel K [--initrd I] [--append A] [--smp N] [--mem M] [--timeout S]
                    [--log FILE] [--expect-exit CODE] [--expect REGEX]... [--reject REGEX]...
  tern_qemu.py ktest-result --log FILE --test suite.name

--send REGEX TEXT types TEXT into the serial console (QEMU's stdin) once the output so far matches
REGEX (searched from where the previous --send matched); TEXT takes Python escapes ("\\r", "\\x03").

QEMU's isa-debug-exit turns the kernel's exit code V into status (V << 1) | 1; Tern writes 0 after a
clean power-off, 1 on panic, 2 when self-tests failed. A run that exits 0 (a triple fault with
-no-reboot) or times out is always a failure.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

KTEST_LINE = re.compile(r"ktest: (PASS|FAIL) (\S+)")


def qemu_command(args):
    cmd = [args.qemu, "-kernel", args.kernel, "-m", str(args.mem), "-smp", str(args.smp),
           "-cpu", args.cpu, "-display", "none", "-monitor", "none", "-serial", "stdio",
           "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if args.initrd:
        cmd += ["-initrd", args.initrd]
    if args.append:
        cmd += ["-append", args.append]
    return cmd + args.qemu_arg


def run_interactive(cmd, sends, timeout):
    """Runs QEMU, typing each (regex, text) of `sends` in turn once its regex matches the output."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks = []
    lock = threading.Lock()

    def reader():
        for chunk in iter(lambda: os.read(proc.stdout.fileno(), 4096), b""):
            with lock:
                chunks.append(chunk)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    pending = [(re.compile(r.encode()), t.encode().decode("unicode_escape").encode("latin-1")) for r, t in sends]
    searched_from = 0
    while proc.poll() is None and time.monotonic() < deadline:
        if pending:
            with lock:
                seen = b"".join(chunks)
            m = pending[0][0].search(seen, searched_from)
            if m:
                try:
                    proc.stdin.write(pending[0][1])
                    proc.stdin.flush()
                except OSError:
                    pass
                searched_from = m.end()
                pending.pop(0)
                continue
        time.sleep(0.02)
    timed_out = proc.poll() is None
    if timed_out:
        proc.kill()
    proc.wait()
    thread.join(timeout=5)
    return b"".join(chunks), (None if timed_out else proc.returncode), timed_out


def boot(args):
    cmd = qemu_command(args)
    start = time.monotonic()
    if args.send:
        output, code, timed_out = run_interactive(cmd, args.send, args.timeout)
    else:
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=args.timeout)
            output, code, timed_out = proc.stdout, proc.returncode, False
        except subprocess.TimeoutExpired as e:
            output, code, timed_out = e.stdout or b"", None, True
    elapsed = time.monotonic() - start
    text = output.decode("utf-8", "replace").replace("\r\n", "\n")
    if args.log:
        os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
        with open(args.log, "w") as f:
            f.write(f"# {' '.join(cmd)}\n# exit={code} timed_out={timed_out} elapsed={elapsed:.2f}s\n")
            f.write(text)
    failures = []
    if timed_out:
        failures.append(f"timed out after {args.timeout}s")
    elif args.expect_exit is not None and code != args.expect_exit:
        failures.append(f"QEMU exited with {code}, expected {args.expect_exit}")
    elif code == 0:
        failures.append("QEMU exited with 0 (triple fault or reset with -no-reboot)")
    for pattern in args.expect:
        if not re.search(pattern, text, re.M):
            failures.append(f"missing output /{pattern}/")
    for pattern in args.reject:
        if re.search(pattern, text, re.M):
            failures.append(f"unexpected output /{pattern}/")
    for result, name in KTEST_LINE.findall(text):
        if result == "FAIL":
            failures.append(f"self-test {name} failed")
    if failures or args.verbose:
        sys.stdout.write(text[-args.tail:] if failures else text)
    for f in failures:
        print(f"FAIL: {f}")
    print(f"boot: exit={code} elapsed={elapsed:.2f}s")
    return 1 if failures else 0


def ktest_result(args):
    try:
        text = open(args.log).read()
    except OSError:
        print(f"no boot log at {args.log}: the boot test did not run")
        return 1
    results = {name: result for result, name in KTEST_LINE.findall(text)}
    result = results.get(args.test)
    if result == "PASS":
        return 0
    # Show the test's own lines.
    for line in text.splitlines():
        if args.test in line or "ktest:   " in line:
            print(line)
    print(f"{args.test}: {result or 'did not run (boot crashed or test not built)'}")
    return 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("boot")
    b.add_argument("--kernel", required=True)
    b.add_argument("--initrd")
    b.add_argument("--append", default="console=ttyS0")
    b.add_argument("--smp", type=int, default=1)
    b.add_argument("--mem", default="128")
    b.add_argument("--cpu", default="max")
    b.add_argument("--timeout", type=float, default=60)
    b.add_argument("--log")
    b.add_argument("--expect-exit", type=int)
    b.add_argument("--expect", action="append", default=[])
    b.add_argument("--reject", action="append", default=[])
    b.add_argument("--send", nargs=2, action="append", default=[], metavar=("REGEX", "TEXT"))
    b.add_argument("--qemu", default=os.environ.get("TERN_QEMU", "qemu-system-x86_64"))
    b.add_argument("--qemu-arg", action="append", default=[])
    b.add_argument("--tail", type=int, default=30000)
    b.add_argument("--verbose", action="store_true")
    k = sub.add_parser("ktest-result")
    k.add_argument("--log", required=True)
    k.add_argument("--test", required=True)
    args = parser.parse_args()
    return boot(args) if args.command == "boot" else ktest_result(args)


if __name__ == "__main__":
    sys.exit(main())
