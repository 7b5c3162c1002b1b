# The freestanding kernel image.
#
# Linked twice: the first link has an empty symbol table; tools/ksyms.py turns its function symbols into
# .ksyms, which sits last in the image, so the second link leaves every function where the table says.
file(GLOB_RECURSE TERN_KERNEL_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/kernel/*.cpp ${CMAKE_SOURCE_DIR}/kernel/*.S)
list(FILTER TERN_KERNEL_SOURCES EXCLUDE REGEX "/kernel/arch/host/")

set(TERN_KERNEL_CXXFLAGS
    -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit
    -fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only
    -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables
    -fno-delete-null-pointer-checks -fno-strict-aliasing
    -O2 -g -Wall -Wextra -Werror -Wno-missing-field-initializers)
set(TERN_KERNEL_ASMFLAGS -fno-pic -g)

# The system-call table, generated from the one list of calls.
set(TERN_SYSCALL_TBL ${CMAKE_SOURCE_DIR}/kernel/arch/x86_64/entry/syscall_64.tbl)
set(TERN_SYSCALL_TABLE_CPP ${CMAKE_BINARY_DIR}/syscall_table.cpp)
add_custom_command(
    OUTPUT ${TERN_SYSCALL_TABLE_CPP}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/syscalltbl.py ${TERN_SYSCALL_TBL} ${TERN_SYSCALL_TABLE_CPP}
    DEPENDS ${TERN_SYSCALL_TBL} ${CMAKE_SOURCE_DIR}/tools/syscalltbl.py
    COMMENT "Generating the system-call table")

add_library(tern_kernel_objs OBJECT ${TERN_KERNEL_SOURCES} ${TERN_SYSCALL_TABLE_CPP})
target_include_directories(tern_kernel_objs PRIVATE ${CMAKE_SOURCE_DIR}/kernel)
target_compile_definitions(tern_kernel_objs PRIVATE TERN_HZ=${TERN_HZ} TERN_KERNEL=1)
target_compile_options(tern_kernel_objs PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${TERN_KERNEL_CXXFLAGS}>
    $<$<COMPILE_LANGUAGE:ASM>:${TERN_KERNEL_ASMFLAGS}>)

set(TERN_LINKER_SCRIPT ${CMAKE_SOURCE_DIR}/kernel/arch/x86_64/kernel.ld)
set(TERN_LINK_FLAGS -nostdlib -static -no-pie -Wl,-T,${TERN_LINKER_SCRIPT} -Wl,-z,max-page-size=0x1000
    -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)

add_executable(tern.stage1 $<TARGET_OBJECTS:tern_kernel_objs>)
target_link_options(tern.stage1 PRIVATE ${TERN_LINK_FLAGS})
set_target_properties(tern.stage1 PROPERTIES LINK_DEPENDS ${TERN_LINKER_SCRIPT} LINKER_LANGUAGE CXX)

set(TERN_KSYMS_ASM ${CMAKE_BINARY_DIR}/ksyms.S)
add_custom_command(
    OUTPUT ${TERN_KSYMS_ASM}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/ksyms.py $<TARGET_FILE:tern.stage1> ${TERN_KSYMS_ASM}
    DEPENDS tern.stage1 ${CMAKE_SOURCE_DIR}/tools/ksyms.py
    COMMENT "Generating the kernel symbol table")

add_executable(tern $<TARGET_OBJECTS:tern_kernel_objs> ${TERN_KSYMS_ASM})
target_link_options(tern PRIVATE ${TERN_LINK_FLAGS})
set_target_properties(tern PROPERTIES LINK_DEPENDS ${TERN_LINKER_SCRIPT} LINKER_LANGUAGE CXX)
add_custom_command(TARGET tern POST_BUILD
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/check_image.py $<TARGET_FILE:tern.stage1> $<TARGET_FILE:tern>
    COMMENT "Checking the kernel image layout")
