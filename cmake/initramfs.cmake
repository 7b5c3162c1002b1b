# initramfs.cpio.gz: a newc archive of user/rootfs (and, with the processes work, Tern's user programs).
file(GLOB_RECURSE TERN_ROOTFS_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/user/rootfs/*)
set(TERN_INITRAMFS ${CMAKE_BINARY_DIR}/initramfs.cpio.gz)
add_custom_command(
    OUTPUT ${TERN_INITRAMFS}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${TERN_INITRAMFS} ${CMAKE_SOURCE_DIR}/user/rootfs
    DEPENDS ${TERN_ROOTFS_FILES} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py
    COMMENT "Packing the initramfs")
add_custom_target(initramfs ALL DEPENDS ${TERN_INITRAMFS})

# The boot benchmark's initramfs: /init is user/bench/bootmark (static), which reports and powers off.
set(TERN_BENCH_ROOT ${CMAKE_BINARY_DIR}/bench-root)
set(TERN_BENCH_INITRAMFS ${CMAKE_BINARY_DIR}/bench-initramfs.cpio.gz)
add_custom_command(
    OUTPUT ${TERN_BENCH_INITRAMFS}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${TERN_BENCH_ROOT}
    COMMAND gcc -static -O2 -o ${TERN_BENCH_ROOT}/init ${CMAKE_SOURCE_DIR}/user/bench/bootmark.c
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${TERN_BENCH_INITRAMFS} ${TERN_BENCH_ROOT}
    DEPENDS ${CMAKE_SOURCE_DIR}/user/bench/bootmark.c ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py
    COMMENT "Building the boot benchmark initramfs")
add_custom_target(bench-initramfs DEPENDS ${TERN_BENCH_INITRAMFS})

# Test images for the initramfs integration tests: a plain (uncompressed) archive with /sbin/init, and a
# gzip one whose /init overrides nothing but adds a file (tests/integration/rootfs-*).
set(TERN_TEST_PLAIN_INITRAMFS ${CMAKE_BINARY_DIR}/test-plain.cpio)
add_custom_command(
    OUTPUT ${TERN_TEST_PLAIN_INITRAMFS}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py --plain ${TERN_TEST_PLAIN_INITRAMFS}
            ${CMAKE_SOURCE_DIR}/tests/integration/rootfs-plain
    DEPENDS ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${CMAKE_SOURCE_DIR}/tests/integration/rootfs-plain/sbin/init
    COMMENT "Packing the plain test initramfs")
add_custom_target(test-initramfs ALL DEPENDS ${TERN_TEST_PLAIN_INITRAMFS} ${TERN_BENCH_INITRAMFS})
