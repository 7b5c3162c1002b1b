#!/bin/sh
# Installs what building, running and testing Tern needs on Debian 12. As root it runs apt-get itself;
# otherwise it prints the exact command to run.
set -e
PACKAGES="g++ cmake ninja-build python3 libgtest-dev zlib1g-dev qemu-system-x86 cpio gzip gdb binutils libc6-dev busybox-static"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "Tern needs these Debian packages:$missing"
    echo "Run:  sudo apt-get install -y$missing"
    exit 1
fi
