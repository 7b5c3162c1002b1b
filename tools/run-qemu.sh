#!/bin/sh
# Boots Tern in QEMU on the serial console in this terminal (Ctrl-A X quits QEMU).
# Usage: run-qemu.sh KERNEL INITRD [extra QEMU args...]; TERN_APPEND, TERN_SMP, TERN_MEM override defaults.
kernel=$1 initrd=$2
shift 2
exec qemu-system-x86_64 -kernel "$kernel" -initrd "$initrd" \
    -append "${TERN_APPEND:-console=ttyS0}" \
    -smp "${TERN_SMP:-2}" -m "${TERN_MEM:-256}" -cpu max \
    -nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
