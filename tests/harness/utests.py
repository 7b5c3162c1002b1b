#!/usr/bin/env python3
"""User-space tests in QEMU: boot a kernel (Tern, or Debian's Linux as the reference) with a test
initramfs, keep the serial log, and judge each test from it.

  utests.py boot --kernel K --initrd I --log FILE [--smp N] [--mem M] [--timeout S] [--append A]
                 [--done REGEX] [--all-pass]
      Boots once. Succeeds when the run got to its end (the line matching --done: by default testinit's
      "utest: ALL"), whatever the cases said: each case is its own test (see result). --all-pass also
      requires every case to pass (how the Linux reference run is judged).
  utests.py result --log FILE --test PROGRAM.CASE      exit 0 PASS, 1 FAIL or missing, 77 SKIP
  utests.py program --log FILE --program PROGRAM       the program ran to its DONE line
  utests.py busybox-result --log FILE --script NAME --expected FILE
      The output of tests/integration/busybox/NAME.sh between its BEGIN and END markers must match
      FILE line by line; in FILE, <N> stands for any integer and <*> for any text.
  utests.py summary --log FILE                         a table of every program's results

The kernel's exit code is not judged: Tern powers off through isa-debug-exit (QEMU status 1), Linux
through ACPI (status 0); a kernel panic or a timeout shows up as a missing end line.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tern_qemu  # noqa: E402  (the QEMU command line is shared with the kernel tests)

RESULT = re.compile(r"utest: (PASS|FAIL|SKIP) ([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)(?::? ?(.*))?$", re.M)
DONE = re.compile(r"utest: DONE (\S+) passed=(\d+) failed=(\d+)(?: skipped=(\d+))?")
ALL = re.compile(r"utest: ALL passed=(\d+) failed=(\d+)")
PANIC = re.compile(r"Kernel panic - not syncing.*|BUG: .*|Oops: .*")
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d+\] ")
SKIP_CODE = 77


def read_log(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        print(f"no boot log at {path}: the boot test did not run")
        return None


def boot(args):
    ns = argparse.Namespace(qemu=args.qemu, kernel=args.kernel, mem=args.mem, smp=args.smp, cpu=args.cpu,
                            initrd=args.initrd, append=args.append, qemu_arg=args.qemu_arg)
    text, code, timed_out, elapsed, cmd = run_qemu(ns, args.timeout)
    os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    with open(args.log, "w") as f:
        f.write(f"# {' '.join(cmd)}\n# exit={code} timed_out={timed_out} elapsed={elapsed:.2f}s\n")
        f.write(text)
    failures = []
    if not re.search(args.done, text, re.M):
        why = "timed out" if timed_out else f"QEMU exited with {code}"
        panic = PANIC.search(text)
        failures.append(f"the run did not finish ({why}; no /{args.done}/)" + (f": {panic.group(0)}" if panic else ""))
    results = RESULT.findall(text)
    failed = [f"{p}.{c}: {why}" for r, p, c, why in results if r == "FAIL"]
    if args.all_pass and failed:
        failures += [f"case failed: {f}" for f in failed]
    if failures or args.verbose:
        sys.stdout.write(text[-args.tail:] if failures and not args.verbose else text)
    counts = {r: sum(1 for x in results if x[0] == r) for r in ("PASS", "FAIL", "SKIP")}
    print(f"utests: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"boot: exit={code} elapsed={elapsed:.2f}s log={args.log}")
    return 1 if failures else 0


def run_qemu(ns, timeout):
    import subprocess
    import time
    cmd = tern_qemu.qemu_command(ns)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout)
        output, code, timed_out = proc.stdout, proc.returncode, False
    except subprocess.TimeoutExpired as e:
        output, code, timed_out = e.stdout or b"", None, True
    text = output.decode("utf-8", "replace").replace("\r\n", "\n")
    return text, code, timed_out, time.monotonic() - start, cmd


def case_lines(text, program, case):
    """The case's result line and the diagnostic lines it and its helpers printed."""
    tag = f"{program}.{case}"
    return [l for l in text.splitlines() if f" {tag}:" in l or l.rstrip().endswith(f" {tag}")]


def result(args):
    text = read_log(args.log)
    if text is None:
        return 1
    program, _, case = args.test.partition(".")
    found = [(r, why) for r, p, c, why in RESULT.findall(text) if p == program and c == case]
    for line in case_lines(text, program, case):
        print(line)
    if not found:
        done = any(m.group(1) == program for m in DONE.finditer(text))
        runs = [l for l in text.splitlines() if f"utest: FAIL {program}._run" in l]
        for l in runs:
            print(l)
        if done:
            print(f"{args.test}: not reported although {program} finished (case not built into the image?)")
        else:
            print(f"{args.test}: no result: {program} did not get that far (crash, timeout, or no exec yet)")
        return 1
    r, why = found[-1]
    if r == "PASS":
        return 0
    if r == "SKIP":
        print(f"{args.test}: skipped: {why}")
        return SKIP_CODE
    return 1


