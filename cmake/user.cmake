# User programs: static Linux binaries built with the host's (Debian's) gcc/g++ against glibc and
# libstdc++, exactly what Tern must run unmodified. They are built with custom commands, not
# add_executable, so none of the kernel's flags or toolchain settings reach them.
#
#   tern_user_program(OUT path SOURCE file [CXX] [FLAGS ...] [DEPENDS ...])
#
# Images built here (all under build/):
#   utests-initramfs.cpio.gz   /init = testinit, /utests/<program>, /etc/utests (cmake/utests.cmake)
#   busybox-test-initramfs.cpio.gz, rootfs-busybox.cpio.gz    (cmake/busybox.cmake)
#   ubench-initramfs.cpio.gz   /init = ubench, the system-call benchmarks (cmake/ubench.cmake)
set(TERN_USER_CFLAGS -static -O2 -g -Wall -Wextra -Werror -Wno-format-truncation)

function(tern_user_program)
    cmake_parse_arguments(P "CXX" "OUT;SOURCE" "FLAGS;DEPENDS" ${ARGN})
    if(P_CXX)
        set(compiler g++ -std=c++20 -pthread)
    else()
        set(compiler gcc -std=gnu17)
    endif()
    get_filename_component(dir ${P_OUT} DIRECTORY)
    add_custom_command(
        OUTPUT ${P_OUT}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
        COMMAND ${compiler} ${TERN_USER_CFLAGS} ${P_FLAGS} -o ${P_OUT} ${P_SOURCE}
        DEPENDS ${P_SOURCE} ${P_DEPENDS}
        COMMENT "Building user program ${P_OUT}"
        VERBATIM)
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/utests.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/busybox.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/ubench.cmake)
