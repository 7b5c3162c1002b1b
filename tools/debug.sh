#!/bin/sh
# Starts QEMU halted (-S) with its gdb stub (-s, tcp::1234) in the background and attaches gdb with the
# kernel's symbols. The serial console goes to $BUILD/debug-serial.log.
kernel=$1 initrd=$2
log="$(dirname "$kernel")/debug-serial.log"
qemu-system-x86_64 -kernel "$kernel" -initrd "$initrd" -append "${TERN_APPEND:-console=ttyS0}" \
    -smp "${TERN_SMP:-1}" -m "${TERN_MEM:-256}" -cpu max -display none -serial "file:$log" \
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -s -S &
qemu=$!
echo "QEMU pid $qemu, serial output in $log"
gdb -q "$kernel" -ex "target remote :1234" -ex "hbreak start_kernel" -ex "continue" "$@"
kill "$qemu" 2>/dev/null