def program(args):
    text = read_log(args.log)
    if text is None:
        return 1
    bad = [l for l in text.splitlines() if f"utest: FAIL {args.program}._run" in l]
    done = [m for m in DONE.finditer(text) if m.group(1) == args.program]
    for l in bad:
        print(l)
    if not done:
        print(f"{args.program}: no DONE line")
        return 1
    return 1 if bad else 0


def pattern_line(expected):
    """A line of an expected file as a regex: <N> is an integer, <*> any text, the rest literal."""
    parts = re.split(r"(<N>|<\*>)", expected)
    return "".join(r"-?\d+" if p == "<N>" else ".*" if p == "<*>" else re.escape(p) for p in parts)


def busybox_result(args):
    text = read_log(args.log)
    if text is None:
        return 1
    m = re.search(rf"^busybox-test: BEGIN {re.escape(args.script)}\n(.*?)^busybox-test: END {re.escape(args.script)} "
                  r"status=(\d+)$", text, re.M | re.S)
    if not m:
        print(f"{args.script}: no output between its BEGIN and END markers (the run ended early?)")
        tail = text[text.find(f"BEGIN {args.script}"):][:3000] if f"BEGIN {args.script}" in text else ""
        sys.stdout.write(tail)
        return 1
    # The kernel's own messages may land between the script's lines.
    got = [l for l in m.group(1).splitlines() if not KERNEL_LINE.match(l)]
    with open(args.expected) as f:
        want = f.read().splitlines()
    problems = []
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g is None or w is None or not re.fullmatch(pattern_line(w), g):
            problems.append(f"line {i + 1}: expected {w!r}, got {g!r}")
    if m.group(2) != "0":
        problems.append(f"the script exited with {m.group(2)}")
    if problems:
        print("\n".join(problems[:20]))
        print("--- output ---")
        print(m.group(1), end="")
        return 1
    return 0


def summary(args):
    text = read_log(args.log)
    if text is None:
        return 1
    per = {}
    for r, p, c, why in RESULT.findall(text):
        per.setdefault(p, {"PASS": 0, "FAIL": 0, "SKIP": 0})[r] += 1
    print(f"{'program':12} {'passed':>7} {'failed':>7} {'skipped':>8}")
    for p, c in per.items():
        print(f"{p:12} {c['PASS']:>7} {c['FAIL']:>7} {c['SKIP']:>8}")
    totals = {k: sum(c[k] for c in per.values()) for k in ("PASS", "FAIL", "SKIP")}
    print(f"{'total':12} {totals['PASS']:>7} {totals['FAIL']:>7} {totals['SKIP']:>8}")
    for r, p, c, why in RESULT.findall(text):
        if r != "PASS":
            print(f"{r} {p}.{c}: {why}")
    all_line = ALL.search(text)
    if not all_line:
        print("the run did not finish (no 'utest: ALL' line)")
    return 0 if all_line and totals["FAIL"] == 0 else 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("boot")
    b.add_argument("--kernel", required=True)
    b.add_argument("--initrd", required=True)
    b.add_argument("--append", default="console=ttyS0 panic=-1")
    b.add_argument("--smp", type=int, default=1)
    b.add_argument("--mem", default="256")
    b.add_argument("--cpu", default="max")
    b.add_argument("--timeout", type=float, default=900)
    b.add_argument("--log", required=True)
    b.add_argument("--done", default=r"^utest: ALL passed=\d+ failed=\d+")
    b.add_argument("--all-pass", action="store_true")
    b.add_argument("--qemu", default=os.environ.get("TERN_QEMU", "qemu-system-x86_64"))
    b.add_argument("--qemu-arg", action="append", default=[])
    b.add_argument("--tail", type=int, default=8000)
    b.add_argument("--verbose", action="store_true")
    r = sub.add_parser("result")
    r.add_argument("--log", required=True)
    r.add_argument("--test", required=True)
    p = sub.add_parser("program")
    p.add_argument("--log", required=True)
    p.add_argument("--program", required=True)
    bb = sub.add_parser("busybox-result")
    bb.add_argument("--log", required=True)
    bb.add_argument("--script", required=True)
    bb.add_argument("--expected", required=True)
    s = sub.add_parser("summary")
    s.add_argument("--log", required=True)
    args = parser.parse_args()
    return {"boot": boot, "result": result, "program": program, "busybox-result": busybox_result,
            "summary": summary}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
