# The user-test initramfs: every user/tests/*.c and *.cpp (but testinit.c) is one test program; testinit
# is /init. TERN_UTEST_PROGRAMS lists the programs and TERN_UTEST_CASES every "program.case", found by
# grepping for UTEST_CASE(name) at column 0, for tests/integration to make one CTest test per case.
file(GLOB TERN_UTEST_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/user/tests/*.c ${CMAKE_SOURCE_DIR}/user/tests/*.cpp)
list(FILTER TERN_UTEST_SOURCES EXCLUDE REGEX "/testinit\\.c$")
list(SORT TERN_UTEST_SOURCES)
set(TERN_UTEST_HEADER ${CMAKE_SOURCE_DIR}/user/tests/utest.h)
set(TERN_UTEST_ROOT ${CMAKE_BINARY_DIR}/utests-root)
set(TERN_UTEST_INITRAMFS ${CMAKE_BINARY_DIR}/utests-initramfs.cpio.gz)

set(TERN_UTEST_PROGRAMS "")
set(TERN_UTEST_CASES "")
set(binaries "")
foreach(src ${TERN_UTEST_SOURCES})
    get_filename_component(prog ${src} NAME_WE)
    get_filename_component(ext ${src} EXT)
    list(APPEND TERN_UTEST_PROGRAMS ${prog})
    set(out ${TERN_UTEST_ROOT}/utests/${prog})
    if(ext STREQUAL ".cpp")
        tern_user_program(OUT ${out} SOURCE ${src} CXX DEPENDS ${TERN_UTEST_HEADER})
    else()
        tern_user_program(OUT ${out} SOURCE ${src} DEPENDS ${TERN_UTEST_HEADER})
    endif()
    list(APPEND binaries ${out})
    file(STRINGS ${src} lines REGEX "^UTEST_CASE\\(")
    foreach(line ${lines})
        string(REGEX REPLACE "^UTEST_CASE\\(([A-Za-z0-9_]+)\\).*" "\\1" case "${line}")
        list(APPEND TERN_UTEST_CASES ${prog}.${case})
    endforeach()
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${TERN_UTEST_SOURCES})

tern_user_program(OUT ${TERN_UTEST_ROOT}/init SOURCE ${CMAKE_SOURCE_DIR}/user/tests/testinit.c)
# The order testinit runs them in: the list file is rewritten only when the list changes.
string(REPLACE ";" "\n" list_text "${TERN_UTEST_PROGRAMS}")
file(CONFIGURE OUTPUT ${TERN_UTEST_ROOT}/etc/utests CONTENT "${list_text}\n")

add_custom_command(
    OUTPUT ${TERN_UTEST_INITRAMFS}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${TERN_UTEST_INITRAMFS} ${TERN_UTEST_ROOT}
    DEPENDS ${binaries} ${TERN_UTEST_ROOT}/init ${TERN_UTEST_ROOT}/etc/utests ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py
    COMMENT "Packing the user-test initramfs")
add_custom_target(utests-initramfs ALL DEPENDS ${TERN_UTEST_INITRAMFS})
