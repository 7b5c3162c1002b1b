# initramfs.cpio.gz: a newc archive of user/rootfs (and, with the processes work, Tern's user programs).
file(GLOB_RECURSE TERN_ROOTFS_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/user/rootfs/*)
set(TERN_INITRAMFS ${CMAKE_BINARY_DIR}/initramfs.cpio.gz)
add_custom_command(
    OUTPUT ${TERN_INITRAMFS}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${TERN_INITRAMFS} ${CMAKE_SOURCE_DIR}/user/rootfs
    DEPENDS ${TERN_ROOTFS_FILES} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py
    COMMENT "Packing the initramfs")
add_custom_target(initramfs ALL DEPENDS ${TERN_INITRAMFS})
