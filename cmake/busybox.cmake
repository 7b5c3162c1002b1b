# Images with Debian's busybox-static (/bin/busybox plus a symlink per applet in /bin):
#   busybox-test-initramfs.cpio.gz  /init = user/init/busybox-test-init, which runs every
#                                   tests/integration/busybox/*.sh and powers off
#   rootfs-busybox.cpio.gz          /init = user/init/busybox-shell-init: an interactive shell on the
#                                   console (what `make run` boots once Tern runs user programs)
# Without busybox on the build machine (apt-get install busybox-static) neither image is built.
find_program(TERN_BUSYBOX busybox PATHS /bin /usr/bin NO_DEFAULT_PATH)
if(NOT TERN_BUSYBOX)
    message(STATUS "busybox not found: the busybox images and tests are not built")
    return()
endif()

file(GLOB TERN_BUSYBOX_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/busybox/*.sh)
file(GLOB TERN_ROOTFS_ETC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/user/rootfs/etc/*)
list(SORT TERN_BUSYBOX_TESTS)
set(TERN_BUSYBOX_TEST_INITRAMFS ${CMAKE_BINARY_DIR}/busybox-test-initramfs.cpio.gz)
set(TERN_BUSYBOX_RUN_INITRAMFS ${CMAKE_BINARY_DIR}/rootfs-busybox.cpio.gz)

# name  /init  extra files (copied to /tests)  output
function(tern_busybox_image name init tests output)
    set(root ${CMAKE_BINARY_DIR}/${name}-root)
    add_custom_command(
        OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -DBUSYBOX=${TERN_BUSYBOX} -DROOT=${root}
                -DINIT=${init} "-DTESTS=${tests}" -DETC=${CMAKE_SOURCE_DIR}/user/rootfs/etc
                -P ${CMAKE_SOURCE_DIR}/cmake/mkbusyboxroot.cmake
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${output} ${root}
        DEPENDS ${init} ${tests} ${TERN_BUSYBOX} ${TERN_ROOTFS_ETC} ${CMAKE_SOURCE_DIR}/cmake/mkbusyboxroot.cmake
                ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py
        COMMENT "Packing ${output}"
        VERBATIM)
endfunction()

tern_busybox_image(busybox-test ${CMAKE_SOURCE_DIR}/user/init/busybox-test-init "${TERN_BUSYBOX_TESTS}"
                   ${TERN_BUSYBOX_TEST_INITRAMFS})
tern_busybox_image(rootfs-busybox ${CMAKE_SOURCE_DIR}/user/init/busybox-shell-init "" ${TERN_BUSYBOX_RUN_INITRAMFS})
add_custom_target(busybox-initramfs ALL DEPENDS ${TERN_BUSYBOX_TEST_INITRAMFS} ${TERN_BUSYBOX_RUN_INITRAMFS})
