#!/bin/sh
# Runs Tern's user-space tests (user/tests/ and tests/integration/busybox/) on Debian's own Linux kernel
# in the same QEMU, to prove the tests right: every case must pass there.
# Usage: tools/run-utests-on-linux.sh [BUILD_DIR] [/boot/vmlinuz-...]
set -e
build=${1:-build}
kernel=${2:-$(ls /boot/vmlinuz-* 2>/dev/null | sort | tail -1)}
if [ -z "$kernel" ]; then
    echo "no /boot/vmlinuz-*: apt-get install linux-image-amd64" >&2
    exit 1
fi
here=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$here" -B "$build" -G Ninja -DTERN_LINUX_REFERENCE=ON >/dev/null
cmake --build "$build" --target utests-initramfs busybox-initramfs
cd "$build"
echo "Linux reference: $kernel"
ctest -L linux-reference -j2 --output-on-failure
